// Package instantlytest is the fake Instantly API v2 for tests, in the spirit
// of net/http/httptest: NewServer serves a Workspace on a loopback
// httptest.Server. The workspace, the demo data and the in-process transport
// are internal/demo, which the -demo mode ships; this package wraps that
// handler with what only tests need (Handler: accepted keys, latency, fault
// injection, rate limits, scope errors, request counters) and generates
// large workspaces (LargeWorkspace). Only test code may import this package
// (internal/archtest enforces it for the binary).
package instantlytest
