package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

)

// releaseVersion is the version of the latest release: manifest.json,
// server.json and CHANGELOG.md name the same one (release_test.go checks),
// and a release tagged v<releaseVersion> is stamped with it. Bump all four
// together, then tag v<releaseVersion>.
const releaseVersion = "0.1.0"

// Stamped at build time by .goreleaser.yaml:
//
//	-ldflags "-X main.version=v1.2.3 -X main.commit=<sha> -X main.date=<RFC 3339>"
//
// A `go install …@v1.2.3` or `go build` from a clone leaves them empty; the
// build info the Go toolchain embeds fills them in then (module version,
// vcs.revision, vcs.time).
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildInfo is what `version` prints.
type buildInfo struct {
	Version, Commit, Date, GoVersion, Platform string
	Modified                                   bool
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: commit, Date: date,
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

// buildVersion is the version alone: serverInfo.version, the User-Agent.
func buildVersion() string { return readBuildInfo().Version }

const versionUsage = `usage: instantly-status-mcp version

Prints the version on the first line (for scripts), then the commit, the
build time and the Go toolchain.
`

// runVersion is the version command: -h prints its usage, like every
// command's, rather than the version.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	pos, code, done := parseFlags(fs, args, "instantly-status-mcp version", func(w io.Writer) { fmt.Fprint(w, versionUsage) }, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "instantly-status-mcp version: unexpected argument %s (see instantly-status-mcp version -h)\n", quoteArg(pos[0], 40))
		return exitUsage
	}
	return printVersion(stdout)
}

// printVersion writes the `version` output: the version on the first line
// (scripts read it with head -1), then commit, build date and toolchain.
func printVersion(w io.Writer) int {
	b := readBuildInfo()
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
	return exitOK
}
