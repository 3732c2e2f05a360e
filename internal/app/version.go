package app

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// ReleaseVersion is the version of the latest release: manifest.json,
// server.json and CHANGELOG.md name the same one (release_test.go checks),
// and a release tagged v<ReleaseVersion> is stamped with it. Bump all four
// together, then tag v<ReleaseVersion>.
const ReleaseVersion = "0.1.0"

// What main stamps at build time (-X main.version=…), through Stamp. A
// `go install …@v1.2.3` or `go build` from a clone leaves them empty; the
// build info the Go toolchain embeds fills them in then (module version,
// vcs.revision, vcs.time).
var (
	version = ""
	commit  = ""
	date    = ""
)

// Stamp sets the version, commit and date stamped into the binary (empty
// when not stamped).
func Stamp(v, c, d string) { version, commit, date = v, c, d }

// BuildInfo is what `version` prints.
type BuildInfo struct {
	Version, Commit, Date, GoVersion, Platform string
	Modified                                   bool
}

func ReadBuildInfo() BuildInfo {
	b := BuildInfo{Version: version, Commit: commit, Date: date,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				b.Modified = s.Value == "true" && commit == ""
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	return b
}

// BuildVersion is the version alone: serverInfo.version, the User-Agent.
func BuildVersion() string { return ReadBuildInfo().Version }

// PrintVersion writes the `version` output: the version on the first line
// (scripts read it with head -1), then commit, build date and toolchain.
func PrintVersion(w io.Writer) {
	b := ReadBuildInfo()
	c := b.Commit
	if c == "" {
		c = "unknown"
	}
	if b.Modified {
		c += " (modified)"
	}
	d := b.Date
	if d == "" {
		d = "unknown"
	}
	fmt.Fprintf(w, "instantly-status-mcp %s\ncommit: %s\nbuilt:  %s\ngo:     %s %s\n", b.Version, c, d, b.GoVersion, b.Platform)
}
