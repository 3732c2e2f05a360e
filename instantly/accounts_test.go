package instantly

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// ListAccounts' limit, like ListCampaigns': 0 sends no limit parameter (the
// API's default); 1..100 sends it; anything else is refused before any
// request.
func TestListAccountsLimitParameter(t *testing.T) {
	srv := newAPIServer(t, map[string]http.HandlerFunc{"GET /api/v2/accounts": reply(200, `{"items":[]}`)})
	c := srv.client(t)
	for _, tc := range []struct {
		limit     int
		wantQuery string
		wantErr   bool
	}{{0, "", false}, {1, "limit=1", false}, {100, "limit=100", false}, {-1, "", true}, {101, "", true}} {
		before := srv.count()
		_, err := c.ListAccounts(context.Background(), &ListAccountsOptions{Limit: tc.limit})
		if (err != nil) != tc.wantErr {
			t.Fatalf("limit %d: err = %v", tc.limit, err)
		}
		if tc.wantErr {
			if srv.count() != before || !strings.Contains(err.Error(), "between 1 and 100") {
				t.Errorf("limit %d: %d requests, err %v", tc.limit, srv.count()-before, err)
			}
			continue
		}
		reqs := srv.requests()
		if q := reqs[len(reqs)-1].RawQuery; q != tc.wantQuery {
			t.Errorf("limit %d: query %q, want %q", tc.limit, q, tc.wantQuery)
		}
	}
}

// A status message called directly with blank input keeps it as text and
// does not fail (json.Unmarshal never passes empty input, a caller may).
func TestAccountStatusMessageBlankInput(t *testing.T) {
	for _, in := range []string{"", "   ", "\n"} {
		var m AccountStatusMessage
		if err := m.UnmarshalJSON([]byte(in)); err != nil {
			t.Errorf("UnmarshalJSON(%q) = %v", in, err)
		}
		if m.EMessage != "" || m.Text() != "" {
			t.Errorf("UnmarshalJSON(%q): EMessage %q, Text %q; want both empty", in, m.EMessage, m.Text())
		}
	}
}

// An account email needs something on both sides of the '@' and none of the
// characters that would change the request path.
func TestLooksLikeEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"a@b":              true,
		"ops@acme.example": true,
		"@acme.example":    false, // '@' first
		"ops@":             false, // '@' last
		"@":                false,
		"":                 false,
		"ops":              false,
		"o p@acme.example": false,
		"ops@acme/x":       false,
		"ops@acme?x":       false,
		"ops@acme#x":       false,
		"ops@acme\tx":      false,
	} {
		if got := looksLikeEmail(in); got != want {
			t.Errorf("looksLikeEmail(%q) = %v, want %v", in, got, want)
		}
	}
}
