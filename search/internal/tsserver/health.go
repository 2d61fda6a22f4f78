package tsserver

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// WaitHealthy waits until /health answers ok. It fails early when the process exits.
func (s *Server) WaitHealthy(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for !s.healthy() {
		s.mu.Lock()
		exited := s.exited
		s.mu.Unlock()
		select {
		case <-exited:
			return fmt.Errorf("typesense %s exited; its log:\n%s", s.URL(), s.logTail(20))
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("typesense %s not healthy after %s; its log:\n%s", s.URL(), timeout, s.logTail(20))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

func (s *Server) healthy() bool {
	var body struct {
		OK bool `json:"ok"`
	}
	return s.get("/health", &body) == nil && body.OK
}

func (s *Server) raftState() (int, error) {
	var body struct {
		State int `json:"state"`
	}
	if err := s.get("/debug", &body); err != nil {
		return 0, err
	}
	return body.State, nil
}

func (s *Server) get(path string, v any) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-TYPESENSE-API-KEY", s.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s%s: %s", s.URL(), path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}
