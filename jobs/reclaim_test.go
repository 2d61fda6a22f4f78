package jobs

import (
	"context"
	"log/slog"
	"os/exec"
	"testing"

	"hark/db"
	"hark/db/dbtest"
)

// TestReclaimDead: a worker starting up gives back the running jobs of a dead process of its
// host, and leaves those of a live process and of another host to run (or to River's rescuer).
func TestReclaimDead(t *testing.T) {
	t.Parallel()
	self, ok := selfIdentity()
	if !ok {
		t.Skip("no /proc: client IDs are River's random ones and nothing is reclaimed")
	}
	ctx := context.Background()
	pool := dbtest.NewSchema(t)

	gone := exec.Command("sleep", "0")
	if err := gone.Start(); err != nil {
		t.Fatal(err)
	}
	goneID := identityOf(t, self, gone.Process.Pid)
	if err := gone.Wait(); err != nil {
		t.Fatal(err)
	}
	alive := exec.Command("sleep", "60")
	if err := alive.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = alive.Process.Kill(); _ = alive.Wait() })
	aliveID := identityOf(t, self, alive.Process.Pid)
	other := processIdentity{host: "elsewhere", boot: self.boot, pidNS: self.pidNS, pid: 1, start: "1"}.newClientID()

	insert := func(client string, attempt int) int64 {
		var id int64
		if err := pool.QueryRow(ctx, `INSERT INTO river_job (args, kind, max_attempts, queue, state, attempt, attempted_at, attempted_by)
			VALUES ('{}', 'crawl_feed', 3, 'crawl', 'running', $1, now(), ARRAY['old-client', $2]) RETURNING id`,
			attempt, client).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	retried, exhausted := insert(goneID, 1), insert(goneID, 3)
	live, remote := insert(aliveID, 1), insert(other, 1)

	n, err := ReclaimDead(ctx, db.New(pool), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("reclaimed %d jobs, want 2", n)
	}
	want := map[int64]string{retried: "available", exhausted: "discarded", live: "running", remote: "running"}
	for id, state := range want {
		var got string
		if err := pool.QueryRow(ctx, `SELECT state FROM river_job WHERE id = $1`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != state {
			t.Errorf("job %d: state %s, want %s", id, got, state)
		}
	}
}

// identityOf returns a client ID for process pid as that process would have named itself.
func identityOf(t *testing.T, self processIdentity, pid int) string {
	t.Helper()
	start, err := processStart(pid)
	if err != nil {
		t.Fatal(err)
	}
	p := self
	p.pid, p.start = pid, start
	return p.newClientID()
}
