package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync/atomic"

	"hark/db"
)

// A worker process names its River client after where and what it is:
// hark/<host>/<boot ID>/<PID namespace>/<PID>/<start time>/<n>, n counting the clients of the
// process (a test or the bench runs several, and River wants each ID unique). River records the name in every job
// the client fetches (attempted_by), so a worker starting up can tell which running jobs belong
// to processes of its own machine and PID namespace and ask the kernel whether each is still
// alive: a PID is alive with the same start time, or it is another process now. That makes
// reclaiming safe with any number of Hark processes on one host, where a stable name per host
// and role would be shared by two workers started side by side. Jobs of other hosts, of an
// earlier boot or of another container are left to River's rescuer, whose threshold is then
// the bound (see rescueAfter).
const clientIDPrefix = "hark/"

// processIdentity is what names a worker process and lets another process on the same host
// check whether it still runs.
type processIdentity struct {
	host, boot, pidNS string
	pid               int
	start             string // clock ticks after boot at which the process started (/proc/PID/stat)
}

// selfIdentity returns this process's identity, or ok false where /proc cannot tell it (not
// Linux): the client then gets River's random ID and nothing is reclaimed.
func selfIdentity() (processIdentity, bool) {
	host, _ := os.Hostname()
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return processIdentity{}, false
	}
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		return processIdentity{}, false
	}
	pid := os.Getpid()
	start, err := processStart(pid)
	if err != nil {
		return processIdentity{}, false
	}
	host = strings.NewReplacer("/", "_").Replace(host)
	return processIdentity{
		host: host[:min(len(host), 40)], boot: strings.ReplaceAll(strings.TrimSpace(string(boot)), "-", ""),
		pidNS: strings.Trim(strings.TrimPrefix(ns, "pid:"), "[]"), pid: pid, start: start,
	}, true
}

// clients counts the worker clients this process made.
var clients atomic.Int64

// newClientID returns a River client ID for a new client of the process p.
func (p processIdentity) newClientID() string {
	n := strconv.FormatInt(clients.Add(1), 10)
	return clientIDPrefix + strings.Join([]string{p.host, p.boot, p.pidNS, strconv.Itoa(p.pid), p.start, n}, "/")
}

// machinePrefix is the start of the client IDs of every process p can see alive or dead.
func (p processIdentity) machinePrefix() string {
	return clientIDPrefix + strings.Join([]string{p.host, p.boot, p.pidNS}, "/") + "/"
}

// dead reports whether the client id of a process that p can see (same machinePrefix) names a
// process that no longer runs.
func (p processIdentity) dead(id string) bool {
	parts := strings.Split(strings.TrimPrefix(id, p.machinePrefix()), "/")
	if len(parts) != 3 {
		return false
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil {
		return false
	}
	start := parts[1]
	now, err := processStart(n)
	if os.IsNotExist(err) {
		return true
	}
	return err == nil && now != start
}

// processStart returns the start time of process pid, field 22 of /proc/PID/stat.
func processStart(pid int) (string, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", err
	}
	// The command name (field 2) may hold spaces and parentheses; the fields after it do not.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 20 {
		return "", fmt.Errorf("parse /proc/%d/stat", pid)
	}
	return fields[19], nil
}

// ReclaimDead gives back, available at once, the running jobs of worker processes of this host
// that died (a SIGKILL, an OOM kill, a crash) without finishing them, instead of leaving them to
// River's rescuer. A worker calls it as it starts, before its River client works jobs. It
// returns how many jobs it gave back.
func ReclaimDead(ctx context.Context, store *db.Store, logger *slog.Logger) (int64, error) {
	self, ok := selfIdentity()
	if !ok {
		return 0, nil
	}
	ids, err := store.RunningJobClients(ctx, self.machinePrefix())
	if err != nil {
		return 0, err
	}
	var dead []string
	for _, id := range ids {
		if self.dead(id) {
			dead = append(dead, id)
		}
	}
	if len(dead) == 0 {
		return 0, nil
	}
	n, err := store.RequeueJobsOf(ctx, dead, "Worker process died; job reclaimed by a worker starting on the same host")
	if err != nil {
		return 0, err
	}
	logger.InfoContext(ctx, "Reclaimed jobs of dead workers", slog.Int64("jobs", n), slog.Any("clients", dead))
	return n, nil
}
