package instantlytest

import (
	"net/http/httptest"

	"github.com/instantly-status/instantly-status-mcp/internal/demo"
)

// The fake itself lives in internal/demo (the -demo mode ships it); these
// names keep the tests' spelling.
type (
	Workspace   = demo.Workspace
	Subsequence = demo.Subsequence
	Handler     = demo.Handler
	Option      = demo.Option
	Fault       = demo.Fault
	Request     = demo.Request
	Stats       = demo.Stats
	DemoEntry   = demo.DemoEntry
)

const (
	KindCampaign     = demo.KindCampaign
	KindSubsequence  = demo.KindSubsequence
	DemoAPIKey       = demo.DemoAPIKey
	DemoBaseURL      = demo.DemoBaseURL
	WarmupInProgress = demo.WarmupInProgress
)

// DemoCampaigns is demo.DemoCampaigns (the same slice).
var DemoCampaigns = demo.DemoCampaigns

var (
	DemoID         = demo.DemoID
	ErrorBody      = demo.ErrorBody
	NewTransport   = demo.NewTransport
	NewHandler     = demo.NewHandler
	NewWorkspace   = demo.NewWorkspace
	DemoWorkspace  = demo.DemoWorkspace
	LargeWorkspace = demo.LargeWorkspace

	WithAPIKeys      = demo.WithAPIKeys
	WithClock        = demo.WithClock
	WithEchoKeyIn401 = demo.WithEchoKeyIn401
	WithLatency      = demo.WithLatency
	WithMaxRecorded  = demo.WithMaxRecorded
	WithRateLimit    = demo.WithRateLimit
	WithRetryAfter   = demo.WithRetryAfter
	WithScopeError   = demo.WithScopeError
)

// Server is a Handler on a loopback httptest.Server. Close it when done.
type Server struct {
	*httptest.Server
	Handler *Handler
}

// NewServer starts a Server serving ws (see NewHandler). Its URL is the base
// URL for the client, e.g. srv.URL + "/api/v2/campaigns".
func NewServer(ws *Workspace, opts ...Option) *Server {
	h := NewHandler(ws, opts...)
	return &Server{Server: httptest.NewServer(h), Handler: h}
}
