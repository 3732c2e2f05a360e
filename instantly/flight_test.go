package instantly

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestSingleflight: concurrent identical calls share one upstream request;
// another campaign option or another key do not; a caller that gives up does
// not fail the others.
func TestSingleflight(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 16)
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		reply(200, healthyBody)(w, r)
	}})
	c := srv.client(t, WithTimeout(10*time.Second))
	ctx := context.Background()
	const n = 8
	joined0, entered0 := flightJoined.Load(), flightEntered.Load()
	var wg sync.WaitGroup
	errs := make(chan error, n+3)
	call := func(ctx context.Context, c *Client, opts *SendingStatusOptions) {
		wg.Go(func() {
			_, err := c.GetCampaignSendingStatus(ctx, testID, opts)
			errs <- err
		})
	}
	// The first caller gives up while the call is in flight.
	quitter, quit := context.WithCancel(ctx)
	call(quitter, c, nil)
	<-arrived
	for i := range n - 1 {
		cc := c
		if i%2 == 0 {
			cc = c.WithAPIKey(testKey) // a copy with the same key shares too
		}
		call(ctx, cc, nil)
	}
	// Others are different requests: their own upstream calls.
	call(ctx, c, &SendingStatusOptions{WithAISummary: true})
	call(ctx, c.WithAPIKey("another-key-0123456789"), nil)
	<-arrived
	<-arrived
	quit()
	if err := <-errs; err == nil {
		t.Error("the caller that gave up got no error")
	}
	// Every caller is registered with its call before the answer comes.
	for flightEntered.Load()-entered0 < n+2 {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := srv.count(); got != 3 {
		t.Errorf("%d upstream requests, want 3 (one shared, two different)", got)
	}
	if got := flightJoined.Load() - joined0; got < n-1 {
		t.Errorf("%d callers joined the shared call, want %d", got, n-1)
	}
}

// Callers that share one upstream request each get a body of their own:
// SendingStatus.Raw of one is not the other's memory.
func TestSharedCallGivesEachCallerItsOwnBody(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{}, 4)
	srv := newAPIServer(t, map[string]http.HandlerFunc{routeCampaignStatus: func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		reply(200, healthyBody)(w, r)
	}})
	c := srv.client(t)
	entered0 := flightEntered.Load()
	var wg sync.WaitGroup
	got := make([]*SendingStatus, 2)
	errs := make([]error, 2)
	for i := range got {
		wg.Go(func() { got[i], errs[i] = c.GetCampaignSendingStatus(context.Background(), testID, nil) })
	}
	<-arrived
	for flightEntered.Load()-entered0 < 2 {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
	}
	if n := srv.count(); n != 1 {
		t.Fatalf("%d upstream requests, want 1 shared", n)
	}
	a, b := got[0].Raw, got[1].Raw
	if string(a) != string(b) || len(a) == 0 {
		t.Fatalf("bodies differ or are empty: %q / %q", a, b)
	}
	if &a[0] == &b[0] {
		t.Error("the two callers share one body slice")
	}
}
