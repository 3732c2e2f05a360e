package e2etest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// BenchmarkColdStart measures what a desktop client waits for: spawning the
// server, initialize, and the first tool result, against a local fake
// Instantly. It reports the peak resident memory of the process too.
//
//	go test -run '^$' -bench ColdStart -benchtime 50x ./internal/e2etest
//
// COLDSTART_BIN=path measures another build instead, such as the linux
// binary of an unpacked release bundle (server/linux/instantly-status-mcp).
func BenchmarkColdStart(b *testing.B) {
	bin := binPath
	if p := os.Getenv("COLDSTART_BIN"); p != "" {
		bin = p
	}
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()))
	defer fake.Close()
	id := instantlytest.DemoCampaigns[0].ID
	input := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n" +
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_campaign_sending_status","arguments":{"id":"` + id + `"}}}` + "\n"
	var maxRSS int64
	for b.Loop() {
		cmd := exec.Command(bin)
		cmd.Env = []string{"INSTANTLY_API_KEY=bench-key-123456", "INSTANTLY_BASE_URL=" + fake.URL, "LOG_LEVEL=error"}
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		if _, err := stdin.Write([]byte(input)); err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		got := false
		for sc.Scan() {
			if strings.Contains(sc.Text(), `"id":2`) {
				if !strings.Contains(sc.Text(), "account_daily_limit_met") {
					b.Fatalf("unexpected result: %.300s", sc.Text())
				}
				got = true
				break
			}
		}
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
		if !got {
			b.Fatal("no tool result")
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > maxRSS {
			maxRSS = ru.Maxrss
		}
	}
	b.ReportMetric(float64(maxRSS)/1024, "peak-RSS-MB")
}
