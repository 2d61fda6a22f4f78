package http

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // WebSub hubs still sign with sha1; it is one of the spec's four
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"hark"
)

// Limits of the WebSub callback.
const (
	// maxNotificationBytes bounds the body hashed to check a notification's signature; the body
	// itself (the feed) is not kept, since a notification only triggers a crawl.
	maxNotificationBytes = 32 << 20
	// webSubLeaseAssumed is the lease assumed when a hub's verification names none: short, so
	// the subscription is renewed soon.
	webSubLeaseAssumed = 24 * 3600
)

// webSubRoutes serves the callback WebSub hubs call: outside the page group, since hubs post
// from other origins.
func (s *Server) webSubRoutes(r chi.Router) {
	r.Get("/callback/{id}", s.handle(s.handleWebSubVerify))
	r.Post("/callback/{id}", s.handle(s.handleWebSubNotify))
}

// handleWebSubVerify handles "GET /websub/callback/{id}": the hub's verification of a subscribe
// request, answered by echoing hub.challenge, or its notice that it denied the subscription. A
// podcast without a subscription, a topic other than the one subscribed to, and any other mode
// (unsubscribe included) are answered 404, which tells the hub the intent is not Hark's.
func (s *Server) handleWebSubVerify(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, q := chi.URLParam(r, "id"), r.URL.Query()
	sub, err := s.store.FindWebSubSubscription(ctx, id)
	if err != nil {
		return err
	}
	if q.Get("hub.topic") != sub.TopicURL {
		return hark.ErrNotFound
	}
	challenge := q.Get("hub.challenge")
	switch mode := q.Get("hub.mode"); {
	case mode == "denied":
		if err := s.store.MarkWebSubDenied(ctx, id, q.Get("hub.reason")); err != nil {
			return err
		}
		s.logger.WarnContext(ctx, "WebSub subscription denied", slog.String("podcast_id", id),
			slog.String("reason", q.Get("hub.reason")), slog.String("request_id", RequestID(ctx)))
		challenge = ""
	case challenge == "":
		return hark.ErrNotFound
	case mode == "subscribe":
		lease, err := strconv.Atoi(q.Get("hub.lease_seconds"))
		if err != nil || lease <= 0 {
			lease = webSubLeaseAssumed
		}
		if err := s.store.MarkWebSubVerified(ctx, id, sub.TopicURL, min(lease, 1<<30)); err != nil {
			return err
		}
		s.logger.InfoContext(ctx, "WebSub subscription verified", slog.String("podcast_id", id),
			slog.Int("lease_seconds", lease), slog.String("request_id", RequestID(ctx)))
	default:
		// Hark never asks to unsubscribe, so an unsubscribe verification is not its intent: the
		// spec's 404 keeps anyone from ending Hark's subscriptions by asking the hub in its name.
		return hark.ErrNotFound
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, challenge)
	return nil
}

// handleWebSubNotify handles "POST /websub/callback/{id}": a hub's notification that the feed
// changed. A correctly signed one enqueues a crawl, which coalesces with one already waiting.
// As the WebSub spec asks, a notification with a missing or wrong X-Hub-Signature is answered
// 2xx like any other (so a forger learns nothing) and ignored.
func (s *Server) handleWebSubNotify(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := chi.URLParam(r, "id")
	sub, err := s.store.FindWebSubSubscription(ctx, id)
	if err != nil {
		return err
	}
	ok, err := validHubSignature(sub.Secret, r.Header.Get("X-Hub-Signature"), r.Body)
	if err != nil {
		return hark.Errorf(hark.ErrInvalid, "The notification body could not be read.")
	}
	if !ok {
		s.logger.WarnContext(ctx, "WebSub notification ignored: bad signature", slog.String("podcast_id", id),
			slog.String("request_id", RequestID(ctx)))
		w.WriteHeader(http.StatusAccepted)
		return nil
	}
	if err := s.submit.RefreshPodcast(ctx, id); err != nil {
		return err
	}
	s.logger.InfoContext(ctx, "WebSub notification received", slog.String("podcast_id", id),
		slog.String("request_id", RequestID(ctx)))
	w.WriteHeader(http.StatusAccepted)
	return nil
}

// validHubSignature reports whether header ("sha256=<hex>", or sha1, sha384, sha512) is the HMAC
// of body with secret. The body is hashed as it streams in; one over maxNotificationBytes is
// not valid. The error is only for a body that could not be read.
func validHubSignature(secret, header string, body io.Reader) (bool, error) {
	algo, sig, _ := strings.Cut(strings.TrimSpace(header), "=")
	var newHash func() hash.Hash
	switch strings.ToLower(algo) {
	case "sha1":
		newHash = sha1.New
	case "sha256":
		newHash = sha256.New
	case "sha384":
		newHash = sha512.New384
	case "sha512":
		newHash = sha512.New
	default:
		return false, nil
	}
	want, err := hex.DecodeString(sig)
	if err != nil || secret == "" {
		return false, nil
	}
	mac := hmac.New(newHash, []byte(secret))
	n, err := io.Copy(mac, io.LimitReader(body, maxNotificationBytes+1))
	if err != nil {
		return false, err
	}
	return n <= maxNotificationBytes && hmac.Equal(mac.Sum(nil), want), nil
}
