// Package e2etest holds the end-to-end tests of the shipped server: each
// builds the binary once (internal/servertest) and runs it as a client
// does, over stdio, streamable HTTP or SSE, with the demo workspace or a
// fake Instantly; a few drive the command line in-process (cli.Run).
package e2etest

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/cli"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// binPath is the server built once for the tests that run it as a process,
// the way an MCP client does.
var binPath string

func TestMain(m *testing.M) {
	flag.Parse()
	// Built as the README says: one static binary (CGO_ENABLED=0). The
	// tests read the files that ship (README.md, manifest.json…) from the
	// module's root.
	cleanup, err := servertest.Build(false)
	if err == nil {
		err = servertest.ChdirModuleRoot()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = servertest.Binary
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// runCmd runs the command in-process with the given environment.
func runCmd(t *testing.T, environ map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), args, environ, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}
