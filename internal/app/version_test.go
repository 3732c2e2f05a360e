package app

import (
	"runtime/debug"
	"strings"
	"testing"
)

// version: with nothing stamped, the build info's values, else "dev" and
// "unknown"; "(modified)" only for a modified tree that was not stamped.
func TestVersionUnstamped(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	version, commit, date = "", "", ""
	b := ReadBuildInfo()
	wantV, wantC, wantD, wantMod := "dev", "", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			wantV = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				wantC = s.Value
			case "vcs.time":
				wantD = s.Value
			case "vcs.modified":
				wantMod = s.Value == "true"
			}
		}
	}
	if b.Version != wantV || b.Commit != wantC || b.Date != wantD || b.Modified != wantMod {
		t.Fatalf("ReadBuildInfo = %+v, want %q %q %q %v", b, wantV, wantC, wantD, wantMod)
	}
	var out strings.Builder
	PrintVersion(&out)
	c, d := wantC, wantD
	if c == "" {
		c = "unknown"
	}
	if wantMod {
		c += " (modified)"
	}
	if d == "" {
		d = "unknown"
	}
	want := "instantly-status-mcp " + wantV + "\ncommit: " + c + "\nbuilt:  " + d + "\ngo:     " + b.GoVersion + " " + b.Platform + "\n"
	if out.String() != want {
		t.Fatalf("version:\n%q\nwant\n%q", out.String(), want)
	}
	// In a test binary the toolchain stamps no version and no VCS data:
	// the fallbacks are what this test sees.
	if want != "instantly-status-mcp dev\ncommit: unknown\nbuilt:  unknown\ngo:     "+b.GoVersion+" "+b.Platform+"\n" {
		t.Logf("build info present in the test binary: %q", want)
	}
	// Stamped: the stamps win, and a stamped commit is never "(modified)".
	version, commit, date = "v1.2.3", "abc", "2026-01-02T03:04:05Z"
	if b := ReadBuildInfo(); b.Version != "v1.2.3" || b.Commit != "abc" || b.Date != "2026-01-02T03:04:05Z" || b.Modified {
		t.Fatalf("stamped: %+v", b)
	}
}
