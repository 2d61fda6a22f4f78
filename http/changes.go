package http

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hark"
	"hark/db"
)

// Change feed defaults.
const (
	// ChangesSettleDefault is Config.ChangesSettle when it is zero.
	ChangesSettleDefault = 10 * time.Second
	changesLimitDefault  = 100
	changesLimitMax      = 1000
)

// changeItem is one entry of the change feed.
type changeItem struct {
	Type        string `json:"type"` // podcast or episode
	ID          string `json:"id"`
	PodcastID   string `json:"podcast_id"`
	UpdatedAtMS int64  `json:"updated_at_ms"`
	Deleted     bool   `json:"deleted"`
}

// changesResponse is the answer of GET /api/v2/changes.
type changesResponse struct {
	Changes    []changeItem `json:"changes"`
	NextCursor string       `json:"next_cursor"`
	HasMore    bool         `json:"has_more"`
}

// handleChanges handles "GET /api/v2/changes", a Hark extension for clients that mirror Hark:
// the podcasts and episodes added or changed after the cursor `since` (absent: from the
// beginning), oldest first. Gone episodes and dead podcasts come as tombstones (deleted: true).
// next_cursor is the `since` of the next page; it is returned even on an empty page, so a
// client polls with the last one it got.
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) error {
	p := &params{v: r.URL.Query()}
	limit := p.int("limit", changesLimitDefault, 1, changesLimitMax)
	since := p.str("since")
	if p.err != nil {
		return p.err
	}
	after, err := decodeChangeCursor(since)
	if err != nil {
		return err
	}
	changes, err := s.store.FindChanges(r.Context(), db.ChangeFilter{After: after, Limit: limit + 1, Settle: s.cfg.ChangesSettle})
	if err != nil {
		return err
	}
	resp := changesResponse{Changes: []changeItem{}, NextCursor: since, HasMore: len(changes) > limit}
	changes = changes[:min(len(changes), limit)]
	for _, c := range changes {
		resp.Changes = append(resp.Changes, changeItem{Type: c.Kind, ID: c.ID, PodcastID: c.PodcastID, UpdatedAtMS: c.UpdatedAt.UnixMilli(), Deleted: c.Gone})
	}
	if n := len(changes); n > 0 {
		resp.NextCursor = encodeChangeCursor(db.ChangeCursor{At: changes[n-1].UpdatedAt, ID: changes[n-1].ID})
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// encodeChangeCursor writes c as an opaque string: the time in microseconds (Postgres's
// precision) and the ID.
func encodeChangeCursor(c db.ChangeCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.At.UnixMicro(), 10) + ":" + c.ID))
}

// decodeChangeCursor reads a cursor made by encodeChangeCursor; "" is the start of the feed.
func decodeChangeCursor(s string) (db.ChangeCursor, error) {
	if s == "" {
		return db.ChangeCursor{At: time.Unix(0, 0)}, nil
	}
	bad := hark.Errorf(hark.ErrInvalid, "since: not a cursor from next_cursor")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return db.ChangeCursor{}, bad
	}
	micros, id, ok := strings.Cut(string(raw), ":")
	us, err := strconv.ParseInt(micros, 10, 64)
	if !ok || err != nil || (id != "" && !hark.ValidID(id)) {
		return db.ChangeCursor{}, bad
	}
	return db.ChangeCursor{At: time.UnixMicro(us), ID: id}, nil
}
