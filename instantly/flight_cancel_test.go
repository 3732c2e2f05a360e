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
