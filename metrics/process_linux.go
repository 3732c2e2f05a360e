package metrics

import (
	"bytes"
	"math"
	"os"
	"strconv"
	"strings"
)

// userHZ is the clock tick of /proc/<pid>/stat's times (procfs assumes
// 100 too).
const userHZ = 100

// processCollector writes what client_golang's collectors.
// NewProcessCollector writes on Linux (via procfs): same names, help and
// sources. A metric whose source cannot be read is left out.
func processCollector() []snapshot {
	var out []snapshot
	add := func(name, help string, typ metricType, v float64) {
		out = append(out, snapshot{name: name, help: help, typ: typ, samples: []sample{{value: v}}})
	}
	if f, ok := procStat(); ok {
		boot, bootOK := bootTime()
		out = append(out, statMetrics(f, uint64(os.Getpagesize()), boot, bootOK)...)
	}
	if d, err := os.Open("/proc/self/fd"); err == nil {
		names, err := d.Readdirnames(-1)
		d.Close()
		if err == nil {
			add("process_open_fds", "Number of open file descriptors.", gaugeType, float64(len(names)))
		}
	}
	if files, space, ok := limits(); ok {
		add("process_max_fds", "Maximum number of open file descriptors.", gaugeType, files)
		add("process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.", gaugeType, space)
	}
	if in, outB, ok := netOctets(); ok {
		add("process_network_receive_bytes_total", "Number of bytes received by the process over the network.", counterType, in)
		add("process_network_transmit_bytes_total", "Number of bytes sent by the process over the network.", counterType, outB)
	}
	return out
}

// statMetrics converts /proc/self/stat's fields: times in clock ticks to
// seconds, rss in pages to bytes, start (ticks after boot) to unix seconds
// when the boot time is known.
func statMetrics(f statFields, pageSize, boot uint64, bootOK bool) []snapshot {
	out := []snapshot{
		{name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.", typ: counterType,
			samples: []sample{{value: float64(f.utime+f.stime) / userHZ}}},
		{name: "process_virtual_memory_bytes", help: "Virtual memory size in bytes.", typ: gaugeType,
			samples: []sample{{value: float64(f.vsize)}}},
		{name: "process_resident_memory_bytes", help: "Resident memory size in bytes.", typ: gaugeType,
			samples: []sample{{value: float64(f.rss * pageSize)}}},
	}
	if bootOK {
		out = append(out, snapshot{name: "process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.", typ: gaugeType,
			samples: []sample{{value: float64(boot) + float64(f.start)/userHZ}}})
	}
	return out
}

type statFields struct{ utime, stime, start, vsize, rss uint64 }

func procStat() (statFields, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return statFields{}, false
	}
	return parseStat(b)
}

// parseStat reads the fields of a /proc/<pid>/stat text.
func parseStat(b []byte) (statFields, bool) {
	// The command name (field 2) may hold spaces and parentheses: the
	// fields that follow start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return statFields{}, false
	}
	f := strings.Fields(string(b[i+1:])) // f[0] is field 3 (state)
	if len(f) < 22 {
		return statFields{}, false
	}
	n := func(field int) uint64 { v, _ := strconv.ParseUint(f[field-3], 10, 64); return v }
	return statFields{utime: n(14), stime: n(15), start: n(22), vsize: n(23), rss: n(24)}, true
}

func bootTime() (uint64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// limits reads the soft limits "Max open files" and "Max address space";
// "unlimited" is the largest uint64, as procfs reports it.
func limits() (files, space float64, ok bool) {
	b, err := os.ReadFile("/proc/self/limits")
	if err != nil {
		return 0, 0, false
	}
	soft := func(line, name string) (float64, bool) {
		rest, found := strings.CutPrefix(line, name)
		if !found {
			return 0, false
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0, false
		}
		if f[0] == "unlimited" {
			return float64(uint64(math.MaxUint64)), true
		}
		v, err := strconv.ParseUint(f[0], 10, 64)
		return float64(v), err == nil
	}
	var gotF, gotS bool
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := soft(line, "Max open files"); ok {
			files, gotF = v, true
		}
		if v, ok := soft(line, "Max address space"); ok {
			space, gotS = v, true
		}
	}
	return files, space, gotF && gotS
}

// netOctets reads IpExt InOctets and OutOctets from /proc/self/net/netstat
// (0 when absent, as client_golang does).
func netOctets() (in, out float64, ok bool) {
	b, err := os.ReadFile("/proc/self/net/netstat")
	if err != nil {
		return 0, 0, false
	}
	in, out = parseNetstat(string(b))
	return in, out, true
}

// parseNetstat reads IpExt InOctets and OutOctets from a netstat text: a
// line of names followed by a line of values, both prefixed "IpExt:".
func parseNetstat(b string) (in, out float64) {
	lines := strings.Split(b, "\n")
	for i := 0; i+1 < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "IpExt:") || !strings.HasPrefix(lines[i+1], "IpExt:") {
			continue
		}
		names, values := strings.Fields(lines[i])[1:], strings.Fields(lines[i+1])[1:]
		for j := range min(len(names), len(values)) {
			v, _ := strconv.ParseFloat(values[j], 64)
			switch names[j] {
			case "InOctets":
				in = v
			case "OutOctets":
				out = v
			}
		}
		return in, out
	}
	return 0, 0
}
