package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"hark"
	"hark/db"
)

// Defaults of the error recorder.
const (
	// ErrorNotifyEveryDefault is how often at most the operator hears of one error group.
	ErrorNotifyEveryDefault = time.Hour
	// errorQueueSize bounds the events waiting to be written. Past it Record drops them: a
	// storm of one error must not hold up the requests and jobs that hit it, and its group has
	// already been told of.
	errorQueueSize = 256
	// errorWriteTimeout bounds the writing of one event, so a stuck database fills the queue
	// (and drops) rather than blocking Run forever.
	errorWriteTimeout = 10 * time.Second
)

// ErrorRecorder records unexpected errors (panics and 5xx answers in the web server, panics and
// failed last attempts in River jobs) in Postgres, grouped by ErrorFingerprint, and tells the
// operator's chat of a group that is new, back, or still happening an hour after the last
// notice. Record never blocks: events wait in a bounded queue that Run writes. It is River's
// ErrorHandler for the jobs.
type ErrorRecorder struct {
	store   *db.Store
	logger  *slog.Logger
	queue   chan hark.ErrorEvent
	dropped atomic.Int64
	// NotifyEvery is how often at most a group is told of; default ErrorNotifyEveryDefault.
	NotifyEvery time.Duration
}

// NewErrorRecorder returns a recorder writing to store. Start its Run.
func NewErrorRecorder(store *db.Store, logger *slog.Logger) *ErrorRecorder {
	return &ErrorRecorder{store: store, logger: logger, queue: make(chan hark.ErrorEvent, errorQueueSize),
		NotifyEvery: ErrorNotifyEveryDefault}
}

// Record queues ev for writing, stamped with the time if it has none. It never blocks: when
// the queue is full the event is dropped and counted. A nil recorder records nothing.
func (r *ErrorRecorder) Record(ev hark.ErrorEvent) {
	if r == nil {
		return
	}
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	select {
	case r.queue <- ev:
	default:
		r.dropped.Add(1)
	}
}

// Run writes the queued events until ctx is done, then writes what is still queued and
// returns. ops tells the operator of groups; nil tells no one.
func (r *ErrorRecorder) Run(ctx context.Context, ops *Ops) {
	for {
		select {
		case ev := <-r.queue:
			r.write(ctx, ops, ev)
		case <-ctx.Done():
			r.drain(ops)
			return
		}
	}
}

// drain writes the events queued when Run was stopped, the last ones a process saw.
func (r *ErrorRecorder) drain(ops *Ops) {
	ctx := context.Background()
	for {
		select {
		case ev := <-r.queue:
			r.write(ctx, ops, ev)
		default:
			return
		}
	}
}

// write stores ev and, in the same transaction, the notice of its group when one is due. Its
// failures are logged: they are not the caller's, who went on long ago.
func (r *ErrorRecorder) write(ctx context.Context, ops *Ops, ev hark.ErrorEvent) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), errorWriteTimeout)
	defer cancel()
	err := r.store.InTx(ctx, func(tx pgx.Tx, st *db.Store) error {
		g, notice, err := st.RecordError(ctx, ErrorFingerprint(ev), ev, hark.Release(), r.NotifyEvery)
		if err != nil || notice == "" || !ops.Enabled() {
			return err
		}
		return ops.NotifyTx(ctx, tx, EventErrorGroup, errorText(ops, g, notice, ev))
	})
	if err != nil {
		r.logger.ErrorContext(ctx, "Error not recorded", slog.Any("error", err), slog.String("kind", ev.Kind),
			slog.String("message", ev.Message))
	}
	if n := r.dropped.Swap(0); n > 0 {
		r.logger.WarnContext(ctx, "Error events dropped, the queue was full", slog.Int64("dropped", n))
	}
}

// errorText is the chat message about group g.
func errorText(ops *Ops, g db.ErrorGroup, notice string, ev hark.ErrorEvent) string {
	head := map[string]string{db.NoticeNew: "New error", db.NoticeBack: "Error back", db.NoticeAgain: "Error still happening"}[notice]
	times := "once"
	if g.Count > 1 {
		times = strconv.FormatInt(g.Count, 10) + " times"
	}
	return fmt.Sprintf("*%s* (%s%s): %s\n%s since %s, release %s. %s", head, ev.Kind, whereText(ev.Where),
		SlackEscape(truncate(g.Message, 300)), times, g.FirstSeen.UTC().Format(time.RFC3339), hark.Release(),
		ops.Link("/admin/errors/"+strconv.FormatInt(g.ID, 10), "See the group"))
}

func whereText(where string) string {
	if where == "" {
		return ""
	}
	return " in " + SlackEscape(where)
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// HandleError records a job that failed its last attempt (River retries the others, and
// cancelled jobs are not errors). It is River's ErrorHandler.
func (r *ErrorRecorder) HandleError(_ context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	if job.Attempt >= job.MaxAttempts {
		r.Record(hark.ErrorEvent{Kind: hark.ErrorJobFailed, Message: err.Error(), Where: job.Kind, Context: jobContext(job)})
	}
	return nil
}

// HandlePanic records a panic in a job, with River's trace of it. It is River's ErrorHandler.
func (r *ErrorRecorder) HandlePanic(_ context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	r.Record(hark.ErrorEvent{Kind: hark.ErrorJobPanic, Message: fmt.Sprintf("panic: %v", panicVal), Stack: trace,
		Where: job.Kind, Context: jobContext(job)})
	return nil
}

// jobContext is what the errors page shows of a job: never its arguments, which may hold URLs
// with tokens, only their size.
func jobContext(job *rivertype.JobRow) map[string]any {
	return map[string]any{"job_kind": job.Kind, "job_id": job.ID, "attempt": job.Attempt,
		"max_attempts": job.MaxAttempts, "queue": job.Queue, "args_bytes": len(job.EncodedArgs)}
}
