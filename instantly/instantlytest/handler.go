package instantlytest

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/instantly-status/instantly-status-mcp/internal/demo"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

const contentTypeJSON = "application/json; charset=utf-8"

// Handler is the fake Instantly API for tests: internal/demo's handler
// serving a Workspace, with what tests control around it: accepted keys,
// latency, faults (SetFault), rate limits, scope errors, and a record of
// every request (Stats, Requests). A request goes through latency, then a
// fault, then authentication, then the rate limits, then a scope error,
// then the workspace's answer. It is safe for concurrent use, and never
// panics on any request (except to abort a connection for a Hijack fault,
// see Fault).
type Handler struct {
	demo *demo.Handler

	// Options; fixed after NewHandler.
	keys            map[string]bool // nil: any non-empty key
	echoKey         bool
	latency         time.Duration
	perSecond       int
	perMinute       int
	retryAfter      bool
	retryAfterFixed time.Duration
	clock           func() time.Time
	maxRecorded     int
	scopeErr        map[string]int // resource -> 401/403 (WithScopeError)

	mu            sync.Mutex // guards what follows: stats, recorded requests, rate limits
	gen           uint64     // incremented by Reset
	total         int
	peak1, peak60 int
	win1, win60   window
	tooMany       int
	ring          []Request
	perID         map[string]int
	adm1, adm60   window // admitted requests, for the rate limits

	fmu     sync.Mutex
	faults  map[string]*faultState
	nfaults atomic.Int32
}

// NewHandler returns a Handler serving ws (a new empty workspace if nil).
// Changes to ws show immediately.
func NewHandler(ws *Workspace, opts ...Option) *Handler {
	h := &Handler{
		demo:        demo.NewHandler(ws),
		clock:       time.Now,
		maxRecorded: 100_000,
		win1:        window{d: time.Second},
		win60:       window{d: time.Minute},
		adm1:        window{d: time.Second},
		adm60:       window{d: time.Minute},
		perID:       map[string]int{},
		faults:      map[string]*faultState{},
	}
	for _, o := range opts {
		if o != nil {
			o(h)
		}
	}
	return h
}

// Workspace returns the workspace the Handler serves.
func (h *Handler) Workspace() *Workspace { return h.demo.Workspace() }

// ServeHTTP answers one request and records it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := demo.Describe(r)
	seq, gen := h.arrive(r, info.Key, info.ID)
	sw := &statusWriter{ResponseWriter: w}
	h.serve(sw, r, info)
	h.done(seq, gen, sw.status)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, info demo.RequestInfo) {
	if h.latency > 0 && !sleep(r.Context(), h.latency) {
		return
	}
	if f, ok := h.takeFault(info.ID); ok && h.serveFault(w, r, f) {
		return
	}
	if info.Auth == demo.AuthOK && h.keys != nil && !h.keys[info.Key] {
		info.Auth = demo.AuthInvalid
	}
	switch {
	case info.Auth == demo.AuthInvalid && h.echoKey:
		reply(w, http.StatusUnauthorized, ErrorBody(http.StatusUnauthorized, "Invalid API key: "+info.Key))
		return
	case info.Auth == demo.AuthInvalid:
		reply(w, http.StatusUnauthorized, bodyInvalidKey)
		return
	case info.Auth != demo.AuthOK:
		h.demo.ServeHTTP(w, r) // its 401
		return
	}
	if ok, wait := h.admit(); !ok {
		if h.retryAfter {
			if h.retryAfterFixed > 0 {
				wait = h.retryAfterFixed
			}
			secs := max(1, int64((wait+time.Second-1)/time.Second))
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		}
		reply(w, http.StatusTooManyRequests, bodyRateLimited)
		return
	}
	if st, ok := h.scopeErr[info.Resource]; ok && info.Resource != "" {
		reply(w, st, scopeErrorBody(st, info.Resource))
		return
	}
	h.demo.ServeHTTP(w, r)
}

// statusWriter records the status answered (0 while none).
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the server's writer (Flush,
// Hijack).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// reply writes a JSON answer.
func reply(w http.ResponseWriter, status int, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentTypeJSON)
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// sleep waits d, or until ctx is done; it reports whether it waited d.
var sleep = stdx.Sleep
