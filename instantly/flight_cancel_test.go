package instantly

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestAbandonedSharedCallIsCancelled: when the last caller of a shared call
// stops waiting, the upstream request is cancelled (Instantly's side sees the
// connection go), and the next identical call starts a request of its own
// instead of joining the cancelled one. Before, the call ran on, detached,
// until its deadline: an overview cancelled by its client kept sending.
func TestAbandonedSharedCallIsCancelled(t *testing.T) {
	arrived := make(chan struct{}, 4)
	aborted := make(chan struct{}, 4)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var stall atomic.Bool
	stall.Store(true)
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: func(w http.ResponseWriter, r *http.Request) {
		if !stall.Load() {
			reply(200, healthyBody)(w, r)
			return
		}
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
			aborted <- struct{}{}
		case <-release:
		}
	}})
	c := srv.client(t, WithTimeout(time.Minute))

	// Two callers share the call; one leaving does not cancel it.
	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	go func() { _, err := c.GetCampaignSendingStatus(ctx1, testID, nil); errs <- err }()
	<-arrived
	entered := flightEntered.Load()
	go func() { _, err := c.GetCampaignSendingStatus(ctx2, testID, nil); errs <- err }()
	for flightEntered.Load() == entered {
		runtime.Gosched() // until the second caller has joined
	}
	cancel1()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v, want context.Canceled", err)
	}
	select {
	case <-aborted:
		t.Fatal("the upstream request was cancelled while a caller still waited")
	default:
	}
	// The last one leaving cancels it.
	cancel2()
	if err := <-errs; !errors.Is(err, context.Canceled) {
		t.Fatalf("second caller: %v, want context.Canceled", err)
	}
	// The last caller returned only once the call had ended: the upstream
	// request is already cancelled.
	select {
	case <-aborted:
	case <-time.After(30 * time.Second):
		t.Fatal("the abandoned upstream request was not cancelled")
	}
	// A later identical call gets a fresh request and its answer.
	stall.Store(false)
	st, err := c.GetCampaignSendingStatus(context.Background(), testID, nil)
	if err != nil || st == nil {
		t.Fatalf("a later call: %v", err)
	}
	if got := srv.count(); got != 2 {
		t.Errorf("%d upstream requests, want 2 (the cancelled one, the fresh one)", got)
	}
}

// stubbornLimiter ignores the context: each Wait counts itself and blocks
// until released, so a call can be held between its cancellation and its
// end.
type stubbornLimiter struct {
	waits   atomic.Int64
	release chan struct{}
}

func (l *stubbornLimiter) Wait(context.Context, [32]byte, string) error {
	l.waits.Add(1)
	<-l.release
	return nil
}

// TestNoJoiningAnAbortingCall: a caller that arrives while an abandoned
// call is still ending starts a call of its own; joining the cancelled one
// would hand it that call's cancellation.
func TestNoJoiningAnAbortingCall(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: reply(200, healthyBody)})
	lim := &stubbornLimiter{release: make(chan struct{})}
	c := srv.client(t, WithLimiter(lim), WithTimeout(time.Minute))

	ctx1, cancel1 := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := c.GetCampaignSendingStatus(ctx1, testID, nil); first <- err }()
	for lim.waits.Load() < 1 {
		runtime.Gosched() // until the call waits for budget
	}
	cancel1()
	// The first caller has left (and waits for its call to end).
	left := func() bool {
		c.flights.mu.Lock()
		defer c.flights.mu.Unlock()
		for _, f := range c.flights.calls {
			if f.waiting > 0 {
				return false
			}
		}
		return true
	}
	for !left() {
		runtime.Gosched()
	}
	second := make(chan error, 1)
	go func() { _, err := c.GetCampaignSendingStatus(context.Background(), testID, nil); second <- err }()
	// A call of its own waits for budget too. (Had it joined the first,
	// there would be no second wait: give up after a while, not hang.)
	for deadline := time.Now().Add(10 * time.Second); lim.waits.Load() < 2; runtime.Gosched() {
		if time.Now().After(deadline) {
			close(lim.release)
			t.Fatal("the second caller started no call of its own: it joined the cancelled one")
		}
	}
	close(lim.release)
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("first caller: %v, want context.Canceled", err)
	}
	if err := <-second; err != nil {
		t.Errorf("second caller: %v, want the answer of a call of its own", err)
	}
}
