package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
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
