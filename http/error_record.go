package http

import (
	"net/http"
	"net/url"
	"slices"

	"hark"
)

// recordError hands an unexpected error of r to the error recorder (Config.Errors), which
// queues it without blocking: the request's answer never waits on it or fails for it.
func (s *Server) recordError(r *http.Request, kind, msg, stack string) {
	if s.cfg.Errors == nil {
		return
	}
	s.cfg.Errors.Record(hark.ErrorEvent{Kind: kind, Message: msg, Stack: stack, Where: routeLabel(r),
		Context: requestContext(r)})
}

// requestContext is what the errors page shows of a request. The query's values are left out
// (they may hold a search someone would not want kept, or a token), and so are headers: no API
// key, cookie or authorization leaves the request. The key's ID says whose request it was.
func requestContext(r *http.Request) map[string]any {
	c := map[string]any{"method": r.Method, "path": r.URL.Path, "request_id": RequestID(r.Context())}
	if r.URL.RawQuery != "" {
		if q, err := url.ParseQuery(r.URL.RawQuery); err == nil {
			names := make([]string, 0, len(q))
			for name := range q {
				names = append(names, name)
			}
			slices.Sort(names)
			c["query_params"] = names
		}
	}
	if k, ok := requestKey(r); ok {
		c["api_key_id"] = k.ID
	}
	return c
}
