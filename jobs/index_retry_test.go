package jobs

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// TestIndexRetryCapped: an index job backs off as River does at first (16 s after its second
// failure) and never waits longer than indexRetryMax, so the index catches up soon after an
// outage however long it was.
func TestIndexRetryCapped(t *testing.T) {
	t.Parallel()
	w := &IndexPodcastWorker{}
	for _, tt := range []struct {
		attempt  int
		min, max time.Duration
	}{
		{2, 14 * time.Second, 18 * time.Second},
		{3, indexRetryMax * 9 / 10, indexRetryMax},
		{20, indexRetryMax * 9 / 10, indexRetryMax},
	} {
		now := time.Now()
		// River hands NextRetry the job with the errors of the attempts before this one.
		job := &river.Job[IndexPodcastArgs]{JobRow: &rivertype.JobRow{
			Attempt: tt.attempt, AttemptedAt: &now, Errors: make([]rivertype.AttemptError, tt.attempt-1),
		}}
		if wait := w.NextRetry(job).Sub(now); wait < tt.min || wait > tt.max+time.Second {
			t.Errorf("attempt %d: next try in %s, want %s..%s", tt.attempt, wait, tt.min, tt.max)
		}
	}
}
