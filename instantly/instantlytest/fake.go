package instantlytest

import (
	"net/http/httptest"

	"github.com/instantly-status/instantly-status-mcp/internal/demo"
)

// The workspace and the demo data live in internal/demo (the -demo mode
// ships them); these names keep the tests' spelling.
type (
	Workspace   = demo.Workspace
	Subsequence = demo.Subsequence
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
	DemoID        = demo.DemoID
	ErrorBody     = demo.ErrorBody
	NewTransport  = demo.NewTransport
	NewWorkspace  = demo.NewWorkspace
	DemoWorkspace = demo.DemoWorkspace
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
