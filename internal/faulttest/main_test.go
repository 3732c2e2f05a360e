// Package faulttest holds the fault-injection suites: the built server,
// started by internal/servertest over streamable HTTP or stdio, gets every
// kind of bad input (mcp_fault_test.go) and a failing Instantly
// (upstream_fault_test.go); after each, the next call must be answered
// correctly and the server's heap stays bounded; at the end it must stop
// cleanly (exit 0; with -race, without a data race).
package faulttest

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() { // the README's quick test command; CI runs these (CONTRIBUTING.md)
		fmt.Println("skipped with -short: the fault-injection suites (go test -race ./internal/faulttest)")
		os.Exit(0)
	}
	os.Exit(servertest.Main(m, servertest.Race))
}
