package http_test

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// missingOperations are the Listen API operations that the official Python client's contract
// (PyPI podcast-api 3.1.1, listennotes/api-contract.json) has and the spec in ../shared/contracts
// lacks, as ../shared/contracts/README.md lists them. That contract has no response schemas, so
// these are Hark's answers, in the spec's own terms: the results of GET /search_episode_titles
// are EpisodeSearchResults, as in the live API's, and the playlist writes answer with the
// playlist as GET /playlists lists it, or with the item as GET /playlists/{id} shows it.
const missingOperations = `
/search_episode_titles:
  get:
    responses:
      "200":
        description: OK
        headers: {$headers}
        content:
          application/json:
            schema:
              type: object
              properties:
                results: {type: array, items: {$ref: "#/components/schemas/EpisodeSearchResult"}}
                total: {type: integer}
                count: {type: integer}
      "400": {$ref: "#/components/responses/BadRequest"}
      "401": {$ref: "#/components/responses/Unauthorized"}
      "404": {$ref: "#/components/responses/NotFound"}
/playlists:
  post:
    responses:
      "201": {description: OK, headers: {$headers}, content: {application/json: {schema: {$ref: "#/components/schemas/HarkPlaylist"}}}}
      "400": {$ref: "#/components/responses/BadRequest"}
      "401": {$ref: "#/components/responses/Unauthorized"}
/playlists/{id}:
  put:
    responses:
      "200": {description: OK, headers: {$headers}, content: {application/json: {schema: {$ref: "#/components/schemas/HarkPlaylist"}}}}
      "400": {$ref: "#/components/responses/BadRequest"}
      "401": {$ref: "#/components/responses/Unauthorized"}
      "404": {$ref: "#/components/responses/NotFound"}
  delete:
    responses:
      "200": {description: OK, headers: {$headers}, content: {application/json: {schema: {$ref: "#/components/schemas/HarkDeleted"}}}}
      "401": {$ref: "#/components/responses/Unauthorized"}
      "404": {$ref: "#/components/responses/NotFound"}
/playlists/{id}/items:
  post:
    responses:
      "200": {description: OK, headers: {$headers}, content: {application/json: {schema: {$ref: "#/components/schemas/PlaylistItem"}}}}
      "201": {description: OK, headers: {$headers}, content: {application/json: {schema: {$ref: "#/components/schemas/PlaylistItem"}}}}
      "400": {$ref: "#/components/responses/BadRequest"}
      "401": {$ref: "#/components/responses/Unauthorized"}
      "404": {$ref: "#/components/responses/NotFound"}
/playlists/{id}/items/{item_id}:
  put:
    responses:
      "200": {description: OK, headers: {$headers}, content: {application/json: {schema: {$ref: "#/components/schemas/PlaylistItem"}}}}
      "400": {$ref: "#/components/responses/BadRequest"}
      "401": {$ref: "#/components/responses/Unauthorized"}
      "404": {$ref: "#/components/responses/NotFound"}
  delete:
    responses:
      "200": {description: OK, headers: {$headers}, content: {application/json: {schema: {$ref: "#/components/schemas/HarkDeleted"}}}}
      "401": {$ref: "#/components/responses/Unauthorized"}
      "404": {$ref: "#/components/responses/NotFound"}
`

// missingSchemas are the schemas missingOperations use beside the spec's own.
const missingSchemas = `
HarkPlaylist:
  type: object
  properties:
    id: {$ref: "#/components/schemas/PlaylistIdField"}
    name: {$ref: "#/components/schemas/PlaylistNameField"}
    description: {$ref: "#/components/schemas/PlaylistDescriptionField"}
    image: {$ref: "#/components/schemas/PlaylistImageField"}
    thumbnail: {$ref: "#/components/schemas/PlaylistThumbnailField"}
    listennotes_url: {$ref: "#/components/schemas/PlaylistListennotesUrlField"}
    visibility: {$ref: "#/components/schemas/PlaylistVisibilityField"}
    type: {type: string, enum: [episode_list, podcast_list]}
    episode_count: {type: integer}
    podcast_count: {type: integer}
    total_audio_length_sec: {type: integer}
    last_timestamp_ms: {$ref: "#/components/schemas/PlaylistLastTimestampMsField"}
HarkDeleted:
  type: object
  properties:
    id: {type: [string, integer]}
    status: {type: string, enum: [deleted]}
`

// usageHeaders are the headers every answer to a valid key has, as the spec gives them.
const usageHeaders = `{X-ListenAPI-FreeQuota: {$ref: "#/components/headers/X-ListenAPI-FreeQuota"},
  X-ListenAPI-NextBillingDate: {$ref: "#/components/headers/X-ListenAPI-NextBillingDate"},
  X-ListenAPI-Usage: {$ref: "#/components/headers/X-ListenAPI-Usage"},
  X-listenAPI-Latency-Seconds: {$ref: "#/components/headers/X-listenAPI-Latency-Seconds"}}`

// addMissingOperations adds missingOperations and missingSchemas to the spec's root node, and
// makes PlaylistItem.data an anyOf: CustomAudio's properties are a subset of EpisodeSimple's, so
// an episode matches both and the spec's oneOf refuses every episode item.
func addMissingOperations(root *yaml.Node) error {
	paths, schemas := lookup(root, "paths"), lookup(root, "components", "schemas")
	var ops, extra yaml.Node
	text := strings.ReplaceAll(missingOperations, "{$headers}", usageHeaders)
	if err := yaml.Unmarshal([]byte(text), &ops); err != nil {
		return fmt.Errorf("missing operations: %w", err)
	}
	if err := yaml.Unmarshal([]byte(missingSchemas), &extra); err != nil {
		return fmt.Errorf("missing schemas: %w", err)
	}
	for i, add := 0, ops.Content[0]; i+1 < len(add.Content); i += 2 {
		path, methods := add.Content[i], add.Content[i+1]
		item := lookup(paths, path.Value)
		if item == nil {
			paths.Content = append(paths.Content, path, methods)
			continue
		}
		for j := 0; j+1 < len(methods.Content); j += 2 {
			if lookup(item, methods.Content[j].Value) != nil {
				return fmt.Errorf("the spec has %s %s now: drop it from missingOperations", methods.Content[j].Value, path.Value)
			}
			item.Content = append(item.Content, methods.Content[j], methods.Content[j+1])
		}
	}
	schemas.Content = append(schemas.Content, extra.Content[0].Content...)
	data := lookup(schemas, "PlaylistItem", "properties", "data")
	if data == nil || len(data.Content) != 2 || data.Content[0].Value != "oneOf" {
		return errors.New("PlaylistItem.data is not a oneOf")
	}
	data.Content[0].Value = "anyOf"
	return nil
}
