package demo

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

const contentTypeJSON = "application/json; charset=utf-8"

// Handler is the fake Instantly API: an http.Handler serving a Workspace (see
// the package documentation for the endpoints). It is safe for concurrent
// use, and never panics on any request. It accepts any non-empty bearer
// token. Tests add faults, rate limits and request counters around it
// (instantly/instantlytest), using Describe.
type Handler struct {
	ws *Workspace
}

// NewHandler returns a Handler serving ws (a new empty workspace if nil).
// Changes to ws show immediately.
func NewHandler(ws *Workspace) *Handler {
	if ws == nil {
		ws = NewWorkspace()
	}
	return &Handler{ws: ws}
}

// Workspace returns the workspace the Handler serves.
func (h *Handler) Workspace() *Workspace { return h.ws }

// Auth is what the Handler makes of a request's Authorization header.
type Auth int

const (
	AuthOK      Auth = iota // a non-empty bearer token
	AuthMissing             // no Authorization header: 401 "Missing Authorization header"
	AuthInvalid             // anything else: 401 "Invalid API key"
)

// RequestInfo is what Describe finds in a request.
type RequestInfo struct {
	// ID is the campaign or subsequence id the path names, lowercase; ""
	// when there is none or it is not a UUID.
	ID string
	// Key is the credential presented: the bearer token, or the whole
	// header for another scheme ("" when there is none).
	Key  string
	Auth Auth
	// Resource is the API-key scope a cross-check endpoint needs
	// ("accounts", "analytics", "subsequences"); "" for the other endpoints.
	Resource string
}

// Describe reports what a Handler sees in r before answering it: the hook
// for tests that wrap the Handler (instantlytest's faults, rate limits and
// request counters).
func Describe(r *http.Request) RequestInfo {
	rt := parseRoute(r)
	key, auth := authenticate(r)
	return RequestInfo{ID: rt.id, Key: key, Auth: auth, Resource: scopeResource(rt.kind)}
}

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

// authenticate checks the Authorization header. key is the credential
// presented: the bearer token, or the whole header for another scheme.
func authenticate(r *http.Request) (key string, res Auth) {
	v := r.Header.Get("Authorization")
	if v == "" {
		return "", AuthMissing
	}
	scheme, token, _ := strings.Cut(v, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return v, AuthInvalid
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return token, AuthInvalid
	}
	return token, AuthOK
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt := parseRoute(r)
	switch _, auth := authenticate(r); auth {
	case AuthMissing:
		reply(w, http.StatusUnauthorized, bodyMissingAuth)
	case AuthInvalid:
		reply(w, http.StatusUnauthorized, bodyInvalidKey)
	default:
		h.serve(w, r, rt)
	}
}

// serve answers an authenticated request and returns the status sent.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, rt route) int {
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
