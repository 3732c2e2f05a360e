package cli

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// The built binary on a real terminal (a pty from util-linux `script`):
// styled, no markdown marks; NO_COLOR: neither styles nor marks.
func TestBinaryOnATerminal(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no `script` to give the binary a terminal")
	}
	cmdline := binPath + " diagnose -demo " + instantlytest.DemoCampaigns[0].ID
	for _, noColor := range []bool{false, true} {
		cmd := exec.Command(script, "-qec", cmdline, "/dev/null")
		cmd.Env = []string{"TERM=xterm", "PATH=/usr/bin:/bin"}
		if noColor {
			cmd.Env = append(cmd.Env, "NO_COLOR=1")
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("NO_COLOR=%v: %v\n%s", noColor, err, out)
		}
		s := string(out)
		if strings.Contains(s, "**") || strings.Contains(s, "## ") || strings.Contains(s, "`") {
			t.Errorf("NO_COLOR=%v: raw markdown on a terminal:\n%s", noColor, s)
		}
		if styled := strings.Contains(s, "\x1b["); styled == noColor || !strings.Contains(s, "Black Friday 2026") {
			t.Errorf("NO_COLOR=%v: styled=%v:\n%s", noColor, styled, s)
		}
	}
}
