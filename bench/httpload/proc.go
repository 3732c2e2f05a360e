package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// The figures below come from Linux's /proc; elsewhere they read as 0 (or
// "?"), and the CPU columns stay 0.

// memStatus returns VmRSS and VmHWM (peak resident set) of pid, in bytes, or
// 0 where /proc/PID/status cannot tell.
func memStatus(pid int) (rss, hwm int64) {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for line := range strings.Lines(string(b)) {
		name, val, _ := strings.Cut(line, ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		switch name {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			hwm = kb << 10
		}
	}
	return rss, hwm
}

// clockTick is USER_HZ, the unit of the CPU times in /proc: 100 on every
// Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// cpuSample is a snapshot of CPU time: the machine's busy time (all CPUs),
// this process's and the child's (user + system, all threads).
type cpuSample struct {
	at                       time.Time
	machineBusy, self, child time.Duration
}

func sampleCPU(childPID int) (cpuSample, error) {
	s := cpuSample{at: time.Now()}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return s, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	// cpu user nice system idle iowait irq softirq steal [guest guest_nice]:
	// busy is all but idle and iowait; guest time is already counted in
	// user and nice.
	var errs [3]error
	s.machineBusy, errs[0] = ticks(f[1], f[2], f[3], f[6], f[7], f[8])
	s.self, errs[1] = procCPU("self")
	s.child, errs[2] = procCPU(strconv.Itoa(childPID))
	return s, errors.Join(errs[:]...)
}

// procCPU returns utime + stime of /proc/<pid>/stat.
func procCPU(pid string) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces;
	// after it, f[0] is field 3 (state), utime and stime are fields 14
	// and 15.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("/proc/%s/stat: unexpected format", pid)
	}
	return ticks(f[11], f[12])
}

// ticks is the sum of clock-tick counts from /proc.
func ticks(counts ...string) (time.Duration, error) {
	var total time.Duration
	for _, v := range counts {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, err
		}
		total += time.Duration(n) * clockTick
	}
	return total, nil
}

// loadAverage returns the first three fields of /proc/loadavg.
func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}
