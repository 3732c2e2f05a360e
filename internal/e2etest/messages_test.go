package e2etest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// toolTexts calls get_campaign_sending_status with each id over stdio on the
// built binary and returns the text of each result.
func toolTexts(t *testing.T, env []string, ids ...string) []string {
	t.Helper()
	s := startStdio(t, env, "-log-level", "error")
	s.send(stdioInit)
	for i, id := range ids {
		arg, _ := json.Marshal(id)
		s.send(rpcReq(i+1, "tools/call", `{"name":"get_campaign_sending_status","arguments":{"id":`+string(arg)+`}}`))
	}
	got := s.replies(len(ids) + 1)
	var texts []string
	for i := range ids {
		var res struct {
			Content []struct{ Text string } `json:"content"`
		}
		_ = json.Unmarshal(got[fmt.Sprint(i+1)].Result, &res)
		var b strings.Builder
		for _, c := range res.Content {
			b.WriteString(c.Text)
		}
		texts = append(texts, b.String())
	}
	return texts
}

// What a model reads when the id is wrong, from the shipped server: no Go
// package prefix, nothing of the input repeated (an API key pasted as the id
// shows up in no form, not even "sk?live?"), a pointer to list_campaigns for
// a name; demo mode never speaks of an API key; a network failure says so
// once.
func TestMessagesAModelReads(t *testing.T) {
	const key = "sk_live_Zq8wV3mK1pR7tY2uX9eB4nL6"
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()), instantlytest.WithAPIKeys(key))
	defer fake.Close()
	env := []string{"INSTANTLY_API_KEY=" + key, "INSTANTLY_BASE_URL=" + fake.URL}
	texts := toolTexts(t, env, key, " "+key+"\n", "Black Friday", "https://app.instantly.ai/app/campaigns")
	for i, txt := range texts {
		for _, bad := range []string{"instantly:", "sk_li", "sk?li", "Zq8wV", "Black?", "Black Friday", "\"Bl"} {
			if strings.Contains(txt, bad) {
				t.Errorf("message %d holds %q: %s", i, bad, txt)
			}
		}
		if !strings.Contains(txt, "UUID") || !strings.Contains(txt, "list_campaigns") {
			t.Errorf("message %d does not say what an id is and where to find it: %s", i, txt)
		}
	}
	if !strings.Contains(texts[2], "looks like a campaign name") {
		t.Errorf("a name is not recognised as one: %s", texts[2])
	}

	// An app URL is taken as the id it holds.
	id := instantlytest.DemoID("healthy")
	if txt := toolTexts(t, []string{"INSTANTLY_DEMO=1"}, "https://app.instantly.ai/app/campaign/"+id+"/analytics")[0]; !strings.Contains(txt, id) || strings.Contains(txt, "invalid") {
		t.Errorf("app URL: %s", txt)
	}

	// Demo: an unknown campaign is not "in this API key's workspace".
	txt := toolTexts(t, []string{"INSTANTLY_DEMO=1"}, "019a0000-0000-7000-8000-0000000000ff")[0]
	if !strings.Contains(txt, "404") || strings.Contains(strings.ToLower(txt), "api key") {
		t.Errorf("demo 404: %s", txt)
	}

	// Unreachable Instantly: said once, with the cause.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	txt = toolTexts(t, []string{"INSTANTLY_API_KEY=" + key, "INSTANTLY_BASE_URL=" + dead, "INSTANTLY_TIMEOUT=2s"}, id)[0]
	if strings.Count(strings.ToLower(txt), "reach instantly") != 1 || strings.Contains(txt, "instantly:") || !strings.Contains(txt, "refused") {
		t.Errorf("network error: %s", txt)
	}
}

// SIGTERM while a call waits on Instantly: the built server answers that it
// is shutting down (not "the client cancelled", not "Instantly failed"),
// then exits 0.
func TestSIGTERMDuringACallSaysShutdown(t *testing.T) {
	got := make(chan struct{}, 1)
	release := make(chan struct{})
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- struct{}{}:
		default:
		}
		<-release
	}))
	defer up.Close()
	defer close(release)
	s := startStdio(t, []string{"INSTANTLY_API_KEY=k-0123456789abcdef", "INSTANTLY_BASE_URL=" + up.URL, "INSTANTLY_TIMEOUT=60s", "LOG_LEVEL=warn"})
	s.send(stdioInit, rpcReq(1, "tools/call", `{"name":"get_campaign_sending_status","arguments":{"id":"`+instantlytest.DemoID("healthy")+`"}}`))
	select {
	case <-got:
	case <-time.After(30 * time.Second):
		t.Fatal("the call never reached the upstream")
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	r := s.replies(2)["1"]
	if !strings.Contains(string(r.Result), "server is shutting down") || strings.Contains(string(r.Result), "by the client") {
		t.Fatalf("answer: %s %+v", r.Result, r.Error)
	}
}
