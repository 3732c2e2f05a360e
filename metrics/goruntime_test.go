package metrics

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// value is the single sample of the family name in snaps.
func value(t *testing.T, snaps []snapshot, name string) float64 {
	t.Helper()
	for _, s := range snaps {
		if s.name == name {
			if len(s.samples) != 1 {
				t.Fatalf("%s: %d samples", name, len(s.samples))
			}
			return s.samples[0].value
		}
	}
	t.Fatalf("%s missing", name)
	return 0
}

func TestGOGC(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want int
	}{
		{"off", -1},
		{"50", 50},
		{" 200 ", 200},
		{"", 100},
		{"lots", 100},
	} {
		t.Setenv("GOGC", tc.env)
		if got := gogc(); got != tc.want {
			t.Errorf("GOGC=%q: gogc() = %d, want %d", tc.env, got, tc.want)
		}
	}
}

// TestGoCollectorValues: the memory limit is read without being changed,
// and the last GC time is in unix seconds.
func TestGoCollectorValues(t *testing.T) {
	// A known limit, so a scrape that set one (an earlier test's included)
	// shows.
	const limit = 1 << 40
	prev := debug.SetMemoryLimit(limit)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	before := time.Now()
	runtime.GC()
	for range 2 {
		snaps := goCollector()
		if got := value(t, snaps, "go_gc_gomemlimit_bytes"); got != float64(limit) {
			t.Errorf("go_gc_gomemlimit_bytes = %v, want %v", got, float64(limit))
		}
		last := value(t, snaps, "go_memstats_last_gc_time_seconds")
		lo, hi := float64(before.Unix()-1), float64(time.Now().Unix()+1)
		if math.IsNaN(last) || last < lo || last > hi {
			t.Errorf("go_memstats_last_gc_time_seconds = %v, want in [%v, %v]", last, lo, hi)
		}
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit changed from %d to %d by a scrape", limit, got)
	}
}
