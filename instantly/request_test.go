package instantly

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// The headers of every request, exactly: a POST (with its JSON body) says
// Content-Type application/json, a GET has no body and no Content-Type.
func TestRequestHeadersExact(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{
		"POST /api/v2/accounts/test/vitals": reply(200, `{"status":"success"}`),
		routeCampaignStatus:                 reply(200, healthyBody),
	})
	c := srv.client(t)
	if _, err := c.TestAccountVitals(context.Background(), []string{"ops@acme.example"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetCampaignSendingStatus(context.Background(), testID, nil); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, want := range []struct{ method, contentType string }{{http.MethodPost, "application/json"}, {http.MethodGet, ""}} {
		h := reqs[i].Header
		if reqs[i].Method != want.method || h.Get("Content-Type") != want.contentType {
			t.Errorf("request %d: %s with Content-Type %q, want %s with %q", i, reqs[i].Method, h.Get("Content-Type"), want.method, want.contentType)
		}
		if h.Get("Authorization") != "Bearer "+testKey || h.Get("Accept") != "application/json" {
			t.Errorf("request %d: Authorization/Accept %q %q", i, h.Get("Authorization"), h.Get("Accept"))
		}
	}
}

// The shared transport keeps idle connections for the concurrency the
// server runs, and drops them after 90 s.
func TestDefaultTransportSettings(t *testing.T) {
	if defaultTransport.MaxIdleConns != 256 || defaultTransport.MaxIdleConnsPerHost != 64 || defaultTransport.IdleConnTimeout != 90*time.Second {
		t.Errorf("defaultTransport: MaxIdleConns %d, per host %d, idle timeout %s; want 256, 64, 1m30s",
			defaultTransport.MaxIdleConns, defaultTransport.MaxIdleConnsPerHost, defaultTransport.IdleConnTimeout)
	}
}

// A whole number out of range names the kind of number wanted, for every
// integer kind up to uint64 (1e400 fits none).
func TestOutOfRangeWholeNumbers(t *testing.T) {
	for name, v := range map[string]any{
		"int":    new(struct{ N int }),
		"int64":  new(struct{ N int64 }),
		"uint":   new(struct{ N uint }),
		"uint64": new(struct{ N uint64 }),
	} {
		err := decodeStrict([]byte(`{"N": 1e400}`), v)
		if err == nil || err.Error() != `JSON field "N": got number, want whole number within range` {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := decodeStrict([]byte(`{"N": 1e400}`), new(struct{ N float64 })); err == nil ||
		err.Error() != `JSON field "N": got number, want number within range` {
		t.Errorf("float64: %v", err)
	}
}
