// Package e2etest holds the end-to-end tests of the shipped server: each
// builds the binary once (internal/servertest) and runs it as a client
// does, over stdio, streamable HTTP or SSE, with the demo workspace or a
// fake Instantly; a few drive the command line in-process (cli.Run).
package e2etest

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/internal/cli"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

func TestMain(m *testing.M) {
	os.Exit(servertest.MainAtRoot(m))
}

// runCmd runs the command in-process with the given environment.
func runCmd(t *testing.T, environ map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), args, environ, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}
