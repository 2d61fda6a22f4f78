package search

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
)

// The two kinds of collection. Each is reached through the alias <prefix><kind> that points at a
// versioned collection <prefix><kind>_v<version>.
const (
	kindEpisodes = "episodes"
	kindPodcasts = "podcasts"
)

// alias returns the name of the alias for kind.
func (ix *Index) alias(kind string) string { return ix.cfg.Prefix + kind }

// versioned returns the name of a collection of kind at version.
func (ix *Index) versioned(kind, version string) string {
	return ix.cfg.Prefix + kind + "_v" + version
}

// ours reports whether a collection or alias name belongs to this Index's prefix.
func (ix *Index) ours(name string) bool {
	for _, kind := range []string{kindEpisodes, kindPodcasts} {
		if name == ix.alias(kind) || strings.HasPrefix(name, ix.alias(kind)+"_v") {
			return true
		}
	}
	return false
}

// yes and no fill the *bool options of api.Field.
var yes, no = new(true), new(false)

// tokenSeparators split words in every field as terms.Fold splits them in title_key and in
// queries: "Post-Punk", "03.11.2021" and "r/askscience" are two or three words, not one
// ("postpunk"), so their parts match in descriptions and names too. Typesense 0.24.1 takes ASCII
// separators only; '"' is left out as it marks phrases in queries, and the apostrophe as Fold
// drops it.
var tokenSeparators = strings.Split(`- . / _ : & + @ # | , ; ! ? ( ) [ ] * = ~ \ < > { } $ % ^`, " ")

// episodeSchema is the episodes collection. Fields with Index: no are stored for display only,
// so a result page renders from the hit alone.
func episodeSchema(name string) *api.CollectionSchema {
	return &api.CollectionSchema{
		Name:                name,
		DefaultSortingField: new("published_at"),
		TokenSeparators:     new(tokenSeparators),
		Fields: []api.Field{
			{Name: "podcast_id", Type: "string", Facet: yes},
			{Name: "title", Type: "string"},
			{Name: "title_key", Type: "string", Optional: yes},
			{Name: "description", Type: "string"},
			{Name: "podcast_title", Type: "string"},
			{Name: "publisher", Type: "string"},
			{Name: "transcript", Type: "string", Optional: yes},
			{Name: "persons", Type: "string[]", Optional: yes},
			{Name: "genre_ids", Type: "int32[]", Facet: yes},
			{Name: "language", Type: "string", Facet: yes},
			{Name: "languages", Type: "string[]", Facet: yes, Optional: yes}, // see languageTags
			{Name: "country", Type: "string", Facet: yes, Optional: yes},
			{Name: "explicit", Type: "bool", Facet: yes},
			{Name: "published_at", Type: "int64", Sort: yes},
			{Name: "audio_length_sec", Type: "int32", Facet: yes},
			{Name: "quality", Type: "float", Sort: yes},
			{Name: "updated_at", Type: "int64"},
			display("guid"), display("audio"), display("audio_type"), displayOf("audio_size", "int64"),
			display("image"), display("link"), display("episode_type"), displayOf("season", "int32"),
			displayOf("number", "int32"), display("transcript_url"), display("chapters_url"),
			displayOf("episode_explicit", "bool"), displayOf("podcast_explicit", "bool"),
			display("podcast_image"), display("podcast_feed_url"), display("podcast_website"),
		},
	}
}

// podcastSchema is the podcasts collection.
func podcastSchema(name string) *api.CollectionSchema {
	return &api.CollectionSchema{
		Name:            name,
		TokenSeparators: new(tokenSeparators),
		Fields: []api.Field{
			{Name: "podcast_id", Type: "string"}, // = id, for ncid filters; see podcastIDFilter
			{Name: "title", Type: "string"},
			{Name: "title_key", Type: "string", Optional: yes},
			{Name: "publisher", Type: "string"},
			{Name: "description", Type: "string"},
			{Name: "genre_ids", Type: "int32[]", Facet: yes},
			{Name: "language", Type: "string", Facet: yes},
			{Name: "languages", Type: "string[]", Facet: yes, Optional: yes},
			{Name: "country", Type: "string", Facet: yes, Optional: yes},
			{Name: "explicit", Type: "bool", Facet: yes},
			{Name: "episode_count", Type: "int32", Facet: yes},
			{Name: "update_freq_hours", Type: "int32", Facet: yes},
			{Name: "latest_pub_date", Type: "int64", Sort: yes},
			{Name: "quality", Type: "float", Sort: yes},
			{Name: "podcast_guid", Type: "string", Optional: yes},
			{Name: "updated_at", Type: "int64"},
			display("image"), display("website"), display("feed_url"), display("type"),
			displayOf("earliest_pub_date", "int64"), display("owner_email"),
		},
	}
}

func display(name string) api.Field { return displayOf(name, "string") }

func displayOf(name, typ string) api.Field {
	return api.Field{Name: name, Type: typ, Index: no, Optional: yes}
}

// createCollections creates the episodes and podcasts collections at version.
func (ix *Index) createCollections(ctx context.Context, version string) error {
	for _, s := range []*api.CollectionSchema{
		episodeSchema(ix.versioned(kindEpisodes, version)),
		podcastSchema(ix.versioned(kindPodcasts, version)),
	} {
		if _, err := ix.client.Collections().Create(ctx, s); err != nil {
			return fmt.Errorf("create collection %s: %w", s.Name, interpretError(err))
		}
	}
	return nil
}

// EnsureCollections creates the collections <prefix>episodes_v1 and <prefix>podcasts_v1 and the
// aliases <prefix>episodes and <prefix>podcasts pointing at them, for each alias that is missing.
// It is idempotent; an existing alias is left as it is, whatever version it points at, and its
// collection gets the fields a newer Hark added to the schema (see addMissingFields). fill
// reports that it created a collection or added fields: the index lacks what Postgres holds
// (Typesense lost its data, or this is a new installation) or the documents written before lack
// the new fields, until a reindex.
func (ix *Index) EnsureCollections(ctx context.Context) (fill bool, err error) {
	ctx, cancel := ix.importContext(ctx)
	defer cancel()
	for _, kind := range []string{kindEpisodes, kindPodcasts} {
		a, err := ix.client.Alias(ix.alias(kind)).Retrieve(ctx)
		if err == nil {
			added, err := ix.addMissingFields(ctx, kind, a.CollectionName)
			if err != nil {
				return fill, fmt.Errorf("ensure collections: %w", err)
			}
			fill = fill || added
			continue
		}
		if err = interpretError(err); !isNotFound(err) {
			return fill, fmt.Errorf("ensure collections: alias %s: %w", ix.alias(kind), err)
		}
		name := ix.versioned(kind, "1")
		schema := episodeSchema(name)
		if kind == kindPodcasts {
			schema = podcastSchema(name)
		}
		if _, err := ix.client.Collections().Create(ctx, schema); err != nil {
			if err = interpretError(err); !errors.Is(err, hark.ErrConflict) { // 409: it exists already
				return fill, fmt.Errorf("ensure collections: create %s: %w", name, err)
			}
		}
		if err := ix.pointAlias(ctx, kind, name); err != nil {
			return fill, fmt.Errorf("ensure collections: %w", err)
		}
		ix.logger.InfoContext(ctx, "Search collection created", "collection", name, "alias", ix.alias(kind))
		fill = true
	}
	return fill, nil
}

// addMissingFields adds to collection, of kind, the fields of the current schema it lacks: an
// index built by an older Hark keeps answering the queries of this one. New fields are optional,
// so documents written before stay valid and simply lack them until the next reindex. It
// reports whether it added any.
func (ix *Index) addMissingFields(ctx context.Context, kind, collection string) (bool, error) {
	c, err := ix.client.Collection(collection).Retrieve(ctx)
	if err != nil {
		return false, fmt.Errorf("collection %s: %w", collection, interpretError(err))
	}
	have := make(map[string]bool, len(c.Fields))
	for _, f := range c.Fields {
		have[f.Name] = true
	}
	want := episodeSchema(collection)
	if kind == kindPodcasts {
		want = podcastSchema(collection)
	}
	var missing []api.Field
	var names []string
	for _, f := range want.Fields {
		if !have[f.Name] {
			missing, names = append(missing, f), append(names, f.Name)
		}
	}
	if len(missing) == 0 {
		return false, nil
	}
	if _, err := ix.client.Collection(collection).Update(ctx, &api.CollectionUpdateSchema{Fields: missing}); err != nil {
		return false, fmt.Errorf("add fields %s to %s: %w", strings.Join(names, ", "), collection, interpretError(err))
	}
	ix.logger.WarnContext(ctx, "Search collection upgraded: new fields added; a reindex fills them",
		"collection", collection, "fields", strings.Join(names, ","))
	return true, nil
}

// pointAlias makes the alias for kind point at collection.
func (ix *Index) pointAlias(ctx context.Context, kind, collection string) error {
	_, err := ix.client.Aliases().Upsert(ctx, ix.alias(kind), &api.CollectionAliasSchema{CollectionName: collection})
	if err != nil {
		return fmt.Errorf("point alias %s at %s: %w", ix.alias(kind), collection, interpretError(err))
	}
	return nil
}

// aliasTarget returns the collection the alias for kind points at.
func (ix *Index) aliasTarget(ctx context.Context, kind string) (string, error) {
	a, err := ix.client.Alias(ix.alias(kind)).Retrieve(ctx)
	if err != nil {
		return "", fmt.Errorf("alias %s: %w", ix.alias(kind), interpretError(err))
	}
	return a.CollectionName, nil
}

// dropCollection deletes a collection; one already gone is no error.
func (ix *Index) dropCollection(ctx context.Context, name string) error {
	_, err := ix.client.Collection(name).Delete(ctx)
	if err != nil {
		if err = interpretError(err); !isNotFound(err) {
			return fmt.Errorf("drop collection %s: %w", name, err)
		}
	}
	return nil
}

// dropAll deletes every alias and collection of this Index's prefix: <prefix>episodes,
// <prefix>podcasts and their versions. Other names on the server are left alone, even with an
// empty prefix. For tests and the bench (searchtest.DropAll).
func (ix *Index) dropAll(ctx context.Context) error {
	ctx, cancel := ix.importContext(ctx)
	defer cancel()
	aliases, err := ix.client.Aliases().Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("drop all: list aliases: %w", interpretError(err))
	}
	for _, a := range aliases {
		if a.Name == nil || !ix.ours(*a.Name) {
			continue
		}
		if _, err := ix.client.Alias(*a.Name).Delete(ctx); err != nil {
			if err = interpretError(err); !isNotFound(err) {
				return fmt.Errorf("drop all: alias %s: %w", *a.Name, err)
			}
		}
	}
	collections, err := ix.client.Collections().Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("drop all: list collections: %w", interpretError(err))
	}
	for _, c := range collections {
		if ix.ours(c.Name) {
			if err := ix.dropCollection(ctx, c.Name); err != nil {
				return fmt.Errorf("drop all: %w", err)
			}
		}
	}
	return nil
}
