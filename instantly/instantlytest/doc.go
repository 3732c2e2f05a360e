// Package instantlytest is a fake Instantly API v2, in the spirit of
// net/http/httptest. It serves a realistic built-in demo workspace and is the
// single source of fake data for this project's tests and for its -demo mode.
//
// A Workspace holds campaigns, subsequences and the raw JSON of their sending
// status. A Handler serves a Workspace over the four endpoints of the
// one-request diagnosis:
//
//	GET /api/v2/campaigns/{id}/sending-status?with_ai_summary=bool
//	GET /api/v2/subsequences/{id}/sending-status?with_ai_summary=bool
//	GET /api/v2/campaigns?limit=&starting_after=&search=&status=&exclude_status=
//	GET /api/v2/campaigns/{id}
//
// and those of the cross-checks (deep.go: accounts, analytics, subsequences,
// vitals, with scope errors on demand), with Instantly's bearer authentication, error bodies
// ({"statusCode","error","message"}), optional rate limits, latency and fault
// injection, and it counts every request it receives (Stats, Requests).
//
// NewServer starts it on a loopback httptest.Server; NewTransport serves it in
// process, without any network, which is what the -demo mode uses:
//
//	h := instantlytest.NewHandler(instantlytest.DemoWorkspace(time.Now()))
//	hc := &http.Client{Transport: instantlytest.NewTransport(h)}
//	// base URL instantlytest.DemoBaseURL, API key instantlytest.DemoAPIKey
//
// Only test code and the demo mode may import this package.
package instantlytest
