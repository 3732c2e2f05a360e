// Package demo is an in-memory Instantly API v2: the built-in demo workspace
// the -demo mode serves, its handler and an in-process transport. The tests'
// fake Instantly (instantly/instantlytest) wraps this handler with what only
// tests need: faults, rate limits, latency, scope errors, request counters,
// and large generated workspaces.
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
// vitals), with Instantly's bearer authentication (any non-empty key) and
// error bodies ({"statusCode","error","message"}).
//
// The demo workspace (DemoWorkspace) is data, not code: Instantly's answers
// in workspace/*.json, times written relative to now (fixtures.go). To
// change the demo, edit those files; TestDemoDeepDataAgreesWithStatus and
// its neighbours check that each campaign's data agrees with its status.
//
// NewTransport serves it in process, without any network, which is what the
// -demo mode uses:
//
//	h := demo.NewHandler(demo.DemoWorkspace(time.Now()))
//	hc := &http.Client{Transport: demo.NewTransport(h)}
//	// base URL demo.DemoBaseURL, API key demo.DemoAPIKey
package demo
