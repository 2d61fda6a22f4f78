package http_test

import (
	"fmt"
	"strings"
	"testing"
)

// jsonType names the JSON type of a decoded value as the OpenAPI spec does.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "integer" // every number these schemas hold is an integer, except took
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// checkShape checks that obj has every property of a schema, with its JSON type. Nullable
// properties ("null if not available" in the spec) may also be null.
func checkShape(t *testing.T, what string, obj map[string]any, schema map[string]string) {
	t.Helper()
	for key, want := range schema {
		v, ok := obj[key]
		if !ok {
			t.Errorf("%s: property %q is missing", what, key)
			continue
		}
		got := jsonType(v)
		if nullable, found := strings.CutSuffix(want, "|null"); found {
			if got == "null" {
				continue
			}
			want = nullable
		}
		if got != want {
			t.Errorf("%s: %q is %s (%v), want %s", what, key, got, v, want)
		}
	}
}

// Schemas from listen-api-v2.openapi.yaml (components/schemas), property -> JSON type.
var (
	episodeSearchResultSchema = map[string]string{
		"id": "string", "title_original": "string", "title_highlighted": "string",
		"description_original": "string", "description_highlighted": "string",
		"transcripts_highlighted": "array", "audio": "string", "audio_length_sec": "integer",
		"pub_date_ms": "integer", "image": "string", "thumbnail": "string", "link": "string",
		"rss": "string", "explicit_content": "boolean", "itunes_id": "integer",
		"listennotes_url": "string", "podcast": "object",
	}
	episodeSearchPodcastSchema = map[string]string{
		"id": "string", "title_original": "string", "title_highlighted": "string",
		"publisher_original": "string", "publisher_highlighted": "string", "image": "string",
		"thumbnail": "string", "genre_ids": "array", "listennotes_url": "string",
		"listen_score": "integer|null", "listen_score_global_rank": "string|null",
	}
	podcastSearchResultSchema = map[string]string{
		"id": "string", "title_original": "string", "title_highlighted": "string",
		"publisher_original": "string", "publisher_highlighted": "string",
		"description_original": "string", "description_highlighted": "string", "image": "string",
		"thumbnail": "string", "rss": "string", "email": "string", "website": "string",
		"total_episodes": "integer", "genre_ids": "array", "explicit_content": "boolean",
		"latest_episode_id": "string", "latest_pub_date_ms": "integer", "earliest_pub_date_ms": "integer",
		"update_frequency_hours": "integer", "audio_length_sec": "integer", "itunes_id": "integer",
		"listennotes_url": "string", "listen_score": "integer|null", "listen_score_global_rank": "string|null",
		"has_guest_interviews": "boolean", "has_sponsors": "boolean", // live API, not in the spec
	}
	podcastMinimumSchema = map[string]string{
		"id": "string", "title": "string", "publisher": "string", "image": "string", "thumbnail": "string",
		"listennotes_url": "string", "listen_score": "integer|null", "listen_score_global_rank": "string|null",
	}
	podcastSimpleSchema = merge(podcastMinimumSchema, map[string]string{
		"total_episodes": "integer", "explicit_content": "boolean", "description": "string",
		"itunes_id": "integer", "rss": "string", "latest_pub_date_ms": "integer",
		"latest_episode_id": "string", "earliest_pub_date_ms": "integer", "language": "string",
		"country": "string", "website": "string", "extra": "object", "is_claimed": "boolean",
		"email": "string", "type": "string", "looking_for": "object", "genre_ids": "array",
		"update_frequency_hours": "integer", "audio_length_sec": "integer",
		"has_guest_interviews": "boolean", "has_sponsors": "boolean", // live API, not in the spec
	})
	podcastFullSchema = merge(podcastSimpleSchema, map[string]string{
		"episodes": "array", "next_episode_pub_date": "integer",
	})
	episodeMinimumSchema = map[string]string{
		"id": "string", "title": "string", "description": "string", "audio": "string",
		"audio_length_sec": "integer", "image": "string", "thumbnail": "string", "link": "string",
		"pub_date_ms": "integer", "explicit_content": "boolean", "maybe_audio_invalid": "boolean",
		"listennotes_url": "string", "listennotes_edit_url": "string",
	}
	episodeSimpleSchema = merge(episodeMinimumSchema, map[string]string{"podcast": "object"})
	episodeFullSchema   = merge(episodeMinimumSchema, map[string]string{"podcast": "object", "transcript": "string|null"})
)

func merge(a, b map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}
