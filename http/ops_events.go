package http

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"hark"
	"hark/db"
	"hark/jobs"
)

// createSignupKey creates the key a sign-up asked for and, in the same transaction, the notice
// to the operator's chat.
func (s *Server) createSignupKey(ctx context.Context, nk db.NewAPIKey) (key string, k hark.APIKey, err error) {
	err = s.store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		if key, k, err = st.CreatePlanKey(ctx, nk); err != nil {
			return err
		}
		return s.cfg.Ops.NotifyTx(ctx, tx, jobs.EventAPISignup, fmt.Sprintf("*New API sign-up*: %s (%s) on the %s plan, key %d",
			jobs.SlackEscape(nk.Name), jobs.SlackEscape(nk.Email), jobs.SlackEscape(nk.Plan), k.ID))
	})
	return key, k, err
}

// requestDeletion records a request to delete the podcast and, when it is a new one, the
// notice to the operator's chat, in one transaction.
func (s *Server) requestDeletion(ctx context.Context, ask db.DeletionAsk) (status string, err error) {
	id, reason := ask.PodcastID, ask.Reason
	err = s.store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		var created bool
		if status, created, err = st.RequestPodcastDeletion(ctx, ask); err != nil || !created {
			return err
		}
		by := "without an API key"
		if ask.APIKeyID != 0 {
			by = fmt.Sprintf("by API key %d", ask.APIKeyID)
		}
		return s.cfg.Ops.NotifyTx(ctx, tx, jobs.EventDeletionRequested, fmt.Sprintf(
			"*Deletion requested* for podcast %s, %s: %s", s.cfg.Ops.Link("/podcasts/"+id, id), by, jobs.SlackEscape(truncate(reason, 300))))
	})
	return status, err
}

// quotaNotices remembers, per web process, the keys whose exhausted quota was told of this
// billing month, so a key refused all month costs the database one claim.
type quotaNotices struct {
	mu   sync.Mutex
	told map[int64]time.Time // key ID to the billing month told
}

// quotaExhausted tells the operator's chat, once per key and billing month across every web
// process, that key k used its quota. It runs on a refused request: its failure is logged, and
// the answer is the same.
func (s *Server) quotaExhausted(r *http.Request, k hark.APIKey, quota int) {
	if !s.cfg.Ops.Enabled() {
		return
	}
	month := nextBillingDate(time.Now())
	s.quota.mu.Lock()
	told := s.quota.told[k.ID] == month
	s.quota.mu.Unlock()
	if told {
		return
	}
	ctx := r.Context()
	err := s.store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		claimed, err := st.ClaimQuotaNotice(ctx, k.ID)
		if err != nil || !claimed {
			return err
		}
		return s.cfg.Ops.NotifyTx(ctx, tx, jobs.EventQuotaExhausted, fmt.Sprintf(
			"*Quota exhausted*: API key %d (%s, %s plan) used its %d requests this month", k.ID,
			jobs.SlackEscape(k.Name), jobs.SlackEscape(k.Plan), quota))
	})
	if err != nil {
		s.logger.WarnContext(ctx, "Quota notice not sent", slog.Any("error", err), slog.Int64("api_key_id", k.ID))
		return
	}
	s.quota.mu.Lock()
	if s.quota.told == nil {
		s.quota.told = map[int64]time.Time{}
	}
	s.quota.told[k.ID] = month
	s.quota.mu.Unlock()
}
