package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// GenerationUnknown is what WatchIndexGeneration reports while it cannot tell the index
// generation (no connection to Postgres): a cache keyed by it must then answer nothing.
const GenerationUnknown int64 = -1

// IndexGenerationPollDefault is how often WatchIndexGeneration reads the generation besides
// listening for its notifications.
const IndexGenerationPollDefault = 10 * time.Second

// indexGenerationChannel is the NOTIFY channel of bumps. Every schema of a database shares it,
// so a notification only says "read yours again" (tests and the bench run several schemas).
const indexGenerationChannel = "index_generation"

// bumpIndexGeneration advances the index generation and tells the web processes, which learn it
// when the statement's transaction commits.
const bumpIndexGeneration = `SELECT pg_notify('` + indexGenerationChannel + `', nextval('index_generation')::text)`

// BumpIndexGeneration advances the index generation: call it after a batch of writes to the
// search index has been acknowledged, so that cached search answers from before it are dropped.
func (s *Store) BumpIndexGeneration(ctx context.Context) error {
	if _, err := s.db.Exec(ctx, bumpIndexGeneration); err != nil {
		return fmt.Errorf("bump index generation: %w", err)
	}
	return nil
}

// IndexGeneration returns the index generation: it grows by one with each batch of index writes.
func (s *Store) IndexGeneration(ctx context.Context) (int64, error) {
	return readIndexGeneration(ctx, s.db)
}

func readIndexGeneration(ctx context.Context, q DBTX) (int64, error) {
	var gen int64
	// A new sequence shows last_value 1 before its first nextval, and 1 again after it.
	if err := q.QueryRow(ctx, `SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM index_generation`).Scan(&gen); err != nil {
		return 0, fmt.Errorf("read index generation: %w", err)
	}
	return gen, nil
}

// WatchIndexGeneration calls set with the index generation when it starts and whenever it
// changes, until ctx ends. It listens for the bumps' notifications on a connection of its own,
// opened with the pool's settings, and reads the generation again every poll as well (a
// notification is never lost on a live connection; the poll is a backstop). While it has no
// connection it calls set(GenerationUnknown), and it reconnects with a backoff of up to poll.
func (s *Store) WatchIndexGeneration(ctx context.Context, poll time.Duration, set func(gen int64), logger *slog.Logger) {
	wait := time.Second
	for ctx.Err() == nil {
		err := s.listenIndexGeneration(ctx, poll, set, func() { wait = time.Second })
		set(GenerationUnknown)
		if ctx.Err() != nil {
			return
		}
		logger.WarnContext(ctx, "Index generation watch lost its connection", slog.Any("error", err),
			slog.Duration("retry_in", wait))
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, max(poll, time.Second))
	}
}

// listenIndexGeneration is one connection's watch: it returns the error that ended it.
// connected is called once the generation has been read.
func (s *Store) listenIndexGeneration(ctx context.Context, poll time.Duration, set func(int64), connected func()) error {
	if s.pool == nil {
		return errors.New("watch index generation: the store has no pool")
	}
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+indexGenerationChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	for first := true; ; first = false {
		gen, err := readIndexGeneration(ctx, conn)
		if err != nil {
			return err
		}
		set(gen)
		if first {
			connected()
		}
		waitCtx, cancel := context.WithTimeout(ctx, poll)
		_, err = conn.WaitForNotification(waitCtx)
		cancel()
		if err != nil && (ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded)) {
			return err
		}
	}
}
