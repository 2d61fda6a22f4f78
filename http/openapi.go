package http

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// The API's OpenAPI document comes from two files: openapi_listen.json, the Listen API's
// operations as the official spec and client contract give them (written by
// scripts/openapi-listen.py), and openapi_hark.json, Hark's own operations and webhooks.
var (
	//go:embed openapi_listen.json
	openAPIListen []byte
	//go:embed openapi_hark.json
	openAPIHark []byte
)

// openAPIDoc is the part of an OpenAPI document Hark writes and reads back.
type openAPIDoc struct {
	OpenAPI    string                      `json:"openapi"`
	Info       map[string]any              `json:"info"`
	Servers    []map[string]string         `json:"servers"`
	Security   []map[string][]string       `json:"security"`
	Paths      map[string]map[string]apiOp `json:"paths"`
	Webhooks   map[string]map[string]any   `json:"webhooks"`
	Components map[string]map[string]any   `json:"components"`
}

// apiOp is an operation; what the reference page does not show stays raw.
type apiOp struct {
	OperationID string            `json:"operationId"`
	Summary     string            `json:"summary"`
	Description string            `json:"description,omitempty"`
	Tags        []string          `json:"tags"`
	Security    *[]map[string]any `json:"security,omitempty"`
	Parameters  []apiParam        `json:"parameters"`
	RequestBody json.RawMessage   `json:"requestBody,omitempty"`
	Responses   json.RawMessage   `json:"responses"`
}

// apiParam is an operation's parameter.
type apiParam struct {
	Name        string          `json:"name"`
	In          string          `json:"in"`
	Required    bool            `json:"required"`
	Description string          `json:"description,omitempty"`
	Schema      json.RawMessage `json:"schema"`
}

// submitWebhookField is Hark's addition to POST /podcasts/submit's form.
const submitWebhookField = `{"type": "string", "description": "Hark: a URL to post podcastsSubmitAccepted or podcastsSubmitRejected to after the feed's first crawl, signed with the webhook_secret in the answer."}`

// openAPI builds the document for a server at baseURL.
func openAPI(baseURL string) (*openAPIDoc, error) {
	var listen, hark openAPIDoc
	if err := json.Unmarshal(openAPIListen, &listen); err != nil {
		return nil, fmt.Errorf("openapi_listen.json: %w", err)
	}
	if err := json.Unmarshal(openAPIHark, &hark); err != nil {
		return nil, fmt.Errorf("openapi_hark.json: %w", err)
	}
	doc := &openAPIDoc{
		OpenAPI: "3.1.0",
		Info: map[string]any{"title": "Hark API", "version": "2.0",
			"description": "The Listen Notes Listen API v2, served by Hark, and Hark's own operations (tag Hark)."},
		Servers:  []map[string]string{{"url": baseURL + "/api/v2"}},
		Security: []map[string][]string{{"apiKey": {}}},
		Paths:    listen.Paths,
		Webhooks: hark.Webhooks,
		Components: map[string]map[string]any{
			"securitySchemes": {"apiKey": map[string]string{"type": "apiKey", "in": "header", "name": apiKeyHeader}},
			"schemas": {"Error": map[string]any{"type": "object", "properties": map[string]any{
				"error": map[string]any{"type": "object", "properties": map[string]any{
					"code": map[string]string{"type": "integer"}, "message": map[string]string{"type": "string"}}}}}},
		},
	}
	for path, ops := range hark.Paths {
		if doc.Paths[path] == nil {
			doc.Paths[path] = map[string]apiOp{}
		}
		maps.Copy(doc.Paths[path], ops)
	}
	if err := addSubmitWebhook(doc); err != nil {
		return nil, err
	}
	addDeleteWebhook(doc)
	for path, methods := range harkNotes {
		for method, note := range methods {
			op := doc.Paths[path][method]
			op.Description = strings.TrimSpace(op.Description + "\n\n" + note)
			doc.Paths[path][method] = op
		}
	}
	return doc, nil
}

// addDeleteWebhook adds webhook_url to DELETE /podcasts/{id}.
func addDeleteWebhook(doc *openAPIDoc) {
	op := doc.Paths["/podcasts/{id}"]["delete"]
	op.Parameters = append(op.Parameters, apiParam{Name: "webhook_url", In: "query",
		Description: "Hark: a URL to post podcastDeleted to if an operator approves the deletion, signed with the webhook_secret in the answer.",
		Schema:      json.RawMessage(`{"type": "string"}`)})
	doc.Paths["/podcasts/{id}"]["delete"] = op
}

// addSubmitWebhook adds webhook_url to the form of POST /podcasts/submit.
func addSubmitWebhook(doc *openAPIDoc) error {
	op := doc.Paths["/podcasts/submit"]["post"]
	var body struct {
		Required bool `json:"required"`
		Content  map[string]struct {
			Schema map[string]any `json:"schema"`
		} `json:"content"`
	}
	if err := json.Unmarshal(op.RequestBody, &body); err != nil {
		return fmt.Errorf("openapi: submit form: %w", err)
	}
	props, _ := body.Content["application/x-www-form-urlencoded"].Schema["properties"].(map[string]any)
	if props == nil {
		return fmt.Errorf("openapi: submit form has no properties")
	}
	props["webhook_url"] = json.RawMessage(submitWebhookField)
	raw, err := json.Marshal(body)
	op.RequestBody = raw
	doc.Paths["/podcasts/submit"]["post"] = op
	return err
}

// apiOperation is one line of the reference page's operation list.
type apiOperation struct {
	Method, Path string
	apiOp
}

// operations lists the document's operations by path and method.
func (d *openAPIDoc) operations() []apiOperation {
	var ops []apiOperation
	for _, path := range slices.Sorted(maps.Keys(d.Paths)) {
		for _, method := range slices.Sorted(maps.Keys(d.Paths[path])) {
			ops = append(ops, apiOperation{Method: strings.ToUpper(method), Path: path, apiOp: d.Paths[path][method]})
		}
	}
	return ops
}

// FormFields names the fields of the operation's form body, if it has one.
func (o apiOperation) FormFields() []string {
	var body struct {
		Content map[string]struct {
			Schema struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schema"`
		} `json:"content"`
	}
	if len(o.RequestBody) == 0 || json.Unmarshal(o.RequestBody, &body) != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(body.Content["application/x-www-form-urlencoded"].Schema.Properties))
}

// apiWebhook is one line of the reference page's webhook list.
type apiWebhook struct {
	Name, Summary, Description string
}

// webhooks lists the document's webhooks by name.
func (d *openAPIDoc) webhooks() []apiWebhook {
	var hooks []apiWebhook
	for _, name := range slices.Sorted(maps.Keys(d.Webhooks)) {
		post, _ := d.Webhooks[name]["post"].(map[string]any)
		summary, _ := post["summary"].(string)
		desc, _ := post["description"].(string)
		hooks = append(hooks, apiWebhook{Name: name, Summary: summary, Description: desc})
	}
	return hooks
}

// openAPICache builds the document once per server.
type openAPICache struct {
	once sync.Once
	doc  *openAPIDoc
	json []byte
	err  error
}

func (c *openAPICache) get(baseURL string) (*openAPIDoc, []byte, error) {
	c.once.Do(func() {
		if c.doc, c.err = openAPI(baseURL); c.err == nil {
			c.json, c.err = json.Marshal(c.doc)
		}
	})
	return c.doc, c.json, c.err
}

// handleOpenAPI handles "GET /api/v2/openapi.json": the OpenAPI 3.1 document of the API. It is
// public, as the reference page is.
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	_, body, err := s.openapi.get(s.cfg.BaseURL)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(body)
	return err
}
