package demo

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The endpoints of a deep diagnosis (cross-checks):
//
//	GET  /api/v2/campaigns/{id}            the whole Campaign, when SetCampaignDetails gave one
//	GET  /api/v2/accounts?limit=&starting_after=&search=&status=&tag_ids=&include_tags=
//	GET  /api/v2/accounts/{email}
//	GET  /api/v2/campaigns/analytics?id=   (or ids=...)
//	GET  /api/v2/accounts/analytics/daily?emails=...&start_date=&end_date=
//	GET  /api/v2/subsequences?parent_campaign=&limit=&starting_after=
//	POST /api/v2/accounts/test/vitals      {"accounts":[...]}
//
// They serve what the Workspace's Set*/Add* methods below store, and answer
// with Instantly's documented errors: 400 for a bad parameter, 413 for daily
// analytics without an emails filter, 404 for an unknown account (a key
// without a scope: instantlytest.WithScopeError).

// deepStore is the data of the deep endpoints. Values are immutable once
// stored (replaced, never changed in place).
type deepStore struct {
	mu        sync.RWMutex
	details   map[string][]byte // campaign id -> Campaign JSON
	accounts  []*fakeAccount    // in list order: timestamp_created, then email
	byEmail   map[string]*fakeAccount
	analytics map[string][]byte            // campaign id -> CampaignAnalytics JSON
	daily     map[string][]json.RawMessage // lowercase email -> rows
	subs      map[string][]subItem         // parent id -> subsequences (list order)
	vitals    map[string]instantly.DomainVitals
	related
}

type fakeAccount struct {
	email   string // as stored
	lower   string
	status  float64
	tags    []string // lowercase tag ids
	cursor  string   // timestamp_created&email
	json    []byte
	created string
	// tagged is json with its "tags" as listed with include_tags=true, made
	// on first use: re-encoding every account on every list cost a deep
	// diagnosis against this fake 10,000 allocations. It is stale once a
	// custom tag was added after it was made (gen).
	tagged atomic.Pointer[taggedAccount]
}

type taggedAccount struct {
	gen  uint64 // related.tagsGen when made
	json []byte
}

type subItem struct {
	id   string
	json []byte
}

func (w *Workspace) deepData() *deepStore {
	w.deepOnce.Do(func() {
		w.deep = &deepStore{
			details:   map[string][]byte{},
			byEmail:   map[string]*fakeAccount{},
			analytics: map[string][]byte{},
			daily:     map[string][]json.RawMessage{},
			subs:      map[string][]subItem{},
			vitals:    map[string]instantly.DomainVitals{},
		}
	})
	return w.deep
}

// SetCampaignDetails makes GET /api/v2/campaigns/{id} answer raw (the whole
// Campaign object, byte for byte) instead of the short object AddCampaign
// stores. raw need not be valid JSON.
func (w *Workspace) SetCampaignDetails(id string, raw []byte) {
	d := w.deepData()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.details[normID(id)] = slices.Clone(raw)
}

func (w *Workspace) campaignDetails(id string) ([]byte, bool) {
	d := w.deepData()
	d.mu.RLock()
	defer d.mu.RUnlock()
	b, ok := d.details[id]
	return b, ok
}

// AddAccount adds a sending account, or replaces the one with the same
// email. raw is the Account object as served; its email, status and
// timestamp_created are read from it (for filters and the cursor). tagIDs
// are the custom tags the account carries (for tag_ids and include_tags).
// It panics if raw is not a JSON object with an email: test data is wrong.
func (w *Workspace) AddAccount(raw []byte, tagIDs ...string) {
	var head struct {
		Email            string   `json:"email"`
		Status           *float64 `json:"status"`
		TimestampCreated string   `json:"timestamp_created"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.Email == "" {
		panic("demo: AddAccount needs a JSON object with an email")
	}
	a := &fakeAccount{email: head.Email, lower: strings.ToLower(head.Email), json: slices.Clone(raw), created: head.TimestampCreated}
	if head.Status != nil {
		a.status = *head.Status
	}
	for _, t := range tagIDs {
		a.tags = append(a.tags, strings.ToLower(t))
	}
	a.cursor = head.TimestampCreated + "&" + a.lower
	d := w.deepData()
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.byEmail[a.lower]; ok {
		d.accounts = slices.DeleteFunc(d.accounts, func(x *fakeAccount) bool { return x == old })
	}
	i, _ := slices.BinarySearchFunc(d.accounts, a.cursor, func(x *fakeAccount, c string) int { return strings.Compare(x.cursor, c) })
	d.accounts = slices.Insert(d.accounts, i, a)
	d.byEmail[a.lower] = a
}

// SetCampaignAnalytics sets the row GET /api/v2/campaigns/analytics returns
// for a campaign (a CampaignAnalytics object).
func (w *Workspace) SetCampaignAnalytics(id string, raw []byte) {
	d := w.deepData()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.analytics[normID(id)] = slices.Clone(raw)
}

// AddAccountDaily adds one row of GET /api/v2/accounts/analytics/daily.
func (w *Workspace) AddAccountDaily(row instantly.AccountDailyAnalytics) {
	// As served: the fields the client reads, then counts it does not (0).
	full := struct {
		instantly.AccountDailyAnalytics
		Opened            int `json:"opened"`
		UniqueOpened      int `json:"unique_opened"`
		Replies           int `json:"replies"`
		UniqueReplies     int `json:"unique_replies"`
		RepliesAutomatic  int `json:"replies_automatic"`
		UniqueRepliesAuto int `json:"unique_replies_automatic"`
		Clicks            int `json:"clicks"`
		UniqueClicks      int `json:"unique_clicks"`
	}{AccountDailyAnalytics: row}
	b, _ := json.Marshal(full)
	d := w.deepData()
	d.mu.Lock()
	defer d.mu.Unlock()
	k := strings.ToLower(row.EmailAccount)
	d.daily[k] = append(slices.Clip(d.daily[k]), b)
}

// SetSubsequenceDetails lists raw (a Campaign Subsequence object) under its
// parent campaign for GET /api/v2/subsequences?parent_campaign=.
func (w *Workspace) SetSubsequenceDetails(id, parentID string, raw []byte) {
	d := w.deepData()
	d.mu.Lock()
	defer d.mu.Unlock()
	p := normID(parentID)
	items := slices.DeleteFunc(slices.Clone(d.subs[p]), func(s subItem) bool { return s.id == normID(id) })
	items = append(items, subItem{id: normID(id), json: slices.Clone(raw)})
	slices.SortFunc(items, func(a, b subItem) int { return strings.Compare(a.id, b.id) })
	d.subs[p] = items
}

// SetVitals sets the vitals test result of a domain; a domain without one
// passes every check.
func (w *Workspace) SetVitals(v instantly.DomainVitals) {
	d := w.deepData()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.vitals[strings.ToLower(v.Domain)] = v
}

// Accounts returns the emails of the stored accounts in list order.
func (w *Workspace) Accounts() []string {
	d := w.deepData()
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]string, len(d.accounts))
	for i, a := range d.accounts {
		out[i] = a.email
	}
	return out
}

// Deep routes.
const (
	routeAccounts routeKind = 100 + iota
	routeAccount
	routeCampaignAnalytics
	routeAccountDaily
	routeSubsequences
	routeVitals
	routeAuditLogs
	routeAccountCampaignMappings
	routeCustomTags
)

// parseDeepRoute matches the deep endpoints; ok is false for any other.
func parseDeepRoute(r *http.Request) (route, bool) {
	if r.URL == nil {
		return route{}, false
	}
	p := r.URL.EscapedPath()
	get := r.Method == http.MethodGet || r.Method == http.MethodHead
	switch {
	case p == "/api/v2/accounts" && get:
		return route{kind: routeAccounts}, true
	case p == "/api/v2/campaigns/analytics" && get:
		return route{kind: routeCampaignAnalytics}, true
	case p == "/api/v2/accounts/analytics/daily" && get:
		return route{kind: routeAccountDaily}, true
	case p == "/api/v2/subsequences" && get:
		return route{kind: routeSubsequences}, true
	case p == "/api/v2/accounts/test/vitals" && r.Method == http.MethodPost:
		return route{kind: routeVitals}, true
	case p == "/api/v2/audit-logs" && get:
		return route{kind: routeAuditLogs}, true
	case p == "/api/v2/custom-tags" && get:
		return route{kind: routeCustomTags}, true
	case strings.HasPrefix(p, "/api/v2/account-campaign-mappings/") && get && !strings.Contains(p[len("/api/v2/account-campaign-mappings/"):], "/"):
		return route{kind: routeAccountCampaignMappings}, true
	case strings.HasPrefix(p, "/api/v2/accounts/") && get && !strings.Contains(p[len("/api/v2/accounts/"):], "/"):
		return route{kind: routeAccount}, true
	}
	return route{}, false
}

// scopeResource is the scope resource a deep route needs (Describe).
func scopeResource(k routeKind) string {
	switch k {
	case routeAccounts, routeAccount, routeVitals:
		return "accounts"
	case routeSubsequences:
		return "subsequences"
	case routeCampaignAnalytics, routeAccountDaily:
		return "analytics"
	case routeAuditLogs:
		return "audit_logs"
	case routeAccountCampaignMappings:
		return "account_campaign_mappings"
	case routeCustomTags:
		return "custom_tags"
	}
	return ""
}

func (h *Handler) serveDeep(w http.ResponseWriter, r *http.Request, rt route) int {
	d := h.ws.deepData()
	q, _ := url.ParseQuery(r.URL.RawQuery)
	switch rt.kind {
	case routeAccounts:
		return d.serveAccounts(w, q)
	case routeAccount:
		return d.serveAccount(w, r)
	case routeCampaignAnalytics:
		return d.serveCampaignAnalytics(w, q)
	case routeAccountDaily:
		return d.serveAccountDaily(w, q)
	case routeSubsequences:
		return d.serveSubsequences(w, q)
	case routeAuditLogs, routeAccountCampaignMappings, routeCustomTags:
		return d.serveRelated(w, r, rt.kind, q)
	case routeVitals:
		return d.serveVitals(w, r)
	}
	return reply(w, http.StatusNotFound, routeNotFound(r.Method, r.URL.RequestURI()))
}

// serveAccount answers GET /api/v2/accounts/{email}.
func (d *deepStore) serveAccount(w http.ResponseWriter, r *http.Request) int {
	email, err := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), "/api/v2/accounts/"))
	if err != nil {
		return reply(w, http.StatusBadRequest, validationError("params/email must be string"))
	}
	d.mu.RLock()
	a, ok := d.byEmail[strings.ToLower(email)]
	d.mu.RUnlock()
	if !ok {
		return reply(w, http.StatusNotFound, ErrorBody(http.StatusNotFound, "Account not found"))
	}
	return reply(w, http.StatusOK, a.json)
}

// serveCampaignAnalytics answers GET /api/v2/campaigns/analytics.
func (d *deepStore) serveCampaignAnalytics(w http.ResponseWriter, q url.Values) int {
	ids := q["ids"]
	if id := q.Get("id"); id != "" {
		ids = append(ids, id)
	}
	for _, id := range ids {
		if !isUUID(id) {
			return reply(w, http.StatusBadRequest, validationError(`querystring/id must match format "uuid"`))
		}
	}
	if bad := checkDates(q.Get("start_date"), q.Get("end_date")); bad != nil {
		return reply(w, http.StatusBadRequest, bad)
	}
	var rows [][]byte
	d.mu.RLock()
	for _, id := range ids {
		if b, ok := d.analytics[normID(id)]; ok {
			rows = append(rows, b)
		}
	}
	d.mu.RUnlock()
	return reply(w, http.StatusOK, joinArray(rows))
}

// serveAccountDaily answers GET /api/v2/accounts/analytics/daily.
func (d *deepStore) serveAccountDaily(w http.ResponseWriter, q url.Values) int {
	emails := q["emails"]
	if len(emails) == 0 {
		return reply(w, http.StatusRequestEntityTooLarge, ErrorBody(http.StatusRequestEntityTooLarge,
			"Analytics request is too large for this workspace. Add an emails filter or request a smaller date range."))
	}
	if len(emails) > 200 {
		return reply(w, http.StatusBadRequest, validationError("querystring/emails must NOT have more than 200 items"))
	}
	start, end := q.Get("start_date"), q.Get("end_date")
	if bad := checkDates(start, end); bad != nil {
		return reply(w, http.StatusBadRequest, bad)
	}
	var rows [][]byte
	d.mu.RLock()
	for _, e := range emails {
		for _, row := range d.daily[strings.ToLower(e)] {
			var head struct {
				Date string `json:"date"`
			}
			_ = json.Unmarshal(row, &head)
			if (start == "" || head.Date >= start[:min(10, len(start))]) && (end == "" || head.Date <= end[:min(10, len(end))]) {
				rows = append(rows, row)
			}
		}
	}
	d.mu.RUnlock()
	return reply(w, http.StatusOK, joinArray(rows))
}

// serveSubsequences answers GET /api/v2/subsequences.
func (d *deepStore) serveSubsequences(w http.ResponseWriter, q url.Values) int {
	parent := q.Get("parent_campaign")
	if !isUUID(parent) {
		return reply(w, http.StatusBadRequest, validationError(`querystring/parent_campaign must match format "uuid"`))
	}
	limit, bad := limitParam(q, 100)
	if bad != nil {
		return reply(w, http.StatusBadRequest, bad)
	}
	d.mu.RLock()
	items := d.subs[normID(parent)]
	d.mu.RUnlock()
	return reply(w, http.StatusOK, pageOf(items, limit, strings.ToLower(q.Get("starting_after")),
		func(it subItem) string { return it.id }, func(it subItem) ([]byte, bool) { return it.json, true }))
}

// serveVitals answers POST /api/v2/accounts/test/vitals: one result per
// domain; a domain without stored vitals passes every check.
func (d *deepStore) serveVitals(w http.ResponseWriter, r *http.Request) int {
	var req struct {
		Accounts []string `json:"accounts"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if json.Unmarshal(body, &req) != nil || len(req.Accounts) == 0 {
		b, _ := json.Marshal(map[string]string{"error": "Bad request - no emails sent"})
		return reply(w, http.StatusBadRequest, b)
	}
	var res instantly.AccountVitals
	res.Status = "success"
	seen := map[string]bool{}
	d.mu.RLock()
	for _, e := range req.Accounts {
		_, dom, ok := strings.Cut(strings.ToLower(e), "@")
		if !ok || seen[dom] {
			continue
		}
		seen[dom] = true
		v, ok := d.vitals[dom]
		if !ok {
			v = instantly.DomainVitals{Domain: dom, AllPass: true, MX: true, SPF: true, DKIM: true, DMARC: true}
		}
		v.AllPass = v.MX && v.SPF && v.DKIM && v.DMARC
		if v.AllPass {
			res.SuccessList = append(res.SuccessList, v)
		} else {
			res.FailureList = append(res.FailureList, v)
		}
	}
	d.mu.RUnlock()
	b, _ := json.Marshal(res)
	return reply(w, http.StatusOK, b)
}

func (d *deepStore) serveAccounts(w http.ResponseWriter, q url.Values) int {
	limit, bad := limitParam(q, 100)
	if bad != nil {
		return reply(w, http.StatusBadRequest, bad)
	}
	var status *float64
	if q.Has("status") {
		v, err := strconv.ParseFloat(strings.TrimSpace(q.Get("status")), 64)
		switch {
		case err != nil:
			return reply(w, http.StatusBadRequest, validationError("querystring/status must be number"))
		case v != 1 && v != 2 && v != 3 && v != -1 && v != -2 && v != -3:
			return reply(w, http.StatusBadRequest, validationError("querystring/status must be equal to one of the allowed values"))
		}
		status = &v
	}
	tags, bad := tagIDs(q)
	if bad != nil {
		return reply(w, http.StatusBadRequest, bad)
	}
	includeTags := q.Get("include_tags") == "true"
	search := strings.ToLower(q.Get("search"))
	after := q.Get("starting_after") // timestamp_created&email
	if ts, email, ok := strings.Cut(after, "&"); ok {
		after = ts + "&" + strings.ToLower(email)
	}

	d.mu.RLock()
	defer d.mu.RUnlock()
	return reply(w, http.StatusOK, pageOf(d.accounts, limit, after, func(a *fakeAccount) string { return a.cursor },
		func(a *fakeAccount) ([]byte, bool) {
			if search != "" && !strings.Contains(a.lower, search) || status != nil && a.status != *status ||
				tags != nil && !slices.ContainsFunc(a.tags, func(t string) bool { return slices.Contains(tags, t) }) {
				return nil, false
			}
			if includeTags {
				return d.taggedJSON(a), true
			}
			return a.json, true
		}))
}

// pageOf is one page of items after the cursor after (when set): the first
// limit items that item keeps, and the cursor of the last one when more
// follow.
func pageOf[T any](items []T, limit int, after string, cursor func(T) string, item func(T) ([]byte, bool)) []byte {
	var page [][]byte
	next, last := "", ""
	for _, it := range items {
		if after != "" && cursor(it) <= after {
			continue
		}
		b, ok := item(it)
		if !ok {
			continue
		}
		if len(page) == limit {
			next = last
			break
		}
		page = append(page, b)
		last = cursor(it)
	}
	return pageBody(page, next)
}

// tagIDs reads the tag_ids filter: lowercase UUIDs, nil when absent.
func tagIDs(q url.Values) ([]string, []byte) {
	var ids []string
	if t := q.Get("tag_ids"); t != "" {
		for _, id := range strings.Split(t, ",") {
			if !isUUID(strings.TrimSpace(id)) {
				return nil, validationError("querystring/tag_ids must be a comma-separated list of UUIDs")
			}
			ids = append(ids, strings.ToLower(strings.TrimSpace(id)))
		}
	}
	return ids, nil
}

// taggedJSON is withTags(a), made once for the custom tags as they are.
// d.mu is held (read or write): tagsGen does not change meanwhile, and two
// readers that both miss store the same bytes.
func (d *deepStore) taggedJSON(a *fakeAccount) []byte {
	if t := a.tagged.Load(); t != nil && t.gen == d.tagsGen {
		return t.json
	}
	b := d.withTags(a)
	a.tagged.Store(&taggedAccount{gen: d.tagsGen, json: b})
	return b
}

// withTags adds "tags" to an account object: the stored custom tag's label
// and description (AddCustomTag), else a made-up label. d.mu is held.
func (d *deepStore) withTags(a *fakeAccount) []byte {
	tags := make([]map[string]any, len(a.tags))
	for i, t := range a.tags {
		tags[i] = map[string]any{"id": t, "label": "tag " + t[:8], "description": nil}
		if ct, ok := d.tagByID[t]; ok {
			tags[i] = map[string]any{"id": t, "label": ct.Label, "description": ct.Description}
		}
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(a.json, &obj) != nil {
		return a.json
	}
	obj["tags"], _ = json.Marshal(tags)
	b, _ := json.Marshal(obj)
	return b
}

// limitParam reads limit: 10 when absent, else an integer from 1 to most.
func limitParam(q url.Values, most float64) (int, []byte) {
	if !q.Has("limit") {
		return 10, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(q.Get("limit")), 64)
	switch {
	case err != nil || f != math.Trunc(f):
		return 0, validationError("querystring/limit must be integer")
	case f < 1:
		return 0, validationError("querystring/limit must be >= 1")
	case f > most:
		return 0, validationError("querystring/limit must be <= " + strconv.FormatFloat(most, 'f', -1, 64))
	}
	return int(f), nil
}

// checkDates answers Instantly's 400 for a start after the end.
func checkDates(start, end string) []byte {
	if start != "" && end != "" && start > end {
		b, _ := json.Marshal(map[string]string{"message": "Start Date must be earlier than End Date"})
		return b
	}
	return nil
}

func joinArray(rows [][]byte) []byte {
	b := []byte{'['}
	for i, r := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r...)
	}
	return append(b, ']')
}

func pageBody(items [][]byte, next string) []byte {
	b := append([]byte(`{"items":`), joinArray(items)...)
	if next != "" {
		nb, _ := json.Marshal(next)
		b = append(b, `,"next_starting_after":`...)
		b = append(b, nb...)
	}
	return append(b, '}')
}
