package e2etest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// peakCounter wraps a fake Instantly and records the most requests it had
// in flight at once and the connections they came on.
type peakCounter struct {
	next      http.Handler
	now, peak atomic.Int32
	mu        sync.Mutex
	conns     map[string]bool
}

func (p *peakCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := p.now.Add(1)
	defer p.now.Add(-1)
	for old := p.peak.Load(); n > old && !p.peak.CompareAndSwap(old, n); old = p.peak.Load() {
	}
	p.mu.Lock()
	p.conns[r.RemoteAddr] = true
	p.mu.Unlock()
	p.next.ServeHTTP(w, r)
}

// vmHWM is a process's peak resident memory in kB (Linux).
func vmHWM(pid int) int {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(b), "\n") {
		var kb int
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &kb); err == nil {
			return kb
		}
	}
	return 0
}

// oneKeyCall initializes a session with key as the request's own key and
// makes one deep diagnosis; it returns the tool result's text.
func oneKeyCall(base, key, id string) (string, error) {
	post := func(sid, body string) (*http.Response, []byte, error) {
		req, _ := http.NewRequest(http.MethodPost, base+"/mcp", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("X-Instantly-Api-Key", key)
		if sid != "" {
			req.Header.Set("Mcp-Session-Id", sid)
			req.Header.Set("Mcp-Protocol-Version", servertest.Proto)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, b, err
	}
	resp, b, err := post("", `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"`+servertest.Proto+
		`","capabilities":{},"clientInfo":{"name":"load","version":"1"}}}`)
	if err != nil || resp.StatusCode != 200 {
		return "", fmt.Errorf("initialize: %v %s", err, b)
	}
	sid := resp.Header.Get("Mcp-Session-Id")
	_, b, err = post(sid, `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_campaign_sending_status","arguments":{"id":"`+id+`"}}}`)
	if err != nil {
		return "", err
	}
	if evs := servertest.SSEData(b); len(evs) > 0 {
		b = evs[len(evs)-1]
	}
	var r struct {
		Result struct{ Content []struct{ Text string } }
	}
	if err := json.Unmarshal(b, &r); err != nil || len(r.Result.Content) == 0 {
		return "", fmt.Errorf("tools/call: %v %.200s", err, b)
	}
	return r.Result.Content[0].Text, nil
}

// 100 concurrent deep diagnoses, each with its own key, against an Instantly
// that takes 300 ms per answer: the binary never has more than
// INSTANTLY_MAX_CONCURRENT_REQUESTS (32) requests to Instantly on the wire,
// every call gets its answer or a clear busy error, and the server keeps
// serving. The figures (peak requests, connections, peak RSS) are logged.
func TestHundredKeysAgainstASlowInstantly(t *testing.T) {
	ws := instantlytest.DemoWorkspace(time.Now())
	pc := &peakCounter{next: instantlytest.NewHandler(ws, instantlytest.WithLatency(300*time.Millisecond)), conns: map[string]bool{}}
	up := httptest.NewServer(pc)
	defer up.Close()
	srv := servertest.StartHTTP(t, map[string]string{"INSTANTLY_BASE_URL": up.URL, "LOG_LEVEL": "warn"})
	rss0 := vmHWM(srv.Cmd.Process.Pid)
	id := instantlytest.DemoCampaigns[0].ID
	var wg sync.WaitGroup
	var answered, busy atomic.Int32
	start := time.Now()
	for i := range 100 {
		wg.Go(func() {
			text, err := oneKeyCall(srv.Base, fmt.Sprintf("load-key-%03d-0123456789abcdef", i), id)
			switch {
			case err != nil:
				t.Error(err)
			case strings.Contains(text, "This server is busy"):
				busy.Add(1)
			case strings.Contains(text, "##"):
				answered.Add(1)
			default:
				t.Errorf("unexpected answer: %.200s", text)
			}
		})
	}
	wg.Wait()
	t.Logf("100 calls, 100 keys, 300 ms upstream: %d answered, %d busy in %s; peak %d upstream requests at once on %d connections; server peak RSS %d kB (at start %d kB)",
		answered.Load(), busy.Load(), time.Since(start).Round(time.Millisecond), pc.peak.Load(), len(pc.conns), vmHWM(srv.Cmd.Process.Pid), rss0)
	if p := pc.peak.Load(); p > 32 {
		t.Errorf("peak %d upstream requests at once, want at most 32", p)
	}
	if answered.Load()+busy.Load() != 100 {
		t.Errorf("%d answered + %d busy of 100", answered.Load(), busy.Load())
	}
	if _, err := oneKeyCall(srv.Base, "load-key-after-0123456789abcdef", id); err != nil {
		t.Errorf("after the load: %v", err)
	}
}
