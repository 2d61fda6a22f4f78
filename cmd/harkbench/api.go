package main

import (
	"context"
	"fmt"
)

// apiServer is Hark's web server as `hark serve` runs it (App.Serve: GOGC, API key cache,
// term counts, River UI), without workers: the app's client only inserts the jobs a submit
// asks for.
type apiServer struct {
	URL  string
	stop func() error
}

// startAPI starts the app's web server on a free loopback port.
func (e *env) startAPI(ctx context.Context) (*apiServer, error) {
	addr, stop, err := e.app.Start(ctx, true, false)
	if err != nil {
		return nil, fmt.Errorf("start the API: %w", err)
	}
	return &apiServer{URL: "http://" + addr, stop: stop}, nil
}

// Close stops the server and the loops it ran.
func (s *apiServer) Close() {
	_ = s.stop()
}
