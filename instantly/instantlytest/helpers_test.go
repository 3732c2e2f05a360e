package instantlytest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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

// wantError checks w is Instantly's error body for status (and message
// unless "").
func wantError(t *testing.T, w *httptest.ResponseRecorder, status int, message string) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body %s", w.Code, status, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != contentTypeJSON {
		t.Errorf("Content-Type %q", ct)
	}
	var e struct {
		StatusCode int    `json:"statusCode"`
		Error      string `json:"error"`
		Message    string `json:"message"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body %s: %v", w.Body, err)
	}
	if e.StatusCode != status || e.Error != http.StatusText(status) || (message != "" && e.Message != message) {
		t.Errorf("error body %s, want status %d message %q", w.Body, status, message)
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
