package tsserver

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// Cluster is a Typesense Raft cluster whose nodes run on loopback.
type Cluster []*Server

// StartCluster starts n nodes as one Raft cluster (a shared nodes file of
// 127.0.0.1:<peering>:<api> entries) and waits until one is leader and all are healthy.
func StartCluster(tb testing.TB, n int) Cluster {
	tb.Helper()
	c := Cluster(newServers(tb, n, true))
	for _, s := range c {
		s.Start()
	}
	if _, err := c.WaitLeader(LeaderTimeout); err != nil {
		tb.Fatal(err)
	}
	return c
}

// URLs returns the nodes' API URLs.
func (c Cluster) URLs() []string {
	urls := make([]string, len(c))
	for i, s := range c {
		urls[i] = s.URL()
	}
	return urls
}

// WaitLeader waits until exactly one running node is leader and every running node is healthy,
// and returns the leader.
func (c Cluster) WaitLeader(timeout time.Duration) (*Server, error) {
	deadline := time.Now().Add(timeout)
	for {
		leader, err := c.leader()
		if err == nil {
			return leader, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("typesense cluster not ready after %s: %w", timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (c Cluster) leader() (*Server, error) {
	var leader *Server
	for _, s := range c {
		if !s.Running() {
			continue
		}
		if !s.healthy() {
			return nil, fmt.Errorf("node %s is not healthy", s.URL())
		}
		switch st, err := s.raftState(); {
		case err != nil:
			return nil, err
		case st == stateLeader && leader != nil:
			return nil, errors.New("two leaders")
		case st == stateLeader:
			leader = s
		case st != stateFollower:
			return nil, fmt.Errorf("node %s is in raft state %d", s.URL(), st)
		}
	}
	if leader == nil {
		return nil, errors.New("no leader")
	}
	return leader, nil
}
