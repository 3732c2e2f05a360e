package demo

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testNow is the fixed instant the tests build workspaces at.
var testNow = time.Date(2026, 5, 11, 21, 12, 43, 288e6, time.UTC)

const testKey = "test-key-0123456789"

// do serves one request with h directly and returns the recorder.
func do(t testing.TB, h http.Handler, method, target, key string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	if key != "" {
		r.Header.Set("Authorization", "Bearer "+key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func get(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, h, http.MethodGet, target, testKey)
}

func statusPath(id string, ai bool) string {
	p := "/api/v2/campaigns/" + id + "/sending-status"
	if ai {
		p += "?with_ai_summary=true"
	}
	return p
}

func subsequencePath(id string, ai bool) string {
	p := "/api/v2/subsequences/" + id + "/sending-status"
	if ai {
		p += "?with_ai_summary=true"
	}
	return p
}

// errorShape is Instantly's error body.
type errorShape struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
	Message    string `json:"message"`
}

func wantError(t *testing.T, w *httptest.ResponseRecorder, status int, message string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != contentTypeJSON {
		t.Errorf("Content-Type %q", ct)
	}
	var e errorShape
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body %s: %v", w.Body, err)
	}
	if e.StatusCode != status || e.Error != http.StatusText(status) || (message != "" && e.Message != message) {
		t.Errorf("error body %s, want status %d message %q", w.Body, status, message)
	}
}

// listPage is one page of the list endpoint, keeping whether
// next_starting_after was present.
type listPage struct {
	Items []struct {
		ID     string  `json:"id"`
		Name   string  `json:"name"`
		Status float64 `json:"status"`
	} `json:"items"`
	Next *string `json:"next_starting_after"`
}

// walk pages through the list endpoint with query q and returns the ids.
func walk(t *testing.T, h http.Handler, q url.Values) []string {
	t.Helper()
	var ids []string
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("pagination does not end")
		}
		w := get(t, h, "/api/v2/campaigns?"+q.Encode())
		if w.Code != http.StatusOK {
			t.Fatalf("list %s: %d %s", q.Encode(), w.Code, w.Body)
		}
		var p listPage
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if p.Next == nil {
			return ids
		}
		if *p.Next == "" || len(p.Items) == 0 || *p.Next != p.Items[len(p.Items)-1].ID {
			t.Fatalf("next_starting_after %q after %d items", *p.Next, len(p.Items))
		}
		q.Set("starting_after", *p.Next)
	}
}

func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func doGet(c *http.Client, ctx context.Context, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	return c.Do(req)
}

func mustGet(t *testing.T, c *http.Client, ctx context.Context, url string) *http.Response {
	t.Helper()
	resp, err := doGet(c, ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
