package http

import (
	"net/http"

	"hark"
)

// handleAPIDocs handles "GET /docs/api": the operations and webhooks come from the OpenAPI
// document (openapi.go).
func (s *Server) handleAPIDocs(w http.ResponseWriter, r *http.Request) error {
	doc, _, err := s.openapi.get(s.cfg.BaseURL)
	if err != nil {
		return err
	}
	hooks := doc.webhooks()
	ex, err := s.docsExamples(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "docs_api", page{Title: "API reference", Data: struct {
		RequireAPIKey  bool
		Genres         []hark.Genre
		Plans          []hark.Plan
		Operations     []apiOperation
		Webhooks       []apiWebhook
		WebhookSigning string
		Ex             docsExamples
	}{s.cfg.RequireAPIKey, hark.Genres, s.cfg.Plans.Sorted(), doc.operations(), hooks, hooks[0].Description, ex}})
}
