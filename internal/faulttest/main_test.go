// Package faulttest holds the fault-injection suites: the built server,
// started by internal/servertest over streamable HTTP or stdio, gets every
// kind of bad input (mcp_fault_test.go) and a failing Instantly
// (upstream_fault_test.go); after each, the next call must be answered
// correctly and the server's heap stays bounded; at the end it must stop
// cleanly (exit 0; with -race, without a data race).
package faulttest

import (
	"os"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

func TestMain(m *testing.M) {
	os.Exit(servertest.Main(m, servertest.Race))
}
