package search

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/typesense/typesense-go/v3/typesense/api"

	"hark"
)

// Documents go to Typesense in requests of importChunk documents; the server indexes each request
// in batches of importBatch.
const (
	importChunk = 2000
	importBatch = 250
)

// importResult is one line of an import's answer.
type importResult struct {
	Success  bool   `json:"success"`
	Code     int    `json:"code"`
	Error    string `json:"error"`
	Document string `json:"document"`
}

// importDocs upserts docs into collection (a name or an alias) and returns how many the server
// took. Each document either replaces the one with its id or is added, so writing twice updates
// and never duplicates. A document the server refuses fails the call, after the others are
// written; ErrUnavailable when it refused for lack of capacity.
//
// We write only through bulk import: typesense-go's Document(id).Update expects 200 where
// Typesense 0.24.1 answers 201, and Documents().Import would decode each answer line into a
// struct that drops the code.
func importDocs[T any](ctx context.Context, ix *Index, collection string, docs []T) (int, error) {
	ctx, cancel := ix.importContext(ctx)
	defer cancel()
	written := 0
	var errs []error
	for start := 0; start < len(docs); start += importChunk {
		chunk := docs[start:min(start+importChunk, len(docs))]
		var body bytes.Buffer
		enc := json.NewEncoder(&body)
		for i := range chunk {
			if err := enc.Encode(&chunk[i]); err != nil {
				return written, fmt.Errorf("import into %s: encode document %d: %w", collection, start+i, err)
			}
		}
		n, err := ix.importJSONL(ctx, collection, &body, len(chunk))
		written += n
		if err != nil {
			errs = append(errs, err)
			if errors.Is(err, hark.ErrUnavailable) {
				break
			}
		}
	}
	return written, errors.Join(errs...)
}

// importJSONL sends n documents, one JSON object a line, and checks each line of the answer.
func (ix *Index) importJSONL(ctx context.Context, collection string, body *bytes.Buffer, n int) (int, error) {
	params := &api.ImportDocumentsParams{Action: new(api.Upsert), BatchSize: new(importBatch)}
	rc, err := ix.client.Collection(collection).Documents().ImportJsonl(ctx, body, params)
	if err != nil {
		return 0, fmt.Errorf("import into %s: %w", collection, interpretError(err))
	}
	defer rc.Close()

	ok, lines := 0, 0
	var failed []importResult
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024) // a failed line echoes its whole document
	for sc.Scan() {
		var r importResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return ok, fmt.Errorf("import into %s: line %d of the answer: %w", collection, lines+1, err)
		}
		lines++
		if r.Success {
			ok++
		} else {
			failed = append(failed, r)
		}
	}
	if err := sc.Err(); err != nil {
		return ok, fmt.Errorf("import into %s: read answer: %w", collection, interpretError(err))
	}
	if lines != n {
		return ok, fmt.Errorf("import into %s: sent %d documents, got %d answers", collection, n, lines)
	}
	if len(failed) > 0 {
		return ok, importError(collection, n, failed)
	}
	return ok, nil
}

// importError describes the refused lines of an import, naming the first.
func importError(collection string, n int, failed []importResult) error {
	first := failed[0]
	var doc struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(first.Document), &doc) // best effort: only names the document
	err := fmt.Errorf("import into %s: %d of %d documents refused; first (id %q): %s",
		collection, len(failed), n, doc.ID, first.Error)
	for _, f := range failed {
		if f.Code >= 500 {
			return fmt.Errorf("%w: %w", hark.ErrUnavailable, err)
		}
	}
	return err
}
