//go:build faults

package faults

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// pgBin holds Debian's PostgreSQL 15 tools, which `make services` installs.
const pgBin = "/usr/lib/postgresql/15/bin"

// pgServer is a PostgreSQL cluster of the test's own, in a temporary folder on a free loopback
// port, so that it can be restarted without touching the shared one.
type pgServer struct {
	t    *testing.T
	dir  string
	port int
	cred *syscall.Credential // the postgres user's, when the suite runs as root (initdb refuses root)
	proc *proc
}

func startPostgres(t *testing.T) *pgServer {
	t.Helper()
	root, err := os.MkdirTemp("", "harkfaults-pg")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	s := &pgServer{t: t, dir: filepath.Join(root, "data"), port: freePort(t)}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chmod(root, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(root, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	initdb := exec.Command(filepath.Join(pgBin, "initdb"), "-D", s.dir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	s.start()
	return s
}

// start runs the postmaster and waits until it accepts connections.
func (s *pgServer) start() {
	s.t.Helper()
	s.proc = startCred(s.t, s.cred, filepath.Join(pgBin, "postgres"), nil, "-D", s.dir, "-p", strconv.Itoa(s.port),
		"-k", s.dir, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200")
	deadline := time.Now().Add(time.Minute)
	for {
		pool, err := pgxpool.New(context.Background(), s.url("postgres"))
		if err == nil {
			err = pool.Ping(context.Background())
			pool.Close()
		}
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("private postgres not up after a minute: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// restart stops the cluster with a fast shutdown (SIGINT: sessions are ended, open transactions
// rolled back) and starts it again.
func (s *pgServer) restart() {
	s.t.Helper()
	s.proc.signal(syscall.SIGINT)
	s.start()
}

func (s *pgServer) url(database string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, database)
}

// createDatabase creates a database and migrates it with `hark migrate`.
func (s *pgServer) createDatabase(name string) (*pgxpool.Pool, string) {
	s.t.Helper()
	admin, err := pgxpool.New(context.Background(), s.url("postgres"))
	if err != nil {
		s.t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		s.t.Fatal(err)
	}
	url := s.url(name)
	migrate := exec.Command(harkBin, "migrate")
	migrate.Env = append(os.Environ(), "DATABASE_URL="+url)
	if out, err := migrate.CombinedOutput(); err != nil {
		s.t.Fatalf("hark migrate: %v\n%s", err, out)
	}
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		s.t.Fatal(err)
	}
	s.t.Cleanup(pool.Close)
	return pool, url
}

// createAPIKey creates an API key on plan with `hark apikeys create` and returns it.
func createAPIKey(t *testing.T, dbURL, plan string) string {
	t.Helper()
	cmd := exec.Command(harkBin, "apikeys", "create", "-plan", plan, "faults")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hark apikeys create: %v", err)
	}
	for _, f := range strings.Fields(string(out)) {
		if len(f) >= 32 && !strings.ContainsAny(f, ":=/") {
			return f
		}
	}
	t.Fatalf("no key in the output of hark apikeys create: %s", out)
	return ""
}

// TestRestartPostgresMidCrawl is case 5: the database restarted (fast shutdown) while feeds are
// crawled and the API is used with a key. The processes reconnect, no request hangs past its
// deadline, no job is lost, and the key's metered requests equal the requests it made.
func TestRestartPostgresMidCrawl(t *testing.T) {
	pg := startPostgres(t)
	pool, dbURL := pg.createDatabase("hark")
	// The enterprise plan has no quota or rate: the case measures metering, not the limits.
	key := createAPIKey(t, dbURL, "enterprise")
	r := newRigOn(t, pool, dbURL, 46)
	r.harkEnv = append(r.harkEnv, "API_REQUIRE_KEY=true")
	r.feeds.delay.Store(int64(4 * time.Second))
	h := r.serve()
	load := startLoad(t, h.addr, "X-ListenAPI-Key", key)
	r.submitWithKey(h, key)
	r.feeds.waitInFlight(t, 32)
	time.Sleep(2 * time.Second)
	pg.restart()
	r.waitExact(time.Now(), recoveryTarget)
	time.Sleep(3 * time.Second) // a flush interval or two, for the last requests' usage
	load.halt()
	time.Sleep(3 * time.Second)
	var metered int64
	if err := pool.QueryRow(context.Background(), `SELECT coalesce(sum(requests), 0) FROM api_usage`).Scan(&metered); err != nil {
		t.Fatal(err)
	}
	answered := load.okAPI.Load() + int64(len(r.feeds.cat.FeedURLs())) // the submissions are metered too
	t.Logf("load: %d API requests answered 200 (with the submissions), %d other answers or errors, %d hung past %s; %d metered",
		answered, len(load.failures), load.hung.Load(), requestDeadline, metered)
	if load.hung.Load() > 0 {
		t.Errorf("%d requests hung past %s", load.hung.Load(), requestDeadline)
	}
	if metered < answered || metered > answered+int64(len(load.failures)) {
		t.Errorf("%d requests metered, want %d answered (plus at most the %d that failed after their key was counted)",
			metered, answered, len(load.failures))
	}
}
