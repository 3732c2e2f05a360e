package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// The stdio server in-process (main's run, -demo): every request read before
// the end of input is answered, the last one without its newline too, then
// exit 0 and nothing but protocol on stdout.
func TestStdioInProcessAnswersAllBeforeEOF(t *testing.T) {
	id := instantlytest.DemoID(instantly.StatusDailyLimitMet)
	in := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_campaign_sending_status","arguments":{"id":"` + id + `","cross_check":false}}}
{"jsonrpc":"2.0","id":3,"method":"ping"}`
	var out, errb strings.Builder
	code := run(context.Background(), nil, map[string]string{"INSTANTLY_DEMO": "true", "LOG_LEVEL": "error"}, strings.NewReader(in), &out, &errb)
	if code != exitOK || errb.String() != "" {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	got := map[string]json.RawMessage{}
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		var m struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal([]byte(l), &m); err != nil || m.Result == nil {
			t.Fatalf("not a result line: %q (%v)", l, err)
		}
		got[string(m.ID)] = m.Result
	}
	if len(got) != 3 || got["1"] == nil || got["2"] == nil || string(got["3"]) != "{}" {
		t.Fatalf("answers %v, want ids 1, 2, 3 (ping {}):\n%s", slices.Collect(func(yield func(string) bool) {
			for k := range got {
				if !yield(k) {
					return
				}
			}
		}), out.String())
	}
	var call struct {
		IsError bool `json:"isError"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	}
	if err := json.Unmarshal(got["2"], &call); err != nil || call.IsError || len(call.Content) == 0 ||
		!strings.Contains(call.Content[0].Text, "`daily_limit_met`") {
		t.Fatalf("tool call: %v %s", err, got["2"])
	}
}

// stdioDrain's counting: requests read (a last line without newline
// included, lines too long to be requests not), responses written, and the
// idle signal when the count drops to zero.
func TestStdioDrainCounts(t *testing.T) {
	d := newStdioDrain(time.Hour)
	idle := d.idle
	d.add(1)
	d.add(1)
	select {
	case <-idle:
		t.Fatal("idle with two pending")
	default:
	}
	d.add(-1)
	if d.pending != 1 {
		t.Fatalf("pending %d, want 1", d.pending)
	}
	d.add(-1)
	select {
	case <-idle:
	default:
		t.Fatal("not idle at zero pending")
	}
	if d.pending != 0 || d.idle == idle {
		t.Fatalf("pending %d, idle channel replaced %v", d.pending, d.idle != idle)
	}
	// A response with nothing pending (a notification's answer never
	// comes; a stray one) stays at zero.
	idle = d.idle
	d.add(-1)
	if d.pending != 0 {
		t.Fatalf("pending %d after an extra response", d.pending)
	}
	select {
	case <-idle:
	default:
		t.Fatal("zero pending is idle")
	}
	s9iReturns(t, "wait with nothing pending", d.wait)

	in := `{"jsonrpc":"2.0","id":1,"method":"ping"}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n" +
		`{"jsonrpc":"2.0","id":"b","method":"ping"}`
	// DataErrReader gives the last bytes together with io.EOF.
	r := d.Reader(iotest.DataErrReader(strings.NewReader(in)))
	buf := make([]byte, 4096)
	n, err := r.Read(buf)
	if err != nil || string(buf[:n]) != in+"\n" || d.pending != 2 {
		t.Fatalf("read %q, %v, pending %d; want the input plus a newline, 2 pending", buf[:n], err, d.pending)
	}
	var w strings.Builder
	dw := d.Writer(&w)
	for _, resp := range []string{`{"jsonrpc":"2.0","id":1,"result":{}}` + "\n", `{"jsonrpc":"2.0","method":"notifications/message","params":{}}` + "\n", `{"jsonrpc":"2.0","id":"b","result":{}}` + "\n"} {
		if n, err := dw.Write([]byte(resp)); n != len(resp) || err != nil {
			t.Fatalf("write %d %v", n, err)
		}
	}
	if d.pending != 0 || strings.Count(w.String(), "\n") != 3 {
		t.Fatalf("pending %d after the answers, written %q", d.pending, w.String())
	}
	for range 2 {
		s9iReturns(t, "read at EOF with every request answered", func() {
			if n, err := r.Read(buf); n != 0 || err != io.EOF {
				t.Errorf("after the answers: %d, %v; want EOF", n, err)
			}
		})
	}

	// Read in small pieces: lines split across reads are counted once.
	d2 := newStdioDrain(time.Hour)
	r2 := d2.Reader(strings.NewReader(`{"jsonrpc":"2.0","id":7,"method":"ping"}` + "\n" + `{"jsonrpc":"2.0","id":8,"method":"ping"}` + "\n"))
	small := make([]byte, 5)
	var read []byte
	for {
		n, err := r2.Read(small)
		read = append(read, small[:n]...)
		if err != nil || d2.pending == 2 && len(read) == 82 {
			break
		}
	}
	if d2.pending != 2 || len(read) != 82 {
		t.Fatalf("pieces: pending %d, %d bytes", d2.pending, len(read))
	}
	// A last line that fills the buffer exactly together with EOF is
	// still a request: its newline comes on the next read (it used to be
	// dropped, and mcp-go lost the request with the EOF).
	d3 := newStdioDrain(time.Hour)
	line := `{"jsonrpc":"2.0","id":9,"method":"ping"}`
	r3 := d3.Reader(iotest.DataErrReader(strings.NewReader(line)))
	exact := make([]byte, len(line))
	if n, err := r3.Read(exact); n != len(line) || err != nil || string(exact) != line || d3.pending != 1 {
		t.Fatalf("exact buffer: %d %v %q pending %d", n, err, exact, d3.pending)
	}
	if n, err := r3.Read(exact); n != 1 || err != nil || exact[0] != '\n' {
		t.Fatalf("after an exact buffer: %d %v %q, want its newline", n, err, exact[:n])
	}
	d3.Writer(io.Discard).Write([]byte(`{"jsonrpc":"2.0","id":9,"result":{}}` + "\n"))
	s9iReturns(t, "EOF once the exact buffer's request is answered", func() {
		if n, err := r3.Read(exact); n != 0 || err != io.EOF {
			t.Errorf("then: %d %v, want EOF", n, err)
		}
	})
	// Input that ends with its newline gets nothing added.
	d6 := newStdioDrain(time.Hour)
	r6 := d6.Reader(iotest.DataErrReader(strings.NewReader(line + "\n")))
	if n, err := r6.Read(buf); n != len(line)+1 || err != nil || string(buf[:n]) != line+"\n" || d6.pending != 1 {
		t.Fatalf("complete input: %d %v %q pending %d", n, err, buf[:n], d6.pending)
	}
	// A line that grows past the counting limit before its newline comes is
	// not counted (a line that arrives whole with its newline is).
	d4 := newStdioDrain(time.Hour)
	long := `{"jsonrpc":"2.0","id":1,"method":"ping","pad":"` + strings.Repeat("x", maxCountedLine) + `"}`
	d4r := d4.Reader(io.MultiReader(strings.NewReader(long), strings.NewReader("\n")))
	big := make([]byte, len(long)+10)
	if n, err := d4r.Read(big); n != len(long) || err != nil || d4.pending != 0 {
		t.Fatalf("long line: %d %v pending %d", n, err, d4.pending)
	}
	if n, err := d4r.Read(big); n != 1 || err != nil || d4.pending != 0 {
		t.Fatalf("its newline: %d %v pending %d", n, err, d4.pending)
	}
	// At the limit exactly, the line is still counted.
	d5 := newStdioDrain(time.Hour)
	head := `{"jsonrpc":"2.0","id":1,"method":"ping","pad":"`
	atLimit := head + strings.Repeat("x", maxCountedLine-len(head)-2) + `"}`
	d5r := d5.Reader(io.MultiReader(strings.NewReader(atLimit), strings.NewReader("\n")))
	for range 2 {
		if _, err := d5r.Read(big); err != nil {
			t.Fatal(err)
		}
	}
	if len(atLimit) != maxCountedLine || d5.pending != 1 {
		t.Fatalf("line of %d bytes: pending %d, want 1", len(atLimit), d5.pending)
	}
}

// s9iReturns fails the test when f has not returned within a minute: what
// it checks must not block at all (the drain's grace above is an hour), so
// this only turns a hang into a failure.
func s9iReturns(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s: still blocked after a minute", what)
	}
}

// healthcheck's own refusals and answers, exactly.
func TestHealthcheckExact(t *testing.T) {
	notOK := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"status":"starting"}`))
	}))
	defer notOK.Close()
	addr := strings.TrimPrefix(notOK.URL, "http://")
	for _, c := range []struct {
		args         []string
		code         int
		stdout, want string
	}{
		{[]string{"-timeout", "0s"}, exitUsage, "", "healthcheck: takes no arguments and a positive -timeout (run with -h)\n"},
		{[]string{"-timeout", "-1s"}, exitUsage, "", "healthcheck: takes no arguments and a positive -timeout (run with -h)\n"},
		{[]string{"-addr", "h:"}, exitUsage, "", "healthcheck: MCP_ADDR / -addr must be host:port such as 0.0.0.0:8080 (got \"h:\")\n"},
		{[]string{"-addr", addr, "-timeout", "5s"}, exitError, "", "healthcheck: " + notOK.URL + "/healthz: unexpected body \"{\\\"status\\\":\\\"starting\\\"}\"\n"},
	} {
		out, stderr, code := runCmd(t, nil, append([]string{"healthcheck"}, c.args...)...)
		if code != c.code || out != c.stdout || stderr != c.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d %q", c.args, code, out, stderr, c.code, c.want)
		}
	}
	if _, _, code := runCmd(t, nil, "healthcheck", "-h"); code != exitOK {
		t.Errorf("healthcheck -h: exit %d", code)
	}
	if _, stderr, code := runCmd(t, nil, "healthcheck", "-bogus"); code != exitUsage ||
		stderr != "instantly-status-mcp healthcheck: unknown flag -bogus (see instantly-status-mcp healthcheck -h)\n" {
		t.Errorf("healthcheck -bogus: exit %d, stderr %q", code, stderr)
	}
	if _, stderr, code := runCmd(t, nil, "healthcheck", "stray"); code != exitUsage ||
		stderr != "healthcheck: takes no arguments and a positive -timeout (run with -h)\n" {
		t.Errorf("healthcheck stray: exit %d, stderr %q", code, stderr)
	}
	for addr, want := range map[string]string{
		"0.0.0.0:80": "http://127.0.0.1:80/healthz", ":81": "http://127.0.0.1:81/healthz", "[::]:82": "http://[::1]:82/healthz",
		"10.0.0.1:83": "http://10.0.0.1:83/healthz", "[fe80::1]:84": "http://[fe80::1]:84/healthz",
	} {
		if got, err := healthURL(addr); got != want || err != nil {
			t.Errorf("healthURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}

// version: with nothing stamped, the build info's values, else "dev" and
// "unknown"; "(modified)" only for a modified tree that was not stamped.
func TestVersionUnstamped(t *testing.T) {
	defer func(v, c, d string) { version, commit, date = v, c, d }(version, commit, date)
	version, commit, date = "", "", ""
	b := readBuildInfo()
	wantV, wantC, wantD, wantMod := "dev", "", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			wantV = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				wantC = s.Value
			case "vcs.time":
				wantD = s.Value
			case "vcs.modified":
				wantMod = s.Value == "true"
			}
		}
	}
	if b.Version != wantV || b.Commit != wantC || b.Date != wantD || b.Modified != wantMod {
		t.Fatalf("readBuildInfo = %+v, want %q %q %q %v", b, wantV, wantC, wantD, wantMod)
	}
	var out strings.Builder
	printVersion(&out)
	c, d := wantC, wantD
	if c == "" {
		c = "unknown"
	}
	if wantMod {
		c += " (modified)"
	}
	if d == "" {
		d = "unknown"
	}
	want := "instantly-status-mcp " + wantV + "\ncommit: " + c + "\nbuilt:  " + d + "\ngo:     " + b.GoVersion + " " + b.Platform + "\n"
	if out.String() != want {
		t.Fatalf("version:\n%q\nwant\n%q", out.String(), want)
	}
	// In a test binary the toolchain stamps no version and no VCS data:
	// the fallbacks are what this test sees.
	if want != "instantly-status-mcp dev\ncommit: unknown\nbuilt:  unknown\ngo:     "+b.GoVersion+" "+b.Platform+"\n" {
		t.Logf("build info present in the test binary: %q", want)
	}
	// Stamped: the stamps win, and a stamped commit is never "(modified)".
	version, commit, date = "v1.2.3", "abc", "2026-01-02T03:04:05Z"
	if b := readBuildInfo(); b.Version != "v1.2.3" || b.Commit != "abc" || b.Date != "2026-01-02T03:04:05Z" || b.Modified {
		t.Fatalf("stamped: %+v", b)
	}
}

// scaleOut: nothing without its settings; /metrics only off stdio; the
// Redis budget (unreachable here) in the health info.
func TestScaleOutParts(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for _, c := range []struct {
		cfg             Config
		opts, mw        int
		metrics, budget bool
		health          map[string]string
	}{
		{Config{Transport: "stdio"}, 0, 0, false, false, nil},
		{Config{Transport: "stdio", Metrics: true}, 0, 0, false, false, nil},
		{Config{Transport: "http", Metrics: true}, 2, 1, true, false, nil},
		{Config{Transport: "sse", Metrics: true}, 2, 1, true, false, nil},
		{Config{Transport: "http", Demo: true, RedisURL: "redis://127.0.0.1:1"}, 0, 0, false, false, nil},
		{Config{Transport: "http", RedisURL: "redis://127.0.0.1:1"}, 1, 0, false, true, map[string]string{"rate_budget": "fallback"}},
		{Config{Transport: "http", RedisURL: "redis://127.0.0.1:1", Metrics: true}, 2, 1, true, true, map[string]string{"rate_budget": "fallback"}},
	} {
		s, err := newScaleOut(c.cfg, log)
		if err != nil {
			t.Fatalf("%+v: %v", c.cfg, err)
		}
		if got := len(s.clientOptions()); got != c.opts {
			t.Errorf("%+v: %d client options, want %d", c.cfg, got, c.opts)
		}
		if got := len(s.toolMiddleware()); got != c.mw {
			t.Errorf("%+v: %d middlewares, want %d", c.cfg, got, c.mw)
		}
		if (s.metricsHandler() != nil) != c.metrics || (s.metrics != nil) != c.metrics {
			t.Errorf("%+v: metrics handler %v, want %v", c.cfg, s.metricsHandler() != nil, c.metrics)
		}
		if (s.budget != nil) != c.budget || !reflect.DeepEqual(s.healthInfo(), c.health) {
			t.Errorf("%+v: budget %v, health %v; want %v %v", c.cfg, s.budget != nil, s.healthInfo(), c.budget, c.health)
		}
		s.close()
	}
	if _, err := newScaleOut(Config{RedisURL: "redis://h/%zz"}, log); err == nil {
		t.Error("an unparsable REDIS_URL was accepted")
	}
}

type s9iFailingText struct{}

func (s9iFailingText) MarshalText() ([]byte, error) { return nil, errors.New("boom") }

type s9iText struct{}

func (s9iText) MarshalText() ([]byte, error) { return []byte("as text"), nil }

type s9iStringer struct{}

func (s9iStringer) String() string { return "as string" }

// anyText renders each kind as slog's text handler does.
func TestAnyTextKinds(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, "<nil>"}, {errors.New("e"), "e"}, {s9iText{}, "as text"}, {s9iFailingText{}, "!ERROR:boom"},
		{[]byte("raw"), "raw"}, {s9iStringer{}, "as string"}, {struct{ A int }{3}, "{A:3}"},
	} {
		if got := anyText(c.v); got != c.want {
			t.Errorf("anyText(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
	// Without a secret, an Any value is left as it is (not turned into a string).
	r := redactAttr([]string{"sk_secret"})
	if a := r(nil, slog.Any("k", s9iStringer{})); a.Value.Kind() != slog.KindAny {
		t.Errorf("clean Any value rewritten: %v", a.Value.Kind())
	}
	if a := r(nil, slog.Any("k", errors.New("has sk_secret in it"))); a.Value.Kind() != slog.KindString || strings.Contains(a.Value.String(), "sk_secret") {
		t.Errorf("secret Any value: %v %q", a.Value.Kind(), a.Value.String())
	}
}
