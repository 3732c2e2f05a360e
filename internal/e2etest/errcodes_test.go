package e2etest

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// stdioSession is the built binary on pipes, spoken to line by line.
type stdioSession struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    chan string
	stderr *servertest.Buf
}

func startStdio(t *testing.T, env []string, args ...string) *stdioSession {
	t.Helper()
	srv := servertest.StartStdio(t, env, args...)
	s := &stdioSession{t: t, cmd: srv.Cmd, stdin: srv.Stdin, out: make(chan string, 64), stderr: srv.Log}
	go func() {
		sc := bufio.NewScanner(srv.Stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			s.out <- sc.Text()
		}
		close(s.out)
	}()
	return s
}

func (s *stdioSession) send(lines ...string) {
	s.t.Helper()
	for _, l := range lines {
		if _, err := io.WriteString(s.stdin, l+"\n"); err != nil {
			s.t.Fatal(err)
		}
	}
}

// rpcReply is one JSON-RPC response.
type rpcReply = servertest.Resp

// replies reads until n responses (lines with an id) came, or stdout closed.
func (s *stdioSession) replies(n int) map[string]rpcReply {
	s.t.Helper()
	got := map[string]rpcReply{}
	deadline := time.After(30 * time.Second)
	for len(got) < n {
		select {
		case l, ok := <-s.out:
			if !ok {
				return got
			}
			var r rpcReply
			if json.Unmarshal([]byte(l), &r) == nil && len(r.ID) > 0 {
				got[string(r.ID)] = r
			}
		case <-deadline:
			s.t.Fatalf("%d of %d replies in 30s; stderr:\n%s", len(got), n, s.stderr.String())
		}
	}
	return got
}

const stdioInit = `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}` + "\n" +
	`{"jsonrpc":"2.0","method":"notifications/initialized"}`

func rpcReq(id int, method, params string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`, id, method, params)
}

// Bad prompt arguments are invalid params (-32602) and an unknown code's
// resource is resource-not-found (-32002), over stdio and HTTP, from the
// built binary; internal error (-32603) is for bugs only.
func TestErrorCodesOfTheShippedServer(t *testing.T) {
	reqs := []struct {
		method, params string
		want           int
	}{
		{"prompts/get", `{"name":"sending_status_remediation","arguments":{"status":"no_such_status"}}`, -32602},
		{"prompts/get", `{"name":"sending_status_remediation","arguments":{}}`, -32602},
		{"prompts/get", `{"name":"sending_status_remediation","arguments":{"status":"daily_limit_met","campaign_id":"nope"}}`, -32602},
		{"prompts/get", `{"name":"diagnose_campaign","arguments":{}}`, -32602},
		{"prompts/get", `{"name":"no_such_prompt","arguments":{}}`, -32602},
		{"resources/read", `{"uri":"instantly://sending-status/codes/no_such_code"}`, -32002},
		{"resources/read", `{"uri":"instantly://nothing/here"}`, -32002},
	}
	check := func(t *testing.T, got map[string]rpcReply) {
		for i, r := range reqs {
			rep, ok := got[fmt.Sprint(i+1)]
			if !ok || rep.Error == nil || rep.Error.Code != r.want {
				t.Errorf("%s %s: got %+v, want code %d", r.method, r.params, rep.Error, r.want)
			}
		}
	}
	t.Run("stdio", func(t *testing.T) {
		s := startStdio(t, []string{"LOG_LEVEL=warn"}, "-demo")
		s.send(stdioInit)
		for i, r := range reqs {
			s.send(rpcReq(i+1, r.method, r.params))
		}
		check(t, s.replies(len(reqs)+1))
	})
	t.Run("http", func(t *testing.T) {
		addr := servertest.Start(t, []string{"INSTANTLY_DEMO=1", "LOG_LEVEL=warn"}, "-transport", "http").Addr
		base := "http://" + addr
		_, id, _ := mcpPost(t, base, "", initBody)
		got := map[string]rpcReply{}
		for i, r := range reqs {
			_, _, body := mcpPost(t, base, id, rpcReq(i+1, r.method, r.params))
			body = strings.TrimSpace(body)
			if strings.HasPrefix(body, "event:") || strings.HasPrefix(body, "data:") {
				for _, l := range strings.Split(body, "\n") {
					if strings.HasPrefix(l, "data: ") {
						body = strings.TrimPrefix(l, "data: ")
					}
				}
			}
			var rep rpcReply
			_ = json.Unmarshal([]byte(body), &rep)
			got[fmt.Sprint(i+1)] = rep
		}
		check(t, got)
	})
}

// `instantly-status-mcp -demo < requests.jsonl`: at end of input the built
// server finishes the calls it has read, writes every answer, and exits 0.
// Before, the calls were cancelled ("cancelled before Instantly answered")
// in most runs.
func TestStdioAnswersEverythingReadBeforeEOF(t *testing.T) {
	var in strings.Builder
	in.WriteString(stdioInit + "\n")
	ids := []string{
		instantlytest.DemoID(instantly.StatusDailyLimitMet), instantlytest.DemoID(instantly.StatusCampaignBounceProtect),
		instantlytest.DemoID("healthy"), instantlytest.DemoID(instantly.StatusDailyLimitMet),
	}
	for i, id := range ids {
		in.WriteString(rpcReq(i+1, "tools/call", `{"name":"get_campaign_sending_status","arguments":{"id":"`+id+`"}}`) + "\n")
	}
	in.WriteString(rpcReq(len(ids)+1, "tools/call", `{"name":"get_sending_overview","arguments":{}}`)) // no final newline
	for run := range 3 {
		cmd := exec.Command(binPath, "-demo")
		cmd.Env = []string{"LOG_LEVEL=warn"}
		cmd.Stdin = strings.NewReader(in.String())
		var stderr servertest.Buf
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("run %d: exit: %v; stderr:\n%s", run, err, stderr.String())
		}
		got := map[string]rpcReply{}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			var r rpcReply
			if json.Unmarshal([]byte(l), &r) == nil && len(r.ID) > 0 {
				got[string(r.ID)] = r
			}
		}
		for i := range len(ids) + 2 {
			r, ok := got[fmt.Sprint(i)]
			if !ok || r.Error != nil || strings.Contains(string(r.Result), "cancelled") || strings.Contains(string(r.Result), `"isError":true`) {
				t.Fatalf("run %d: reply %d: %+v %.300s\nstdout:\n%.2000s", run, i, r.Error, r.Result, out)
			}
		}
	}
}

// resources/read of an unknown code answers the resource-not-found code of
// the client's protocol: -32602 (Invalid Params) from 2026-07-28 on (its
// changelog: "Change resource not found error code from -32002 to -32602"),
// -32002 for 2025-11-25 and before (TestErrorCodesOfTheShippedServer). Both
// our handler's error (unknown code) and mcp-go's own (no handler for the
// URI). Built binary, mcp-go's client in its modern mode, every transport.
func TestResourceNotFoundCodeFollowsTheProtocol(t *testing.T) {
	for _, mode := range []string{"stdio", "http", "http-stateless"} {
		t.Run(mode, func(t *testing.T) {
			c, ctx, _ := modernClient(t, mode, "codes-test")
			for _, uri := range []string{"instantly://sending-status/codes/no_such_code", "instantly://nothing/here"} {
				rr := mcp.ReadResourceRequest{}
				rr.Params.URI = uri
				_, err := c.ReadResource(ctx, rr)
				if !errors.Is(err, mcp.ErrInvalidParams) {
					t.Errorf("%s: got %v, want -32602 (invalid params)", uri, err)
				}
			}
			rr := mcp.ReadResourceRequest{}
			rr.Params.URI = "instantly://sending-status/codes/no_such_code"
			_, err := c.ReadResource(ctx, rr)
			if err == nil || !strings.Contains(err.Error(), `resource not found: unknown sending-status code "no_such_code"`) {
				t.Errorf("message: %v", err)
			}
		})
	}
}
