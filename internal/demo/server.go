package demo

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

const contentTypeJSON = "application/json; charset=utf-8"

// Handler is the fake Instantly API: an http.Handler serving a Workspace (see
// the package documentation for the endpoints). It is safe for concurrent
// use, and never panics on any request (except to abort a connection for a
// Hijack fault, see Fault).
type Handler struct {
	ws *Workspace

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
	if ws == nil {
		ws = NewWorkspace()
	}
	h := &Handler{
		ws:          ws,
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
func (h *Handler) Workspace() *Workspace { return h.ws }

type routeKind int

const (
	routeNone routeKind = iota
	routeList
	routeCampaign
	routeCampaignStatus
	routeSubsequenceStatus
)

type route struct {
	kind  routeKind
	id    string // lowercase; "" unless a valid UUID
	badID bool
}

// parseRoute matches the request to an endpoint.
func parseRoute(r *http.Request) route {
	if rt, ok := parseDeepRoute(r); ok {
		return rt
	}
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || r.URL == nil {
		return route{}
	}
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), "/api/v2/")
	if !ok {
		return route{}
	}
	segs := strings.SplitN(rest, "/", 4)
	var rt route
	switch {
	case len(segs) == 1 && segs[0] == "campaigns":
		return route{kind: routeList}
	case len(segs) == 2 && segs[0] == "campaigns":
		rt.kind = routeCampaign
	case len(segs) == 3 && segs[0] == "campaigns" && segs[2] == "sending-status":
		rt.kind = routeCampaignStatus
	case len(segs) == 3 && segs[0] == "subsequences" && segs[2] == "sending-status":
		rt.kind = routeSubsequenceStatus
	default:
		return route{}
	}
	id, err := url.PathUnescape(segs[1])
	if err != nil || !isUUID(id) {
		rt.badID = true
		return rt
	}
	rt.id = strings.ToLower(id)
	return rt
}

// isUUID reports whether s is a UUID in its 36-character form, any case (the
// "uuid" format of Instantly's request validation).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

type authResult int

const (
	authOK authResult = iota
	authMissing
	authInvalid
)

// authenticate checks the Authorization header. key is the credential
// presented: the bearer token, or the whole header for another scheme.
func (h *Handler) authenticate(r *http.Request) (key string, res authResult) {
	v := r.Header.Get("Authorization")
	if v == "" {
		return "", authMissing
	}
	scheme, token, _ := strings.Cut(v, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return v, authInvalid
	}
	token = strings.TrimSpace(token)
	if token == "" || (h.keys != nil && !h.keys[token]) {
		return token, authInvalid
	}
	return token, authOK
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := parseRoute(r)
	key, auth := h.authenticate(r)
	seq, gen := h.arrive(r, key, rt.id)
	h.done(seq, gen, h.serve(w, r, rt, key, auth))
}

// serve answers the request and returns the status sent (0 if none).
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, rt route, key string, auth authResult) int {
	if h.latency > 0 && !sleep(r.Context(), h.latency) {
		return 0
	}
	if f, ok := h.takeFault(rt.id); ok {
		if status, handled := h.serveFault(w, r, f); handled {
			return status
		}
	}
	switch auth {
	case authMissing:
		return reply(w, http.StatusUnauthorized, bodyMissingAuth)
	case authInvalid:
		if h.echoKey {
			return reply(w, http.StatusUnauthorized, ErrorBody(http.StatusUnauthorized, "Invalid API key: "+key))
		}
		return reply(w, http.StatusUnauthorized, bodyInvalidKey)
	}
	if ok, wait := h.admit(); !ok {
		if h.retryAfter {
			if h.retryAfterFixed > 0 {
				wait = h.retryAfterFixed
			}
			secs := max(1, int64((wait+time.Second-1)/time.Second))
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		}
		return reply(w, http.StatusTooManyRequests, bodyRateLimited)
	}
	if rt.kind >= routeAccounts {
		return h.serveDeep(w, r, rt)
	}
	if rt.kind == routeNone {
		uri := r.RequestURI
		if uri == "" && r.URL != nil {
			uri = r.URL.RequestURI()
		}
		return reply(w, http.StatusNotFound, routeNotFound(r.Method, uri))
	}
	if rt.badID {
		return reply(w, http.StatusBadRequest, bodyBadUUID)
	}
	switch rt.kind {
	case routeList:
		return h.serveList(w, r)
	case routeCampaign:
		if body, ok := h.ws.campaignDetails(rt.id); ok {
			return reply(w, http.StatusOK, body)
		}
		if body, ok := h.ws.campaignJSON(rt.id); ok {
			return reply(w, http.StatusOK, body)
		}
		return reply(w, http.StatusNotFound, bodyCampaignNotFound)
	}
	ai, ok := boolParam(r.URL.RawQuery, "with_ai_summary")
	if !ok {
		return reply(w, http.StatusBadRequest, validationError("querystring/with_ai_summary must be boolean"))
	}
	if rt.kind == routeSubsequenceStatus {
		if body, ok := h.ws.subsequenceStatus(rt.id, ai); ok {
			return reply(w, http.StatusOK, body)
		}
		return reply(w, http.StatusNotFound, bodySubsequenceMissing)
	}
	if body, ok := h.ws.campaignStatus(rt.id, ai); ok {
		return reply(w, http.StatusOK, body)
	}
	return reply(w, http.StatusNotFound, bodyCampaignNotFound)
}

// Fastify's answer for a route it does not have.
func routeNotFound(method, uri string) []byte {
	return ErrorBody(http.StatusNotFound, "Route "+method+":"+uri+" not found")
}

// boolParam reads a boolean query parameter: absent, "", "false" or "true".
func boolParam(rawQuery, name string) (v, ok bool) {
	if rawQuery == "" {
		return false, true
	}
	q, _ := url.ParseQuery(rawQuery)
	switch q.Get(name) {
	case "", "false":
		return false, true
	case "true":
		return true, true
	}
	return false, false
}

// serveList answers GET /api/v2/campaigns.
func (h *Handler) serveList(w http.ResponseWriter, r *http.Request) int {
	q, _ := url.ParseQuery(r.URL.RawQuery)
	limit := 10
	if q.Has("limit") {
		f := 0.0 // Instantly's validation coerces "" to 0
		if v := strings.TrimSpace(q.Get("limit")); v != "" {
			var err error
			f, err = strconv.ParseFloat(v, 64)
			if err != nil || f != math.Trunc(f) {
				return reply(w, http.StatusBadRequest, validationError("querystring/limit must be integer"))
			}
		}
		switch {
		case f < 1:
			return reply(w, http.StatusBadRequest, validationError("querystring/limit must be >= 1"))
		case f > 100:
			return reply(w, http.StatusBadRequest, validationError("querystring/limit must be <= 100"))
		}
		limit = int(f)
	}
	filter := listFilter{
		startingAfter: strings.ToLower(q.Get("starting_after")),
		search:        strings.ToLower(q.Get("search")),
	}
	for _, p := range []struct {
		name string
		dst  **instantly.CampaignStatus
	}{{"status", &filter.status}, {"exclude_status", &filter.excludeStatus}} {
		if !q.Has(p.name) {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(q.Get(p.name)), 64)
		if err != nil {
			return reply(w, http.StatusBadRequest, validationError("querystring/"+p.name+" must be number"))
		}
		switch v {
		case -99, -2, -1, 0, 1, 2, 3, 4:
		default:
			return reply(w, http.StatusBadRequest, validationError("querystring/"+p.name+" must be equal to one of the allowed values"))
		}
		st := instantly.CampaignStatus(v)
		*p.dst = &st
	}
	items, next := h.ws.list(filter, limit)
	n := len(`{"items":[],"next_starting_after":""}`) + len(next) + len(items)
	for _, it := range items {
		n += len(it)
	}
	b := make([]byte, 0, n)
	b = append(b, `{"items":[`...)
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	b = append(b, ']')
	if next != "" {
		nb, _ := json.Marshal(next)
		b = append(b, `,"next_starting_after":`...)
		b = append(b, nb...)
	}
	b = append(b, '}')
	return reply(w, http.StatusOK, b)
}

// reply writes a JSON answer and returns its status.
func reply(w http.ResponseWriter, status int, body []byte) int {
	hd := w.Header()
	hd.Set("Content-Type", contentTypeJSON)
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}

// sleep waits d, or until ctx is done; it reports whether it waited d.
var sleep = stdx.Sleep
