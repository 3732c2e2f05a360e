package metrics

import (
	"os"
	"strings"
	"testing"
)

// statLine is a /proc/<pid>/stat text whose fields 3..24 all differ, so a
// field read from the wrong position shows: utime 250, stime 150, starttime
// 12345, vsize 1048576, rss 10 pages.
const statLine = "4242 (odd) (name) S 1 4242 4242 0 -1 4194560 101 102 103 104 250 150 105 106 20 0 8 0 12345 1048576 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n"

func TestParseStat(t *testing.T) {
	want := statFields{utime: 250, stime: 150, start: 12345, vsize: 1048576, rss: 10}
	fields := strings.Fields(statLine[strings.LastIndexByte(statLine, ')')+1:])
	for _, tc := range []struct {
		name, text string
		want       statFields
		ok         bool
	}{
		{"full line, parentheses in the name", statLine, want, true},
		// Fields 3..24 are the least the parser needs.
		{"exactly 22 fields", "4242 (odd) " + strings.Join(fields[:22], " "), want, true},
		{"21 fields", "4242 (odd) " + strings.Join(fields[:21], " "), statFields{}, false},
		// The fields start after the last ')', wherever it is.
		{"')' first", ") " + strings.Join(fields, " "), want, true},
		{"no ')'", "4242 odd " + strings.Join(fields, " "), statFields{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseStat([]byte(tc.text))
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseStat = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestStatMetricsUnits: ticks (USER_HZ 100) to seconds, pages to bytes,
// start ticks after boot to unix seconds.
func TestStatMetricsUnits(t *testing.T) {
	f := statFields{utime: 250, stime: 150, start: 12345, vsize: 1048576, rss: 10}
	snaps := statMetrics(f, 4096, 1700000000, true)
	for name, want := range map[string]float64{
		"process_cpu_seconds_total":     4,
		"process_virtual_memory_bytes":  1048576,
		"process_resident_memory_bytes": 40960,
		"process_start_time_seconds":    1700000123.45,
	} {
		if got := value(t, snaps, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	for _, s := range statMetrics(f, 4096, 0, false) {
		if s.name == "process_start_time_seconds" {
			t.Errorf("start time without a boot time: %v", s.samples)
		}
	}
}

func TestParseNetstat(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		in, out    float64
	}{
		{"IpExt after TcpExt", "TcpExt: SyncookiesSent InOctets\nTcpExt: 7 8\nIpExt: InNoRoutes InOctets OutOctets InMcastPkts\nIpExt: 0 123456 654321 9\n", 123456, 654321},
		{"IpExt first", "IpExt: OutOctets InOctets\nIpExt: 2 1", 1, 2},
		{"no IpExt", "TcpExt: InOctets\nTcpExt: 5\n", 0, 0},
		// A names line without its values line, at the end of the text.
		{"IpExt names last", "TcpExt: InOctets\nTcpExt: 5\nIpExt: InOctets OutOctets", 0, 0},
		{"empty", "", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, out := parseNetstat(tc.text)
			if in != tc.in || out != tc.out {
				t.Errorf("parseNetstat = %v, %v; want %v, %v", in, out, tc.in, tc.out)
			}
		})
	}
}

// TestOpenFDs: every open descriptor is counted, not only the first one
// read from /proc/self/fd.
func TestOpenFDs(t *testing.T) {
	for range 3 {
		f, err := os.Open(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
	}
	// stdin, stdout, stderr and the three above at least.
	if got := value(t, processCollector(), "process_open_fds"); got < 6 {
		t.Errorf("process_open_fds = %v, want >= 6", got)
	}
}
