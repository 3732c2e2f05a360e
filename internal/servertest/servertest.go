// Package servertest runs the built server for tests, as a client does: it
// builds the binary once per test binary (Build), starts it over HTTP on a
// port the system picks (Start: -addr 127.0.0.1:0, then the address the
// server prints) or over stdio on pipes (StartStdio), and speaks raw MCP to
// it (Session). It also has the fake Instantly of the fault suites
// (Upstream) and their after-each checks. Only tests import it.
package servertest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Binary is the server Build built.
var Binary string

// Build builds the server (the module's main package) into a temporary
// directory and sets Binary; call cleanup when the tests are done. Without
// race it is built as the README says: one static binary (CGO_ENABLED=0);
// with race, with the race detector (cgo), so that a data race in the server
// fails the test that stops it (exit status 66).
func Build(race bool) (cleanup func(), err error) {
	dir, err := os.MkdirTemp("", "instantly-status-mcp-test")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "instantly-status-mcp")
	args := []string{"build", "-o", bin}
	env := append(os.Environ(), "CGO_ENABLED=0")
	if race {
		args = append(args, "-race")
		env = append(os.Environ(), "CGO_ENABLED=1")
	}
	build := exec.Command("go", append(args, "github.com/instantly-status/instantly-status-mcp")...)
	build.Env = env
	if out, err := build.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("building the server: %v\n%s", err, out)
	}
	Binary = bin
	return func() { os.RemoveAll(dir) }, nil
}

// ChdirModuleRoot makes the module's root the working directory, so that
// tests of what ships read README.md, manifest.json or the Dockerfile by
// the names a person uses, from whichever package they live in.
func ChdirModuleRoot() error {
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return os.Chdir(dir)
		}
		up := filepath.Dir(dir)
		if up == dir {
			return fmt.Errorf("no go.mod above the working directory")
		}
		dir = up
	}
}

// Exec runs the built binary to its end with only env set and returns its
// streams and exit code.
func Exec(t testing.TB, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, Binary, args...)
	cmd.Env = env
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// Main is TestMain for a package whose tests run the server: it builds it
// (with the race detector when race), runs the tests and returns the exit
// code.
func Main(m *testing.M, race bool) int {
	cleanup, err := Build(race)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer cleanup()
	return m.Run()
}

// Buf is a goroutine-safe log sink (a server's stderr).
type Buf struct {
	mu      sync.Mutex
	b       strings.Builder
	changed chan struct{} // closed on the next Write, for WaitFor
}

func (b *Buf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return b.b.Write(p)
}

func (b *Buf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// WaitFor waits until what was written matches re (a log line that says
// the server is ready, say) and returns the match, or nil after d. It wakes
// on each write: no polling, no sleep.
func (b *Buf) WaitFor(re *regexp.Regexp, d time.Duration) []string {
	deadline := time.After(d)
	for {
		b.mu.Lock()
		if m := re.FindStringSubmatch(b.b.String()); m != nil {
			b.mu.Unlock()
			return m
		}
		if b.changed == nil {
			b.changed = make(chan struct{})
		}
		ch := b.changed
		b.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			return nil
		}
	}
}

// listeningRe matches the line the server prints when -addr asks the system
// for a port ("127.0.0.1:0").
var listeningRe = regexp.MustCompile(`instantly-status-mcp: listening on (\S+)\n`)

// Server is the built server running in a process of its own.
type Server struct {
	Addr string // host:port (HTTP transports)
	Base string // "http://" + Addr
	Cmd  *exec.Cmd
	Log  *Buf         // its stderr
	HC   *http.Client // for Base; closed idle on Stop
	// Stdin and Stdout are the protocol pipes (stdio only).
	Stdin  io.WriteCloser
	Stdout *bufio.Reader

	done chan error // Cmd.Wait's result
}

// Env turns a map into a process environment.
func Env(m map[string]string) []string {
	env := make([]string, 0, len(m))
	for k, v := range m {
		env = append(env, k+"="+v)
	}
	return env
}

func start(t testing.TB, cmd *exec.Cmd, s *Server) {
	t.Helper()
	if Binary == "" {
		t.Fatal("servertest: no server built (call servertest.Main or Build from TestMain)")
	}
	s.Cmd, s.Log, s.done = cmd, &Buf{}, make(chan error, 1)
	cmd.Stderr = s.Log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-s.done
		if s.HC != nil {
			s.HC.CloseIdleConnections()
		}
	})
}

// Start runs the built server with env (exactly: nothing is inherited) and
// args over an HTTP transport (args say which; streamable HTTP by default)
// on a port the system picks, "-addr 127.0.0.1:0", and waits for the line
// that names the address. The process is killed when the test ends unless
// Stop stopped it.
func Start(t testing.TB, env []string, args ...string) *Server {
	t.Helper()
	cmd := exec.Command(Binary, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = env
	s := &Server{HC: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 30 * time.Second}}
	start(t, cmd, s)
	m := s.Log.WaitFor(listeningRe, 10*time.Second)
	if m == nil {
		t.Fatalf("server did not say where it listens in 10s; stderr:\n%s", s.Log.String())
	}
	s.Addr = m[1]
	s.Base = "http://" + s.Addr
	return s
}

// StartHTTP is Start with "-transport http" and the environment as a map.
func StartHTTP(t testing.TB, env map[string]string, args ...string) *Server {
	t.Helper()
	return Start(t, Env(env), append([]string{"-transport", "http"}, args...)...)
}

// StartStdio runs the built server over stdio on pipes (Stdin, Stdout),
// with env (exactly) and args. Stdout reads to EOF after the process exits.
func StartStdio(t testing.TB, env []string, args ...string) *Server {
	t.Helper()
	cmd := exec.Command(Binary, args...)
	cmd.Env = env
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	// An os.Pipe rather than StdoutPipe: Cmd.Wait (run as soon as the
	// process starts) would close StdoutPipe's end before the test read it.
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = pw
	s := &Server{Stdin: in, Stdout: bufio.NewReaderSize(pr, 1<<20)}
	start(t, cmd, s)
	_ = pw.Close() // the child has its copy
	t.Cleanup(func() { _ = pr.Close() })
	return s
}

// Stop ends the server as a client or an operator does (closing stdin for
// stdio, else SIGTERM), and fails the test unless it exits 0 within 20 s
// (a data race in a -race build exits 66).
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if s.Stdin != nil {
		_ = s.Stdin.Close()
		// Drain what is left so no write blocks on the pipe.
		go func() { _, _ = io.Copy(io.Discard, s.Stdout) }()
	} else {
		// Idle keep-alive connections first: one the client dialled but
		// never used is StateNew to the server, which http.Server.Shutdown
		// waits up to 5 s for.
		s.HC.CloseIdleConnections()
		_ = s.Cmd.Process.Signal(syscall.SIGTERM)
	}
	select {
	case err := <-s.done:
		s.done <- err
		if err != nil {
			t.Errorf("server exited: %v; stderr:\n%s", err, s.Log.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("server did not stop within 20s; stderr:\n%s", s.Log.String())
	}
}

// gcLine matches the runtime's GODEBUG=gctrace=1 line: heap at the start of
// the cycle, at its end, and live after marking ("4->5->2 MB").
var gcLine = regexp.MustCompile(`(?m)^gc \d+ @.* (\d+)->(\d+)->(\d+) MB`)

// liveHeaps are the live heaps, in bytes, the server's garbage collections
// reported so far, read from the gctrace lines of its stderr.
func (s *Server) liveHeaps() []uint64 {
	var out []uint64
	for _, m := range gcLine.FindAllStringSubmatch(s.Log.String(), -1) {
		n, _ := strconv.ParseUint(m[3], 10, 64)
		out = append(out, n<<20)
	}
	return out
}

// HeapBound fails when the server retains more than limit bytes: the live
// heap of its first garbage collection after this call. The server must run
// with GODEBUG=gctrace=1; nudge makes it allocate (send it NudgeMessage) and
// is called until a collection happened, at most 5000 times. (After a
// burst the next collection may wait for another 100 MiB or so: the heap
// goal follows the burst's peak.)
func (s *Server) HeapBound(t testing.TB, limit uint64, what string, nudge func() error) {
	t.Helper()
	n := len(s.liveHeaps())
	nudges := 0
	for range 5000 {
		if len(s.liveHeaps()) > n {
			break
		}
		nudges++
		if err := nudge(); err != nil {
			t.Fatalf("%s: nudging the server to collect garbage: %v", what, err)
		}
	}
	heaps := s.liveHeaps()
	if len(heaps) <= n {
		t.Fatalf("%s: no garbage collection in the server's log (GODEBUG=gctrace=1?)", what)
	}
	t.Logf("%s: the server retains %d MiB (live heap after its next GC, %d nudges)", what, heaps[n]>>20, nudges)
	if h := heaps[n]; h > limit {
		t.Errorf("%s: the server retains %d MiB (live heap after a GC; bound %d MiB)", what, h>>20, limit>>20)
	}
}

// NudgeBody is a request body just under the server's 1 MiB limit that is
// not JSON: the server reads it in full (about 2 MiB of garbage) and
// refuses it at once, so that a few dozen bring a garbage collection
// (HeapBound) without costing much CPU. Over stdio it is a line answered
// with a parse error.
var NudgeBody = bytes.Repeat([]byte("x"), 1000<<10)

// Nudge posts NudgeBody as text/plain (refused with 400).
func (c *Session) Nudge() error {
	req, err := http.NewRequest(http.MethodPost, c.s.Base+"/mcp", bytes.NewReader(NudgeBody))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain")
	resp, err := c.s.HC.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// Messages is the server's stderr without the runtime's gctrace lines.
func (s *Server) Messages() string {
	return gcLines.ReplaceAllString(s.Log.String(), "")
}

var gcLines = regexp.MustCompile(`(?m)^gc \d+ @.*\n`)

// Goroutines is the server's goroutine count, from its /metrics (the server
// must run with MCP_METRICS=true and no MCP_AUTH_TOKEN), measured after
// closing the client's idle connections, so that their goroutines on the
// server end.
func (s *Server) Goroutines(t testing.TB) int {
	t.Helper()
	s.HC.CloseIdleConnections()
	req, err := http.NewRequest(http.MethodGet, s.Base+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Close = true // no connection of our own left behind
	resp, err := s.HC.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := goroutinesLine.FindSubmatch(b)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("/metrics: HTTP %d without go_goroutines (MCP_METRICS=true?): %.300s", resp.StatusCode, b)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

var goroutinesLine = regexp.MustCompile(`(?m)^go_goroutines (\d+)$`)

// NoGoroutineLeak fails unless the server's goroutine count comes back to
// at most base (a Goroutines reading from before the load) within 10 s:
// what the load started must end once its connections are closed.
func (s *Server) NoGoroutineLeak(t testing.TB, base int, what string) {
	t.Helper()
	n := 0
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if n = s.Goroutines(t); n <= base {
			t.Logf("%s: the server runs %d goroutines, %d before", what, n, base)
			return
		}
	}
	t.Errorf("%s: the server runs %d goroutines, %d before", what, n, base)
}
