// Command httpload is the load benchmark of the MCP server over streamable
// HTTP. On loopback only, it serves the fake Instantly (internal/demo)
// in-process, runs the server (built from the module, or -bin) as a child
// process against it, stateful and -stateless, and a bare reverse proxy (this
// binary re-executed with -serve-proxy) as the baseline; drives each with
// -clients closed-loop clients for -duration after -warmup, every call with
// its own X-Instantly-Api-Key from a ring of -keys; and reports calls/s,
// latency percentiles, errors, the child's resident memory and CPU, and the
// ratio server/proxy against the targets. bench/README.md has the details.
//
// Usage (from the module root):
//
//	go run ./bench/httpload [-clients 32] [-duration 10s] [-json out.json]
//
// It stops by itself and kills its children on exit, on Ctrl-C, and (Linux)
// even when it is killed itself.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/instantly-status/instantly-status-mcp/internal/demo"
)

const serverPackage = "github.com/instantly-status/instantly-status-mcp"

var modeNames = []string{"proxy", "proxy-tuned", "stateful", "stateless"}

type options struct {
	clients, keys, rounds             int
	duration, warmup, callTimeout     time.Duration
	modes                             []string
	bin, logLevel, serverErr, jsonOut string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "httpload:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	var o options
	fs := flag.NewFlagSet("httpload", flag.ContinueOnError)
	fs.IntVar(&o.clients, "clients", 32, "concurrent clients")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured load per phase")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each phase's measurement")
	fs.DurationVar(&o.callTimeout, "call-timeout", 5*time.Second, "timeout of one call")
	fs.IntVar(&o.keys, "keys", 1000, "distinct Instantly API keys, one per call round-robin (0: none, the server's INSTANTLY_API_KEY and its single ~95/s budget)")
	modes := fs.String("modes", "proxy,proxy-tuned,stateful,stateless", "phases, in order: proxy (bare ReverseProxy, http.DefaultTransport), proxy-tuned (MaxIdleConnsPerHost = clients), stateful, stateless")
	fs.IntVar(&o.rounds, "rounds", 1, "run the phases this many times, interleaved")
	fs.StringVar(&o.bin, "bin", "", "server binary (default: go build the module into a temp dir)")
	fs.StringVar(&o.logLevel, "log-level", "info", "LOG_LEVEL of the server (info logs one line per request, as in production)")
	fs.StringVar(&o.serverErr, "server-stderr", "", "file for the server's stderr (default: discarded)")
	fs.StringVar(&o.jsonOut, "json", "", "also write the results as JSON to this file (- for stdout)")
	serveProxy := fs.String("serve-proxy", "", "internal: serve the reverse-proxy baseline on this address")
	upstream := fs.String("upstream", "", "internal: upstream of -serve-proxy")
	idlePerHost := fs.Int("proxy-idle-per-host", 0, "internal: MaxIdleConnsPerHost of -serve-proxy (0: http.DefaultTransport)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *serveProxy != "" {
		return serveProxyChild(ctx, *serveProxy, *upstream, *idlePerHost)
	}
	o.modes = strings.Split(*modes, ",")
	for _, m := range o.modes {
		if !slices.Contains(modeNames, m) {
			return fmt.Errorf("unknown mode %q in -modes (want %s)", m, strings.Join(modeNames, ", "))
		}
	}
	if o.clients < 1 || o.duration <= 0 || o.warmup < 0 || o.rounds < 1 || o.keys < 0 || o.callTimeout <= 0 {
		return errors.New("-clients, -duration, -rounds and -call-timeout must be positive; -warmup and -keys not negative")
	}
	return bench(ctx, o)
}

type phaseReport struct {
	Name      string  `json:"name"`
	Round     int     `json:"round"`
	Clients   int     `json:"clients"`
	LoadAvg   string  `json:"load_avg_before"`
	RSSIdleMB float64 `json:"rss_idle_mb"`
	RSSPeakMB float64 `json:"rss_peak_mb"`
	RSSEndMB  float64 `json:"rss_end_mb"`
	HWMMB     float64 `json:"vm_hwm_mb"`
	// CPU during the measured window, in cores (1.0 = one CPU busy): the
	// server (or proxy) child, this process (clients and the fake), and
	// everything else on the machine (other jobs: noise).
	ChildCPU      float64 `json:"child_cpu_cores"`
	BenchCPU      float64 `json:"bench_cpu_cores"`
	OtherCPU      float64 `json:"other_cpu_cores"`
	ChildCPUPerUs float64 `json:"child_cpu_us_per_call"`
	loadStats
	RatioToProxy float64 `json:"ratio_to_proxy,omitempty"`
	RatioToTuned float64 `json:"ratio_to_proxy_tuned,omitempty"`
}

type report struct {
	Time        string        `json:"time"`
	GoVersion   string        `json:"go_version"`
	NumCPU      int           `json:"num_cpu"`
	Clients     int           `json:"clients"`
	DurationSec float64       `json:"duration_sec"`
	Keys        int           `json:"keys"`
	LogLevel    string        `json:"server_log_level"`
	Phases      []phaseReport `json:"phases"`
}

func bench(ctx context.Context, o options) error {
	// The fake Instantly, in-process.
	fake := httptest.NewServer(demo.NewHandler(demo.DemoWorkspace(time.Now())))
	defer fake.Close()
	var ids []string
	for _, e := range demo.DemoCampaigns {
		if e.Kind == demo.KindCampaign {
			ids = append(ids, e.ID)
		}
	}

	bin := o.bin
	if bin == "" && (slices.Contains(o.modes, "stateful") || slices.Contains(o.modes, "stateless")) {
		dir, err := os.MkdirTemp("", "httpload-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "instantly-status-mcp")
		fmt.Fprintf(os.Stderr, "building %s ...\n", serverPackage)
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, serverPackage)
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build %s (run from inside the module, or pass -bin): %w", serverPackage, err)
		}
	}

	rep := report{
		Time: time.Now().UTC().Format(time.RFC3339), GoVersion: runtime.Version(), NumCPU: runtime.NumCPU(),
		Clients: o.clients, DurationSec: o.duration.Seconds(), Keys: o.keys, LogLevel: o.logLevel,
	}
	keys := newKeyRing(o.keys)
	failed := false
	rate := map[string]float64{} // calls/s by round and phase
	for round := 1; round <= o.rounds; round++ {
		for _, mode := range o.modes {
			fmt.Fprintf(os.Stderr, "round %d: %s: %d clients, %s warmup + %s ...\n", round, mode, o.clients, o.warmup, o.duration)
			pr, err := runPhase(ctx, o, mode, bin, fake.URL, ids, keys)
			if err != nil {
				return fmt.Errorf("%s: %w", mode, err)
			}
			pr.Round = round
			failed = failed || pr.Errors > 0
			rate[fmt.Sprint(round, mode)] = pr.CallsPerSec
			rep.Phases = append(rep.Phases, pr)
		}
	}
	// Ratios against the proxies of the same round.
	ratio := func(p phaseReport, proxy string) float64 {
		if r := rate[fmt.Sprint(p.Round, proxy)]; r > 0 && !isProxy(p.Name) {
			return p.CallsPerSec / r
		}
		return 0
	}
	for i, p := range rep.Phases {
		rep.Phases[i].RatioToProxy, rep.Phases[i].RatioToTuned = ratio(p, "proxy"), ratio(p, "proxy-tuned")
	}
	printTable(os.Stdout, rep)
	if b, _ := json.MarshalIndent(rep, "", "  "); o.jsonOut == "-" {
		fmt.Printf("%s\n", b)
	} else if o.jsonOut != "" {
		if err := os.WriteFile(o.jsonOut, append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	if failed {
		return errors.New("some calls failed (see first_error)")
	}
	return nil
}

func isProxy(mode string) bool { return strings.HasPrefix(mode, "proxy") }

func runPhase(ctx context.Context, o options, mode, bin, fakeURL string, ids []string, keys *keyRing) (phaseReport, error) {
	ch, base, stop, err := startPhaseServer(o, mode, bin, fakeURL)
	if err != nil {
		return phaseReport{}, err
	}
	defer stop()
	if err := ch.waitHealthy(ctx, base+"/healthz"); err != nil {
		return phaseReport{}, err
	}

	pid := ch.Process.Pid
	rss, _ := memStatus(pid)
	pr := phaseReport{Name: mode, Clients: o.clients, LoadAvg: loadAverage(), RSSIdleMB: mb(rss)}
	tr := newLoadTransport(o.clients)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: o.callTimeout}
	callers, closeCallers, err := newCallers(ctx, o, mode, hc, base, keys)
	defer closeCallers()
	if err != nil {
		return pr, err
	}

	var peak int64
	tick := func() {
		rss, _ := memStatus(pid)
		peak = max(peak, rss)
	}
	var cpu []cpuSample // at the start and the end of the measurement
	var cpuErr error
	window := func() {
		s, err := sampleCPU(pid)
		cpu, cpuErr = append(cpu, s), errors.Join(cpuErr, err)
	}
	st, err := runLoad(ctx, loadSpec{warmup: o.warmup, measure: o.duration, ids: ids, callers: callers, tick: tick, window: window})
	if err != nil {
		return pr, err
	}
	tick()
	pr.loadStats = st
	rss, hwm := memStatus(pid)
	pr.RSSEndMB, pr.HWMMB, pr.RSSPeakMB = mb(rss), mb(hwm), mb(peak)
	if len(cpu) == 2 && cpuErr == nil && cpu[1].at.After(cpu[0].at) {
		pr.setCPU(cpu[0], cpu[1])
	}
	select {
	case <-ch.exited:
		return pr, fmt.Errorf("%s exited during the load: %v", ch.Path, ch.err)
	default:
		return pr, nil
	}
}

// startPhaseServer starts the server a phase measures (ours, or the bare
// proxy) on a free port and returns it, its base URL and what stops it.
func startPhaseServer(o options, mode, bin, fakeURL string) (ch *child, base string, stop func(), err error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", nil, err
	}
	path, args := bin, []string{"-transport", "http", "-addr", addr}
	if mode == "stateless" {
		args = append(args, "-stateless")
	}
	var stderr io.Writer
	closeStderr := func() {}
	if isProxy(mode) {
		if path, err = os.Executable(); err != nil {
			return nil, "", nil, err
		}
		args = []string{"-serve-proxy", addr, "-upstream", fakeURL}
		if mode == "proxy-tuned" {
			args = append(args, "-proxy-idle-per-host", strconv.Itoa(o.clients))
		}
	} else if o.serverErr != "" {
		f, err := os.OpenFile(o.serverErr, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, "", nil, err
		}
		stderr, closeStderr = f, func() { f.Close() }
	}
	ch, err = startChild(path, args, childEnv(fakeURL, o.logLevel), stderr)
	if err != nil {
		closeStderr()
		return nil, "", nil, err
	}
	return ch, "http://" + addr, func() { ch.stop(); closeStderr() }, nil
}

// newCallers connects o.clients clients to the phase's server: MCP
// sessions, or plain HTTP for the proxy. closeAll closes those opened,
// also after an error.
func newCallers(ctx context.Context, o options, mode string, hc *http.Client, base string, keys *keyRing) (callers []caller, closeAll func(), err error) {
	var opened []*mcpCaller
	closeAll = func() {
		for _, c := range slices.Backward(opened) {
			c.Close()
		}
	}
	callers = make([]caller, o.clients)
	for i := range callers {
		if isProxy(mode) {
			callers[i] = &proxyClient{hc: hc, base: base, keys: keys}
			continue
		}
		ictx, cancel := context.WithTimeout(ctx, o.callTimeout)
		c, err := newMCPCaller(ictx, hc, base+"/mcp", keys)
		cancel()
		if err != nil {
			return nil, closeAll, fmt.Errorf("client %d: %w", i, err)
		}
		opened = append(opened, c)
		if mode == "stateful" && c.GetSessionId() == "" {
			return nil, closeAll, errors.New("stateful server answered initialize without Mcp-Session-Id")
		}
		callers[i] = c
	}
	return callers, closeAll, nil
}

// setCPU sets the CPU shares of the measurement window between two samples.
func (pr *phaseReport) setCPU(from, to cpuSample) {
	wall := to.at.Sub(from.at)
	d := func(a, b time.Duration) float64 { return float64(b-a) / float64(wall) }
	pr.ChildCPU = d(from.child, to.child)
	pr.BenchCPU = d(from.self, to.self)
	pr.OtherCPU = max(0, d(from.machineBusy, to.machineBusy)-pr.ChildCPU-pr.BenchCPU)
	if pr.Calls > 0 {
		pr.ChildCPUPerUs = float64(to.child-from.child) / float64(time.Microsecond) / float64(pr.Calls)
	}
}

func printTable(w io.Writer, rep report) {
	fmt.Fprintf(w, "httpload: %s, %d CPUs, %d clients, %gs per phase, %d keys, server LOG_LEVEL=%s\n",
		rep.GoVersion, rep.NumCPU, rep.Clients, rep.DurationSec, rep.Keys, rep.LogLevel)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tcalls/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\terrors\tRSS idle MB\tRSS peak MB\tVmHWM MB\tvs proxy\tvs tuned\tCPU µs/call\tCPU child/bench/other\tload avg\t")
	for _, p := range rep.Phases {
		name := p.Name
		if rep.Phases[len(rep.Phases)-1].Round > 1 {
			name = fmt.Sprintf("%s #%d", p.Name, p.Round)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.1f\t%d\t%.1f\t%.1f\t%.1f\t%s\t%s\t%.0f\t%.2f/%.2f/%.2f\t%s\t\n",
			name, p.CallsPerSec, p.P50ms, p.P90ms, p.P99ms, p.Maxms, p.Errors, p.RSSIdleMB, p.RSSPeakMB, p.HWMMB,
			ratioText(p.RatioToProxy), ratioText(p.RatioToTuned), p.ChildCPUPerUs, p.ChildCPU, p.BenchCPU, p.OtherCPU, p.LoadAvg)
	}
	_ = tw.Flush()
	for _, p := range rep.Phases {
		if p.FirstError != "" {
			fmt.Fprintf(w, "%s round %d: first error: %s\n", p.Name, p.Round, p.FirstError)
		}
		if isProxy(p.Name) {
			continue
		}
		fmt.Fprintf(w, "%s round %d: throughput %.2f of bare proxy (target >= 0.50) %s; p99 %.1f ms (target < 20) %s; VmHWM %.1f MB (target < 40) %s\n",
			p.Name, p.Round, p.RatioToProxy, verdict(p.RatioToProxy >= 0.5), p.P99ms, verdict(p.P99ms < 20), p.HWMMB, verdict(p.HWMMB > 0 && p.HWMMB < 40))
	}
}

func ratioText(r float64) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", r)
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// childEnv is this process's environment without the server's own settings,
// plus the fake's URL, a server-wide key (used only with -keys 0) and the
// log level.
func childEnv(fakeURL, logLevel string) []string {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "INSTANTLY_") || strings.HasPrefix(kv, "MCP_") || strings.HasPrefix(kv, "LOG_LEVEL=")
	})
	return append(env, "INSTANTLY_BASE_URL="+fakeURL, "INSTANTLY_API_KEY=bench-server-key", "LOG_LEVEL="+logLevel)
}

// child is the server (or proxy) process of one phase.
type child struct {
	*exec.Cmd
	exited chan struct{}
	err    error // from Wait, once exited is closed
	cancel context.CancelFunc
}

func startChild(path string, args, env []string, stderr io.Writer) (*child, error) {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, stderr, stderr // nil: /dev/null
	// stop asks the child to shut down (SIGTERM) and kills it after 5s.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, err
	}
	c := &child{Cmd: cmd, exited: make(chan struct{}), cancel: cancel}
	go func() {
		c.err = cmd.Wait()
		close(c.exited)
	}()
	return c, nil
}

func (c *child) stop() {
	c.cancel()
	<-c.exited
}

// waitHealthy polls url until it answers 200, the child exits, or 15s pass.
func (c *child) waitHealthy(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := hc.Do(req); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-c.exited:
			return fmt.Errorf("%s exited before it was healthy: %v (rerun with -server-stderr FILE to see why)", c.Path, c.err)
		case <-ctx.Done():
			return fmt.Errorf("%s not healthy at %s: %w", c.Path, url, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
