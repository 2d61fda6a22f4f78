package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// cpuUse is CPU time spent so far by this process (the load generator and, in API runs, the
// API server) and by the local Typesense servers. Dividing the growth over a load run by the
// requests it made says where the CPU of a query goes on a machine both share.
type cpuUse struct {
	self, typesense time.Duration
}

func readCPU() cpuUse {
	var u cpuUse
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		u.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	for _, path := range typesenseStats() {
		if f := procStat(path); len(f) >= 13 {
			// After the command: state, then 10 fields up to utime and stime (fields 14 and 15).
			utime, _ := strconv.ParseInt(f[11], 10, 64)
			stime, _ := strconv.ParseInt(f[12], 10, 64)
			u.typesense += time.Duration(utime+stime) * (time.Second / 100) // USER_HZ
		}
	}
	return u
}

// typesenseStats lists the /proc stat files of the Typesense servers, found once: scanning
// every process at each reading cost this process CPU inside the intervals it measures.
var typesenseStats = sync.OnceValue(func() []string {
	var out []string
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		s := string(b)
		if open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')'); open >= 0 && end > open && strings.HasPrefix(s[open+1:end], "typesense") {
			out = append(out, path)
		}
	}
	return out
})

// procStat returns the fields of a /proc stat file after the command name, or nil.
func procStat(path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := string(b)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return nil
	}
	return strings.Fields(s[end+1:])
}

func (u cpuUse) sub(v cpuUse) cpuUse {
	return cpuUse{self: u.self - v.self, typesense: u.typesense - v.typesense}
}

// separateCores runs Typesense on the upper half of the CPUs and this process (the load
// generator and the API) on the lower half, as when Typesense has a machine of its own, until
// the returned function gives every process all of them again. On this layout the API's work
// no longer takes CPU from Typesense's, so what it adds to a query is its own latency. It
// fails on a machine with one CPU.
func separateCores() (restore func(), err error) {
	n := runtime.NumCPU()
	if n < 2 {
		return nil, fmt.Errorf("one CPU: nothing to separate")
	}
	var all, low, high unix.CPUSet
	for c := range n {
		all.Set(c)
		if c < n/2 {
			low.Set(c)
		} else {
			high.Set(c)
		}
	}
	var typesense []string
	for _, path := range typesenseStats() {
		typesense = append(typesense, filepath.Dir(path))
	}
	if len(typesense) == 0 {
		return nil, fmt.Errorf("no local Typesense process to pin")
	}
	procs := runtime.GOMAXPROCS(0)
	restore = func() {
		_ = pinThreads("/proc/self", &all)
		for _, p := range typesense {
			_ = pinThreads(p, &all)
		}
		runtime.GOMAXPROCS(procs)
	}
	for _, p := range typesense {
		if err := pinThreads(p, &high); err != nil {
			restore()
			return nil, err
		}
	}
	if err := pinThreads("/proc/self", &low); err != nil {
		restore()
		return nil, err
	}
	runtime.GOMAXPROCS(low.Count())
	return restore, nil
}

// pinThreads sets the CPU affinity of every thread of the process at proc ("/proc/<pid>").
// Threads it starts later inherit it.
func pinThreads(proc string, set *unix.CPUSet) error {
	tasks, err := os.ReadDir(filepath.Join(proc, "task"))
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := unix.SchedSetaffinity(tid, set); err != nil && !errors.Is(err, unix.ESRCH) {
			return fmt.Errorf("pin thread %d of %s: %w", tid, proc, err)
		}
	}
	return nil
}
