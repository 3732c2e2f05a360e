package e2etest

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/cli"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

// Keys shaped like Instantly's v2 keys (base64 with + and /).
const (
	leakServerKey  = "MjU0ZDYx+NzQtNGE5Ny1hYjQ2LWQ4Y2YwYmQ3/ZmE2OnRmWkxhdmVyc2lvbg=="
	leakRequestKey = "OWQ3YjE0+ZTItYzQ4Ni00ZjVmLWE3N2UtZjg/MzNlOmNsaWVudGtleQ=="
)

// evilPrefix is what the reflecting fake puts before the name of the
// campaign it tampers with: terminal escapes (retitle the window, recolour)
// and a right-to-left override.
const evilPrefix = "Evil \x1b]0;PWNED\x07\x1b[31mRED\u202e "

// keyMixJSON is, JSON-escaped, every form of each key a server was seen to
// echo: exact, upper case, its first 20 characters, all but its last, its
// URL escapes, base64 of it and of "Bearer <key>", and a copy written with
// JSON's \/ and \u escapes.
func keyMixJSON(keys ...string) string {
	var forms []string
	for _, k := range keys {
		forms = append(forms, k, strings.ToUpper(k), k[:20], k[:len(k)-1], url.QueryEscape(k), url.PathEscape(k),
			base64.StdEncoding.EncodeToString([]byte(k)), base64.StdEncoding.EncodeToString([]byte("Bearer "+k)))
	}
	b, _ := json.Marshal(strings.Join(forms, " | "))
	mix := string(b[1 : len(b)-1])
	for _, k := range keys {
		mix += ` | ` + strings.ReplaceAll(k, "/", `\/`) + ` | \u00` + fmt.Sprintf("%x", k[0]) + k[1:]
	}
	return mix
}

// reflector is a fake Instantly that sends back every form of the key it
// was given (and of extra, the server-wide key, as a proxy mixing tenants
// might): in every status_message, every ai_summary, the name of one
// campaign, a header, and, while fail is set, in the error body of that
// status.
type reflector struct {
	inner      *instantlytest.Handler
	extra      []string
	evilName   string // the campaign name that is tampered with
	fail       atomic.Int32
	searchKeys atomic.Int32 // list requests whose search held a key
}

func newReflector(t *testing.T, extra ...string) (*reflector, *httptest.Server) {
	ws := instantlytest.DemoWorkspace(time.Now())
	c, _ := ws.Campaign(instantlytest.DemoCampaigns[0].ID)
	r := &reflector{inner: instantlytest.NewHandler(ws), extra: extra, evilName: c.Name}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *reflector) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	key := strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")
	keys := append([]string{key}, r.extra...)
	if q := strings.ToLower(req.URL.Query().Get("search")); q != "" {
		for _, k := range keys {
			if strings.Contains(strings.ToLower(k), q) || strings.Contains(q, strings.ToLower(k[:12])) {
				r.searchKeys.Add(1)
			}
		}
	}
	mix := keyMixJSON(keys...)
	w.Header().Set("X-Echo-Authorization", req.Header.Get("Authorization"))
	if st := int(r.fail.Load()); st != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(st)
		fmt.Fprintf(w, `{"statusCode":%d,"error":"%s","message":"%s"}`, st, mix, mix)
		return
	}
	rec := httptest.NewRecorder()
	r.inner.ServeHTTP(rec, req)
	body := rec.Body.String()
	evil, _ := json.Marshal(evilPrefix)
	body = strings.ReplaceAll(body, r.evilName, string(evil[1:len(evil)-1])+r.evilName+" "+mix)
	for _, field := range []string{`"status_message":"`, `"ai_summary":"`} {
		body = strings.ReplaceAll(body, field, field+mix+" ")
	}
	for k, v := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(rec.Code)
	_, _ = io.WriteString(w, body)
}

// assertNoKey fails when text holds a run of 12 characters of a form of a
// key (what the redactor promises to remove).
func assertNoKey(t *testing.T, what, text string, keys ...string) {
	t.Helper()
	lower := strings.ToLower(text)
	for _, k := range keys {
		forms := []string{k, url.QueryEscape(k), url.PathEscape(k)}
		for shift := range 3 {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				e := strings.TrimRight(enc.EncodeToString([]byte(k[shift:])), "=")
				forms = append(forms, e[:len(e)-2])
			}
		}
		for _, f := range forms {
			f = strings.ToLower(f)
			for i := 0; i+12 <= len(f); i++ {
				if j := strings.Index(lower, f[i:i+12]); j >= 0 {
					t.Fatalf("%s: %q of a key survives: …%s…", what, f[i:i+12], text[max(0, j-60):min(len(text), j+72)])
				}
			}
		}
	}
}

// assertSafeText fails when text meant for a person or a model holds a
// control character (but newline and tab) or a bidirectional control.
func assertSafeText(t *testing.T, what, text string) {
	t.Helper()
	for _, r := range text {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Fatalf("%s: control character %U in %q", what, r, text[:min(len(text), 300)])
		}
	}
}

// The CLI against a fake Instantly that echoes the key in every form, in 2xx
// and error bodies, headers and campaign names: no form of the key reaches
// stdout or stderr, the echoed text shows [REDACTED] instead, and nothing
// from Instantly drives the terminal.
func TestCLINeverShowsTheKey(t *testing.T) {
	refl, up := newReflector(t)
	env := map[string]string{"INSTANTLY_API_KEY": leakServerKey, "INSTANTLY_BASE_URL": up.URL, "INSTANTLY_TIMEOUT": "10s",
		"LOG_LEVEL": "debug", "NO_COLOR": "1"}
	id := instantlytest.DemoCampaigns[0].ID
	for _, args := range [][]string{
		{"diagnose", "-json", "-ai-summary", id}, {"diagnose", "-ai-summary", id}, {"diagnose", refl.evilName}, {"overview"},
		{"overview", "-json"},
	} {
		out, errs, code := servertest.Exec(t, servertest.Env(env), args...)
		what := strings.Join(args, " ")
		if code != cli.ExitOK && code != cli.ExitActionRequired && code != cli.ExitWaiting {
			t.Fatalf("%s: exit %d: %s", what, code, errs)
		}
		assertNoKey(t, what+" stdout", out, leakServerKey)
		assertNoKey(t, what+" stderr", errs, leakServerKey)
		if !strings.Contains(out, "[REDACTED]") && args[0] == "diagnose" {
			t.Errorf("%s: the echoed key does not show as [REDACTED]:\n%.600s", what, out)
		}
		if strings.Contains(out, "\x1b") || strings.Contains(out, "\u202e") || strings.Contains(out, "\a") {
			t.Errorf("%s: a terminal control from Instantly reached stdout: %q", what, out[:min(len(out), 400)])
		}
		if !strings.Contains(what, "-json") {
			assertSafeText(t, what, out)
		}
	}
	for _, st := range []int32{401, 403, 404, 429, 500, 502} {
		refl.fail.Store(st)
		_, errs, code := servertest.Exec(t, servertest.Env(env), "diagnose", id)
		if code != cli.ExitError {
			t.Fatalf("%d: exit %d: %s", st, code, errs)
		}
		assertNoKey(t, fmt.Sprint(st), errs, leakServerKey)
		assertSafeText(t, fmt.Sprint(st), errs)
		if (st == 401 || st == 403) && strings.Contains(errs, "Instantly said") {
			t.Errorf("%d: Instantly's own text is shown: %s", st, errs)
		}
	}
	refl.fail.Store(0)
}

// The key (or a long run of it) given as the campaign: it is never searched
// for nor echoed, however long, and a secret-looking token neither.
func TestCLIRefusesASecretAsTheCampaign(t *testing.T) {
	refl, up := newReflector(t)
	env := map[string]string{"INSTANTLY_API_KEY": leakServerKey, "INSTANTLY_BASE_URL": up.URL, "INSTANTLY_TIMEOUT": "10s"}
	for _, arg := range []string{leakServerKey, leakServerKey + leakServerKey, leakServerKey[3:40], "sk_live_abc123def456ghi789jkl"} {
		out, errs, code := servertest.Exec(t, servertest.Env(env), "diagnose", arg)
		if code != cli.ExitUsage || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "looks like a secret") {
			t.Errorf("%.10s…: exit %d, stdout %q, stderr %q", arg, code, out, errs)
		}
		if strings.Contains(errs, arg[:12]) {
			t.Errorf("the argument is echoed: %s", errs)
		}
	}
	_, errs, _ := servertest.Exec(t, []string{}, "diagnose", "-demo", "sk_live_abc123def456ghi789jkl")
	if !strings.Contains(errs, "looks like a secret") || strings.Contains(errs, "abc123") {
		t.Errorf("-demo: %s", errs)
	}
	if n := refl.searchKeys.Load(); n != 0 {
		t.Errorf("%d searches for the key reached Instantly", n)
	}
}

// Keys and tokens too short to be kept secret are refused at start, in one
// line with exit 2, and the line does not betray them.
func TestShortSecretsRefused(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"MCP_AUTH_TOKEN": "http", "INSTANTLY_DEMO": "true"}, []string{"-transport", "http", "-addr", "127.0.0.1:0"}, "MCP_AUTH_TOKEN is 4 characters long"},
		{map[string]string{"MCP_AUTH_TOKEN": strings.Repeat("t", 31)}, []string{"-transport", "http", "-addr", "127.0.0.1:0"}, "at least 32"},
		{map[string]string{"INSTANTLY_API_KEY": "k"}, []string{"-transport", "http", "-addr", "0.0.0.0:0"}, "INSTANTLY_API_KEY is 1 characters long"},
		{map[string]string{"INSTANTLY_API_KEY": "k"}, []string{"diagnose", instantlytest.DemoCampaigns[0].ID}, "too short"},
	} {
		out, errs, code := servertest.Exec(t, servertest.Env(c.env), c.args...)
		if code != cli.ExitUsage || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) || strings.Contains(errs, "[REDACTED]") {
			t.Errorf("%v %v: exit %d, stderr %q, want one line with %q", c.env, c.args, code, errs, c.want)
		}
	}
}

// rpcClient speaks JSON-RPC to the binary over stdio or streamable HTTP,
// raw, so the test sees every byte that leaves the server.
type rpcClient struct {
	t      *testing.T
	srv    *servertest.Server
	stdout *bufio.Reader
	key    string // X-Instantly-Api-Key, HTTP only
	sid    string
	id     int
}

func (c *rpcClient) call(method string, params any) []byte {
	c.t.Helper()
	c.id++
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.id, "method": method, "params": params})
	if c.srv.Stdin != nil {
		if _, err := c.srv.Stdin.Write(append(msg, '\n')); err != nil {
			c.t.Fatal(err)
		}
		for {
			line, err := c.srv.Stdout.ReadBytes('\n')
			if err != nil {
				c.t.Fatalf("%s: %v; stderr:\n%s", method, err, c.srv.Log.String())
			}
			if bytes.Contains(line, []byte(fmt.Sprintf(`"id":%d`, c.id))) {
				return line
			}
		}
	}
	req, _ := http.NewRequest(http.MethodPost, c.srv.Base+"/mcp", bytes.NewReader(msg))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Mcp-Protocol-Version", servertest.Proto)
	if c.key != "" {
		req.Header.Set("X-Instantly-Api-Key", c.key)
	}
	if c.sid != "" {
		req.Header.Set("Mcp-Session-Id", c.sid)
	}
	resp, err := c.srv.HC.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	if sid := resp.Header.Get("Mcp-Session-Id"); sid != "" {
		c.sid = sid
	}
	b, _ := io.ReadAll(resp.Body)
	if evs := servertest.SSEData(b); len(evs) > 0 {
		return evs[len(evs)-1]
	}
	return b
}

func (c *rpcClient) initialize() {
	c.call("initialize", map[string]any{"protocolVersion": servertest.Proto, "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "leak-test", "version": "1"}})
	if c.srv.Stdin != nil {
		_, _ = c.srv.Stdin.Write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"))
	}
}

// leakToolTexts returns the text contents of a tools/call response.
func leakToolTexts(t *testing.T, raw []byte) string {
	t.Helper()
	var r struct {
		Result struct {
			Content []struct{ Text string }
		}
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("%v: %.300s", err, raw)
	}
	var b strings.Builder
	for _, c := range r.Result.Content {
		b.WriteString(c.Text)
	}
	return b.String()
}

// Every tool, over stdio with the server's key and over streamable HTTP with
// a request's own key, against the reflecting fake: no form of either key
// in any byte the server sends or logs; the text for the model is free of
// terminal and bidi controls, and shows [REDACTED] where the key was.
func TestToolsNeverShowTheKey(t *testing.T) {
	for _, mode := range []string{"stdio", "http"} {
		t.Run(mode, func(t *testing.T) {
			refl, up := newReflector(t, leakServerKey)
			env := map[string]string{"INSTANTLY_API_KEY": leakServerKey, "INSTANTLY_BASE_URL": up.URL, "INSTANTLY_TIMEOUT": "10s",
				"LOG_LEVEL": "debug"}
			var c *rpcClient
			keys := []string{leakServerKey}
			if mode == "stdio" {
				c = &rpcClient{t: t, srv: servertest.StartStdio(t, servertest.Env(env))}
			} else {
				c = &rpcClient{t: t, srv: servertest.StartHTTP(t, env), key: leakRequestKey}
				keys = append(keys, leakRequestKey)
			}
			c.initialize()
			id := instantlytest.DemoCampaigns[0].ID
			calls := []map[string]any{
				{"name": "get_campaign_sending_status", "arguments": map[string]any{"id": id, "with_ai_summary": true}},
				{"name": "list_campaigns", "arguments": map[string]any{"search": refl.evilName[:6]}},
				{"name": "get_sending_overview", "arguments": map[string]any{}},
			}
			for _, params := range calls {
				raw := c.call("tools/call", params)
				text := leakToolTexts(t, raw)
				what := mode + " " + params["name"].(string)
				assertNoKey(t, what, string(raw), keys...)
				assertSafeText(t, what, text)
				if !strings.Contains(text, "[REDACTED]") && params["name"] != "get_sending_overview" {
					t.Errorf("%s: the echoed key does not show as [REDACTED]:\n%.500s", what, text)
				}
			}
			for _, st := range []int32{401, 500} {
				refl.fail.Store(st)
				raw := c.call("tools/call", calls[0])
				assertNoKey(t, fmt.Sprint(mode, " ", st), string(raw), keys...)
				assertSafeText(t, fmt.Sprint(mode, " ", st), leakToolTexts(t, raw))
			}
			refl.fail.Store(0)
			// The key as a search: refused, not sent.
			raw := c.call("tools/call", map[string]any{"name": "list_campaigns", "arguments": map[string]any{"search": keys[len(keys)-1][:40]}})
			if text := leakToolTexts(t, raw); !strings.Contains(text, "looks like a secret") {
				t.Errorf("%s: search by the key: %s", mode, text)
			}
			if n := refl.searchKeys.Load(); n != 0 {
				t.Errorf("%s: %d searches for the key reached Instantly", mode, n)
			}
			assertNoKey(t, mode+" log", c.srv.Log.String(), keys...)
		})
	}
}

// On a real terminal (a pty from util-linux `script`), a campaign named with
// OSC and CSI sequences and a right-to-left override reaches the screen
// without them: diagnose and overview, styled.
func TestTerminalEscapesFromInstantlyStripped(t *testing.T) {
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no `script` to give the binary a terminal")
	}
	refl, up := newReflector(t)
	for _, args := range []string{"diagnose " + instantlytest.DemoCampaigns[0].ID, "overview"} {
		cmd := exec.Command(script, "-qec", binPath+" "+args, "/dev/null")
		cmd.Env = []string{"TERM=xterm", "PATH=/usr/bin:/bin", "INSTANTLY_API_KEY=" + leakServerKey, "INSTANTLY_BASE_URL=" + up.URL}
		out, _ := cmd.Output()
		s := string(out)
		if !strings.Contains(s, refl.evilName) {
			t.Fatalf("%s: the tampered campaign is not shown:\n%s", args, s)
		}
		for _, bad := range []string{"\x1b]", "\x07", "\u202e", "\x1b[31mRED"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s: %q from Instantly reached the terminal", args, bad)
			}
		}
		assertNoKey(t, args, s, leakServerKey)
	}
}

// The key given where no argument belongs: the refusal does not repeat it,
// not even cut short (the cut used to come before the redaction).
func TestStrayArgumentNotEchoed(t *testing.T) {
	env := []string{"INSTANTLY_API_KEY=" + leakServerKey, "INSTANTLY_DEMO=true"}
	for _, args := range [][]string{{leakServerKey}, {"-transport", "stdio", leakServerKey}, {"overview", leakServerKey},
		{"version", leakServerKey}, {"sk_live_abc123def456ghi789jkl"}} {
		_, errs, code := servertest.Exec(t, env, args...)
		if code != cli.ExitUsage || !strings.Contains(errs, "not repeated") {
			t.Errorf("%v: exit %d: %s", args[:len(args)-1], code, errs)
		}
		assertNoKey(t, fmt.Sprint(args[:len(args)-1]), errs, leakServerKey)
	}
	_, errs, _ := servertest.Exec(t, []string{"INSTANTLY_TIMEOUT=" + leakServerKey}, "diagnose", "-demo", "x")
	assertNoKey(t, "INSTANTLY_TIMEOUT", errs, leakServerKey)
}
