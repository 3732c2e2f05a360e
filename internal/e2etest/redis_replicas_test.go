package e2etest

// Three replicas of the built server, in stateless HTTP mode, serving one
// workspace behind a client that spreads its calls over them: with a shared
// budget on a real Redis the fake Instantly sees no rolling second above 100
// and no 429; without it, it sees 429s. Then Redis goes away mid-run and
// comes back: no call fails, each replica falls back and recovers.
//
// These tests need a real redis-server: INSTANTLY_TEST_REDIS_URL (a Redis the
// test may write to) and redis-server on PATH for the outage test. .ci/run
// starts one and sets CI_REQUIRE_REDIS, which turns a skip into a failure.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/servertest"
)

const redisURLEnv = "INSTANTLY_TEST_REDIS_URL"

// demoCampaignIDs are the demo's campaigns (not its subsequences).
var demoCampaignIDs = func() []string {
	var ids []string
	for _, e := range instantlytest.DemoCampaigns {
		if e.Kind == instantlytest.KindCampaign {
			ids = append(ids, e.ID)
		}
	}
	return ids
}()

func requireRedis(t *testing.T) {
	t.Helper()
	if os.Getenv(redisURLEnv) != "" {
		if _, err := exec.LookPath("redis-server"); err == nil {
			return
		}
	}
	msg := "needs a Redis: set " + redisURLEnv + " (e.g. redis://127.0.0.1:6379/0) and put redis-server on PATH; .ci/run does both"
	if os.Getenv("CI_REQUIRE_REDIS") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// randomKey is an API key no earlier run used, so its budget in Redis is new.
func randomKey(t *testing.T) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "sk_replica_test_" + hex.EncodeToString(b[:])
}

// replicaLoad sends get_campaign_sending_status calls from workers goroutines,
// round-robin over the replicas, until stop is closed. A call fails when it
// does not come back as a result without isError.
type replicaLoad struct {
	addrs          []string
	hc             *http.Client
	calls, failed  atomic.Int64
	mu             sync.Mutex
	firstFailure   string
	next           atomic.Int64
	wg             sync.WaitGroup
	stop           chan struct{}
	protocolHeader string
	// deep: the tool's default deep diagnosis, the status call and about
	// three cross-checks at once, each tried once; otherwise one request
	// per call (cross_check:false).
	deep bool
}

func startLoad(addrs []string, workers int, deep bool) *replicaLoad {
	l := &replicaLoad{addrs: addrs, stop: make(chan struct{}), deep: deep,
		hc: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}, Timeout: 30 * time.Second}}
	for range workers {
		l.wg.Go(func() {
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				l.one()
			}
		})
	}
	return l
}

func (l *replicaLoad) one() {
	n := l.next.Add(1)
	addr := l.addrs[int(n)%len(l.addrs)]
	id := demoCampaignIDs[int(n/int64(len(l.addrs)))%len(demoCampaignIDs)]
	body := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"get_campaign_sending_status","arguments":{"id":%q,"cross_check":%t}}}`, n, id, l.deep)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/mcp", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Mcp-Protocol-Version", servertest.Proto)
	l.calls.Add(1)
	fail := func(msg string) {
		l.failed.Add(1)
		l.mu.Lock()
		if l.firstFailure == "" {
			l.firstFailure = msg
		}
		l.mu.Unlock()
	}
	resp, err := l.hc.Do(req)
	if err != nil {
		fail(err.Error())
		return
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fail(fmt.Sprintf("HTTP %d: %.200s", resp.StatusCode, b))
		return
	}
	if bytes.HasPrefix(b, []byte("event:")) || bytes.HasPrefix(b, []byte("data:")) {
		if d := servertest.SSEData(b); len(d) > 0 {
			b = d[len(d)-1]
		}
	}
	r, err := servertest.Parse(b)
	if err != nil {
		fail(err.Error())
		return
	}
	if r.Error != nil {
		fail("JSON-RPC error: " + r.Error.Message)
		return
	}
	res, err := servertest.DecodeTool(r)
	if err != nil || res.IsError {
		fail(fmt.Sprintf("tool error: %v %.300s", err, res.Text()))
	}
}

// end stops the load; with strict, any failed call fails the test.
func (l *replicaLoad) end(t *testing.T, strict bool) (calls, failed int64) {
	t.Helper()
	close(l.stop)
	l.wg.Wait()
	if f := l.failed.Load(); f > 0 && strict {
		t.Errorf("%d of %d calls failed; first: %s", f, l.calls.Load(), l.firstFailure)
	}
	return l.calls.Load(), l.failed.Load()
}

func startReplicas(t *testing.T, n int, env []string) []string {
	t.Helper()
	var addrs []string
	for range n {
		srv := servertest.Start(t, env, "-transport", "http", "-stateless")
		addr := srv.Addr
		addrs = append(addrs, addr)
		replicaLogs[addr] = srv.Cmd.Stderr
	}
	return addrs
}

// replicaLogs is each replica's stderr, by address.
var replicaLogs = map[string]any{}

// budgetSwitches lists the replicas' log lines about switching budgets.
func budgetSwitches(addrs []string) []string {
	var out []string
	for _, a := range addrs {
		for _, line := range strings.Split(fmt.Sprint(replicaLogs[a]), "\n") {
			if strings.Contains(line, "Redis rate budget") {
				out = append(out, a+": "+line)
			}
		}
	}
	return out
}

// TestReplicasShareTheBudget: with and without Redis, under the same load.
func TestReplicasShareTheBudget(t *testing.T) {
	requireRedis(t)
	const load = 2500 * time.Millisecond
	run := func(t *testing.T, redisURL string) instantlytest.Stats {
		fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()),
			instantlytest.WithRateLimit(instantly100, instantly6000), instantlytest.WithMaxRecorded(0))
		t.Cleanup(fake.Close)
		env := []string{"INSTANTLY_API_KEY=" + randomKey(t), "INSTANTLY_BASE_URL=" + fake.URL, "LOG_LEVEL=warn"}
		if redisURL != "" {
			env = append(env, "REDIS_URL="+redisURL, "REDIS_KEY_SECRET=replicas-share-this-secret-0123456789")
		}
		addrs := startReplicas(t, 3, env)
		stalls := watchProcessStalls()
		l := startLoad(addrs, 96, false)
		time.Sleep(load) // the load's length, not synchronisation
		calls, failed := l.end(t, redisURL != "")
		lastStall = stalls()
		st := fake.Handler.Stats()
		t.Logf("%d calls in %s over 3 replicas (%.0f/s), %d failed; Instantly saw %d requests, peak %d in a rolling second, %d answered 429",
			calls, load, float64(calls)/load.Seconds(), failed, st.Requests, st.PeakPerSecond, st.TooManyRequests)
		if sw := budgetSwitches(addrs); len(sw) > 0 {
			t.Logf("replicas switched budgets while Redis was up:\n%s", strings.Join(sw, "\n"))
		}
		return st
	}
	var unshared int // the peak without Redis
	t.Run("without Redis", func(t *testing.T) {
		st := run(t, "")
		unshared = st.PeakPerSecond
		if st.TooManyRequests == 0 || st.PeakPerSecond <= 100 {
			t.Errorf("three replicas with their own budgets should overrun Instantly's 100/s: peak %d, %d 429s", st.PeakPerSecond, st.TooManyRequests)
		}
	})
	t.Run("with Redis", func(t *testing.T) {
		st := run(t, os.Getenv(redisURLEnv))
		if checkPeak(t, st, lastStall) {
			return
		}
		// Not alone on the machine: the shared budget must still cut the
		// peak well below the unshared one.
		if unshared > 0 && st.PeakPerSecond*3 >= unshared*2 {
			t.Errorf("peak %d with Redis, %d without: the budget does not look shared", st.PeakPerSecond, unshared)
		}
	})
}

// strictPeak: the bound on the peak is asserted where the Redis tests run
// alone, in .ci/run's Redis step (which sets CI_REQUIRE_REDIS). Among other
// packages' tests (the full suite with a Redis URL set) the replica
// processes get descheduled and send late, bunched, what the budget released
// on time, beyond what any limiter controls (seen: a peak of 115 with this
// process never stalled): there a peak over the bound is logged, and the
// tests assert the rest (no failed call; with Redis, a shared peak).
var strictPeak = os.Getenv("CI_REQUIRE_REDIS") != ""

// checkPeak asserts, when strictPeak, at most 100 requests in any rolling
// second at the fake Instantly and no 429 (plus, when this process stalled,
// what a stall can bunch), and reports whether the peak was within that.
func checkPeak(t *testing.T, st instantlytest.Stats, stall time.Duration) bool {
	t.Helper()
	// A replica not scheduled for a while sends the requests whose turn
	// came meanwhile late, closer to the next ones than the budget's 100 ms
	// spread allows for: no limiter can help that. On a machine that busy
	// (seen as a stall of this process), allow for it.
	allow := 100
	if stall > 50*time.Millisecond {
		allow += int(stall.Seconds()*100) + 1
		t.Logf("the machine is busy (this process stalled %s): allowing %d/s", stall.Round(time.Millisecond), allow)
	}
	if st.PeakPerSecond <= allow && (st.TooManyRequests == 0 || allow > 100) {
		return true
	}
	msg := fmt.Sprintf("peak %d in a rolling second, %d answered 429; want <= %d and none", st.PeakPerSecond, st.TooManyRequests, allow)
	if strictPeak {
		t.Error(msg)
	} else {
		t.Log(msg + " (not asserted: not alone on the machine, see strictPeak)")
	}
	return false
}

// lastStall is the longest stall of this process in the last run.
var lastStall time.Duration

// watchProcessStalls measures, until the returned func is called, the
// longest time this process went without being scheduled.
func watchProcessStalls() func() time.Duration {
	stop := make(chan struct{})
	done := make(chan time.Duration)
	go func() {
		var worst time.Duration
		last := time.Now()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				done <- worst
				return
			case now := <-tick.C:
				worst = max(worst, now.Sub(last)-5*time.Millisecond)
				last = now
			}
		}
	}()
	return func() time.Duration { close(stop); return <-done }
}

const (
	instantly100  = 100
	instantly6000 = 6000
)

// redisProcess is a redis-server of the test's own, which it can stop and
// start again on the same port.
type redisProcess struct {
	port string
	cmd  *exec.Cmd
}

func (r *redisProcess) start(t *testing.T) {
	t.Helper()
	r.cmd = exec.Command("redis-server", "--port", r.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + r.port, DisableIdentity: true})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for c.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			t.Fatal("redis-server did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *redisProcess) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_, _ = r.cmd.Process.Wait()
		r.cmd = nil
	}
}

// budgetStates reads rate_budget from every replica's /healthz.
func budgetStates(t *testing.T, addrs []string) []string {
	var out []string
	for _, a := range addrs {
		resp, err := http.Get("http://" + a + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		var h map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		out = append(out, h["rate_budget"])
	}
	return out
}

// waitStates polls /healthz until every replica reports want.
func waitStates(t *testing.T, addrs []string, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		states := budgetStates(t, addrs)
		all := true
		for _, s := range states {
			all = all && s == want
		}
		if all {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("replicas report %v, want all %q", states, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestReplicasSurviveRedisOutage: Redis stops mid-run and comes back, under
// one-request calls and under deep diagnoses (about four requests per call,
// the cross-checks tried once): no call fails, and the switch-overs (each
// replica on its own, for up to one probe interval plus one timeout) never
// let a rolling second above 100 through.
func TestReplicasSurviveRedisOutage(t *testing.T) {
	requireRedis(t)
	for _, tc := range []struct {
		name string
		deep bool
	}{{"one request per call", false}, {"deep diagnoses", true}} {
		t.Run(tc.name, func(t *testing.T) { redisOutage(t, tc.deep) })
	}
}

func redisOutage(t *testing.T, deep bool) {
	rp := &redisProcess{port: strings.TrimPrefix(freeAddr(t), "127.0.0.1:")}
	rp.start(t)
	t.Cleanup(rp.stop)
	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()),
		instantlytest.WithRateLimit(instantly100, instantly6000), instantlytest.WithMaxRecorded(0))
	t.Cleanup(fake.Close)
	env := []string{"INSTANTLY_API_KEY=" + randomKey(t), "INSTANTLY_BASE_URL=" + fake.URL, "LOG_LEVEL=warn",
		"REDIS_URL=redis://127.0.0.1:" + rp.port + "/0", "INSTANTLY_REPLICAS=3", "REDIS_KEY_SECRET=replicas-share-this-secret-0123456789"}
	addrs := startReplicas(t, 3, env)
	waitStates(t, addrs, "redis")
	stalls := watchProcessStalls()
	l := startLoad(addrs, 48, deep)
	time.Sleep(700 * time.Millisecond) // load with Redis up
	rp.stop()
	waitStates(t, addrs, "fallback")
	time.Sleep(2500 * time.Millisecond) // load on the fallback budgets, past the quiet window
	rp.start(t)
	waitStates(t, addrs, "redis")
	time.Sleep(2500 * time.Millisecond) // load with Redis back, past the quiet window
	calls, _ := l.end(t, true)
	stall := stalls()
	st := fake.Handler.Stats()
	t.Logf("%d calls; Instantly saw %d requests, peak %d in a rolling second, %d answered 429",
		calls, st.Requests, st.PeakPerSecond, st.TooManyRequests)
	t.Logf("budget switches:\n%s", strings.Join(budgetSwitches(addrs), "\n"))
	checkPeak(t, st, stall)
}
