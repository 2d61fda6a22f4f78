package db

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
)

// Statuses of an error group.
const (
	ErrorOpen     = "open"
	ErrorResolved = "resolved"
	ErrorIgnored  = "ignored"
)

// Notices RecordError returns: why the operator should hear of a group now.
const (
	NoticeNew   = "new"   // the group is new
	NoticeBack  = "back"  // the group was resolved and happened again
	NoticeAgain = "again" // the group is still happening, and the last notice is old
)

// Bounds on what an error event keeps, so that one huge panic value cannot bloat the table.
const (
	maxErrorMessage = 2000
	maxErrorStack   = 32 << 10
)

// ErrorGroup is the errors that share a cause (a fingerprint).
type ErrorGroup struct {
	ID             int64
	Fingerprint    string
	Kind           string
	Message        string // the latest occurrence's
	FirstSeen      time.Time
	LastSeen       time.Time
	Count          int64
	Status         string // ErrorOpen, ErrorResolved or ErrorIgnored
	ReopenedAt     *time.Time
	LastNotifiedAt *time.Time
}

// ErrorOccurrence is one recorded event of a group.
type ErrorOccurrence struct {
	ID      int64
	GroupID int64
	At      time.Time
	Stack   string
	Context map[string]any
	Release string
}

const errorGroupColumns = `id, fingerprint, kind, message, first_seen, last_seen, count, status, reopened_at, last_notified_at`

// RecordError adds ev to the group of fingerprint, creating the group or reopening it when it
// was resolved, and stores the occurrence with release. notice says whether to tell the
// operator now (NoticeNew, NoticeBack, NoticeAgain, or "" for no): an open group is told of at
// most once per notifyEvery, an ignored one never. The decision and its mark are taken in the
// one upsert that holds the group's row lock, so concurrent recorders tell it once.
func (s *Store) RecordError(ctx context.Context, fingerprint string, ev hark.ErrorEvent, release string, notifyEvery time.Duration) (g ErrorGroup, notice string, err error) {
	var created, back, notify bool
	err = s.db.QueryRow(ctx, `
		INSERT INTO error_groups AS g (fingerprint, kind, message, first_seen, last_seen, last_notified_at)
		VALUES (@fp, @kind, @message, @at, @at, @at)
		ON CONFLICT (fingerprint) DO UPDATE SET
			message = EXCLUDED.message,
			last_seen = greatest(g.last_seen, EXCLUDED.last_seen),
			count = g.count + 1,
			status = CASE WHEN g.status = 'resolved' THEN 'open' ELSE g.status END,
			reopened_at = CASE WHEN g.status = 'resolved' THEN @at ELSE g.reopened_at END,
			last_notified_at = CASE
				WHEN g.status <> 'ignored' AND (g.last_notified_at IS NULL OR g.last_notified_at <= @at - @every::interval)
				THEN @at ELSE g.last_notified_at END
		RETURNING `+errorGroupColumns+`, (xmax = 0), reopened_at IS NOT DISTINCT FROM @at,
			last_notified_at IS NOT DISTINCT FROM @at`,
		pgx.NamedArgs{"fp": fingerprint, "kind": ev.Kind, "message": truncateUTF8(ev.Message, maxErrorMessage),
			"at": ev.At, "every": notifyEvery}).
		Scan(&g.ID, &g.Fingerprint, &g.Kind, &g.Message, &g.FirstSeen, &g.LastSeen, &g.Count, &g.Status,
			&g.ReopenedAt, &g.LastNotifiedAt, &created, &back, &notify)
	if err != nil {
		return g, "", fmt.Errorf("record error group: %w", err)
	}
	ctxJSON, err := json.Marshal(ev.Context)
	if err != nil {
		return g, "", fmt.Errorf("record error event: %w", err)
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO error_events (group_id, at, stack, context, release) VALUES ($1, $2, $3, $4, $5)`,
		g.ID, ev.At, truncateUTF8(ev.Stack, maxErrorStack), ctxJSON, release); err != nil {
		return g, "", fmt.Errorf("record error event: %w", err)
	}
	return g, errorNotice(notify, created, back), nil
}

// errorNotice is why a group just recorded is to be told of, or "".
func errorNotice(notify, created, back bool) string {
	switch {
	case !notify:
		return ""
	case created:
		return NoticeNew
	case back:
		return NoticeBack
	}
	return NoticeAgain
}

// ErrorGroupFilter selects error groups.
type ErrorGroupFilter struct {
	Status string // one status, or "" for all
	Limit  int    // default 100
}

// FindErrorGroups returns the groups f selects, the most recently seen first.
func (s *Store) FindErrorGroups(ctx context.Context, f ErrorGroupFilter) ([]ErrorGroup, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	return queryAll(ctx, s.db, "find error groups", scanErrorGroup, `SELECT `+errorGroupColumns+` FROM error_groups
		WHERE @status = '' OR status = @status ORDER BY last_seen DESC, id DESC LIMIT @limit`,
		pgx.NamedArgs{"status": f.Status, "limit": limit})
}

// FindErrorGroupByID returns the group. Returns ErrNotFound for an unknown ID.
func (s *Store) FindErrorGroupByID(ctx context.Context, id int64) (ErrorGroup, error) {
	g, err := scanErrorGroup(s.db.QueryRow(ctx, `SELECT `+errorGroupColumns+` FROM error_groups WHERE id = $1`, id))
	if err != nil {
		return g, fmt.Errorf("find error group %d: %w", id, interpretError(err))
	}
	return g, nil
}

// FindErrorEvents returns the latest limit occurrences of the group, newest first.
func (s *Store) FindErrorEvents(ctx context.Context, groupID int64, limit int) ([]ErrorOccurrence, error) {
	return queryAll(ctx, s.db, "find error events", func(row pgx.Row) (ErrorOccurrence, error) {
		var e ErrorOccurrence
		err := row.Scan(&e.ID, &e.GroupID, &e.At, &e.Stack, &e.Context, &e.Release)
		return e, err
	}, `SELECT id, group_id, at, stack, context, release FROM error_events WHERE group_id = $1
		ORDER BY at DESC, id DESC LIMIT $2`, groupID, limit)
}

// SetErrorGroupStatus marks the group open, resolved or ignored. Returns ErrNotFound for an
// unknown group and ErrInvalid for another status.
func (s *Store) SetErrorGroupStatus(ctx context.Context, id int64, status string) error {
	if status != ErrorOpen && status != ErrorResolved && status != ErrorIgnored {
		return hark.Errorf(hark.ErrInvalid, "status must be open, resolved or ignored")
	}
	tag, err := s.db.Exec(ctx, `UPDATE error_groups SET status = $2 WHERE id = $1`, id, status)
	if err != nil {
		return fmt.Errorf("set error group %d status: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("set error group %d status: %w", id, hark.ErrNotFound)
	}
	return nil
}

func scanErrorGroup(row pgx.Row) (ErrorGroup, error) {
	var g ErrorGroup
	err := row.Scan(&g.ID, &g.Fingerprint, &g.Kind, &g.Message, &g.FirstSeen, &g.LastSeen, &g.Count, &g.Status,
		&g.ReopenedAt, &g.LastNotifiedAt)
	return g, err
}
