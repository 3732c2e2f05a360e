package e2etest

import (
	"io"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// Over stdio the server exits 0 when the client closes stdin, and on SIGINT
// or SIGTERM, and never writes anything but protocol to stdout.
func TestStdioCleanExit(t *testing.T) {
	for _, how := range []string{"eof", "SIGTERM", "SIGINT"} {
		t.Run(how, func(t *testing.T) {
			cmd := exec.Command(binPath)
			cmd.Env = []string{"INSTANTLY_API_KEY=sk_live_secret_value_123", "LOG_LEVEL=debug"}
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			stderr := &servertest.Buf{}
			cmd.Stderr = stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			out := make(chan []byte, 1)
			go func() { b, _ := io.ReadAll(stdout); out <- b }()
			// The startup line is logged after the signal handlers are
			// installed: from then on a signal is a clean stop.
			if stderr.WaitFor(regexp.MustCompile(`serving MCP over stdio`), 10*time.Second) == nil {
				_ = cmd.Process.Kill()
				t.Fatalf("no startup line; stderr:\n%s", stderr.String())
			}
			switch how {
			case "eof":
				stdin.Close()
			case "SIGTERM":
				_ = cmd.Process.Signal(syscall.SIGTERM)
			case "SIGINT":
				_ = cmd.Process.Signal(syscall.SIGINT)
			}
			// Read stdout to EOF (the process exited) before Wait closes it.
			var b []byte
			select {
			case b = <-out:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("did not exit")
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("exit: %v", err)
			}
			if len(b) != 0 {
				t.Fatalf("stdout must hold protocol only, got %q", b)
			}
		})
	}
}
