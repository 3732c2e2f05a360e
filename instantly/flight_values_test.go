package instantly

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
)

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

// An id argument that holds the client's key echoes nothing, not even what
// kind of value it looked like; without a key the kind is said.
func TestParseIDForHidesTheKey(t *testing.T) {
	const plain = "invalid id: it must be a UUID such as 019e18e2-a52f-78e7-96f2-b33ee19bb50a (the value is not repeated here, in case it was a secret)"
	const name = "invalid id: that looks like a campaign name, not an id; the id must be a UUID such as 019e18e2-a52f-78e7-96f2-b33ee19bb50a"
	for _, tc := range []struct{ in, key, want string }{
		{"my key " + testKey, testKey, plain},      // holds the key
		{" " + testKey[:20] + " ", testKey, plain}, // part of the key
		{"my key " + testKey, "", name},            // no key to hide
		{"Black Friday", testKey, name},            // an ordinary name
	} {
		_, err := parseIDFor(tc.in, NewRedactor(tc.key))
		if err == nil || err.Error() != tc.want {
			t.Errorf("parseIDFor(%q, key %v): %v, want %q", tc.in, tc.key != "", err, tc.want)
		}
		if err != nil && tc.key != "" && strings.Contains(err.Error(), tc.key[:8]) {
			t.Errorf("the key shows in %q", err)
		}
	}
}
