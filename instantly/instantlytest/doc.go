// Package instantlytest is the fake Instantly API v2 for tests, in the spirit
// of net/http/httptest: NewServer serves a Workspace on a loopback
// httptest.Server. The fake itself (workspace, handler, the built-in demo
// workspace, the in-process transport, fault injection, request counters)
// is internal/demo, which the -demo mode ships; this package gives tests its
// names and the httptest server. Only test code may import this package
// (internal/archtest enforces it for the binary).
package instantlytest
