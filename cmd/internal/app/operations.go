package app

import (
	"context"
	"sync"

	"hark/db"
	"hark/jobs"
)

// setOperations sets what the jobs need for the operator: the error recorder (River's error
// handler), where events go, and how long rows are kept.
func (a *App) setOperations() {
	c := a.Config
	a.Errors = jobs.NewErrorRecorder(a.Store, a.Logger)
	a.jobs.Errors = a.Errors
	a.jobs.Ops = jobs.OpsConfig{WebhookURL: c.OpsWebhookURL, WebhookSecret: c.OpsWebhookSecret, BaseURL: c.BaseURL}
	a.jobs.Retention = db.Retention{
		ErrorEvents: c.RetainErrorEvents, SearchLog: c.RetainSearchLog,
		Usage: c.RetainUsage, SubmissionCounts: c.RetainSubmissionCounts, UnusedArtwork: c.RetainUnusedArtwork,
	}
	a.jobs.FailedJobRetention = c.RetainFailedJobs
	if a.jobs.FailedJobRetention == 0 { // RETAIN_FAILED_JOBS_DAYS=0 keeps them; River's forever is -1
		a.jobs.FailedJobRetention = -1
	}
}

// runErrors starts the error recorder's writer. stop ends it once it has written what was
// queued: call it after the web server and the workers stopped, so their last errors are kept.
func (a *App) runErrors(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { a.Errors.Run(ctx, a.Ops) })
	return func() {
		cancel()
		wg.Wait()
	}
}
