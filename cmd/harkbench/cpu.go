package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open || !strings.HasPrefix(s[open+1:end], "typesense") {
			continue
		}
		// After the command: state, then 10 fields up to utime and stime (fields 14 and 15).
		f := strings.Fields(s[end+1:])
		if len(f) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		u.typesense += time.Duration(utime+stime) * (time.Second / 100) // USER_HZ
	}
	return u
}

func (u cpuUse) sub(v cpuUse) cpuUse {
	return cpuUse{self: u.self - v.self, typesense: u.typesense - v.typesense}
}
