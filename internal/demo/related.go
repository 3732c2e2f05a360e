package demo

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The related endpoints of a deep diagnosis:
//
//	GET /api/v2/audit-logs?limit=&starting_after=&activity_type=&search=&start_date=&end_date=
//	GET /api/v2/account-campaign-mappings/{email}?limit=&starting_after=
//	GET /api/v2/custom-tags?limit=&starting_after=&search=&tag_ids=&resource_ids=
//
// Orders the docs leave open are this fake's: audit records newest first
// (the cursor is the last record's id), mappings by timestamp_created (the
// cursor is that timestamp, as the spec's example suggests), tags by id.

// related is the data of the related endpoints (part of deepStore, under
// its mutex).
type related struct {
	audit     []auditItem                    // newest first
	mappings  map[string][]mappingItem       // lowercase email -> by timestamp_created
	tags      []instantly.CustomTag          // by id
	tagByID   map[string]instantly.CustomTag // lowercase id
	tagOwners map[string][]string            // lowercase tag id -> resource ids
	tagsGen   uint64                         // AddCustomTag calls: what an account's tags were made with
}

type auditItem struct {
	id, timestamp string
	activity      float64
	json          []byte
}

type mappingItem struct {
	created string
	json    []byte
}

// AddAuditLog adds one audit-log record (an AuditLog object as served; its
// id, timestamp and activity_type are read from it for the filters). It
// panics if raw is not such an object: test data is wrong.
func (w *Workspace) AddAuditLog(raw []byte) {
	var head struct {
		ID           string   `json:"id"`
		Timestamp    string   `json:"timestamp"`
		ActivityType *float64 `json:"activity_type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil || head.ID == "" || head.Timestamp == "" || head.ActivityType == nil {
		panic("demo: AddAuditLog needs a JSON object with an id, a timestamp and an activity_type")
	}
	d := w.deepData()
	d.mu.Lock()
	defer d.mu.Unlock()
	it := auditItem{id: strings.ToLower(head.ID), timestamp: head.Timestamp, activity: *head.ActivityType, json: slices.Clone(raw)}
	audit := slices.Clone(d.audit)
	audit = append(audit, it)
	slices.SortStableFunc(audit, func(a, b auditItem) int { return -strings.Compare(a.timestamp+a.id, b.timestamp+b.id) })
	d.audit = audit
}

// AddAccountCampaignMapping records that the account email sends for the
// campaign m (GET /api/v2/account-campaign-mappings/{email}).
func (w *Workspace) AddAccountCampaignMapping(email string, m instantly.AccountCampaignMapping) {
	b, _ := json.Marshal(m)
	d := w.deepData()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.mappings == nil {
		d.mappings = map[string][]mappingItem{}
	}
	k := strings.ToLower(email)
	items := append(slices.Clone(d.mappings[k]), mappingItem{created: m.TimestampCreated, json: b})
	slices.SortStableFunc(items, func(a, b mappingItem) int { return strings.Compare(a.created, b.created) })
	d.mappings[k] = items
}

// AddCustomTag adds a custom tag (GET /api/v2/custom-tags); accounts listed
// with include_tags=true carry its label. resourceIDs are the accounts or
// campaigns it is on, for the resource_ids filter.
func (w *Workspace) AddCustomTag(t instantly.CustomTag, resourceIDs ...string) {
	d := w.deepData()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tagByID == nil {
		d.tagByID, d.tagOwners = map[string]instantly.CustomTag{}, map[string][]string{}
	}
	k := strings.ToLower(t.ID)
	tags := slices.DeleteFunc(slices.Clone(d.tags), func(x instantly.CustomTag) bool { return strings.ToLower(x.ID) == k })
	tags = append(tags, t)
	slices.SortFunc(tags, func(a, b instantly.CustomTag) int {
		return strings.Compare(strings.ToLower(a.ID), strings.ToLower(b.ID))
	})
	d.tags = tags
	d.tagByID[k] = t
	d.tagsGen++
	for _, r := range resourceIDs {
		d.tagOwners[k] = append(slices.Clip(d.tagOwners[k]), strings.ToLower(r))
	}
}

func (d *deepStore) serveRelated(w http.ResponseWriter, r *http.Request, kind routeKind, q url.Values) int {
	switch kind {
	case routeAuditLogs:
		return d.serveAuditLogs(w, q)
	case routeAccountCampaignMappings:
		email, err := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), "/api/v2/account-campaign-mappings/"))
		if err != nil {
			return reply(w, http.StatusBadRequest, validationError("params/email must be string"))
		}
		limit := 10
		if q.Has("limit") {
			f, err := strconv.ParseFloat(strings.TrimSpace(q.Get("limit")), 64)
			if err != nil || f != math.Trunc(f) || f < 1 {
				return reply(w, http.StatusBadRequest, validationError("querystring/limit must be number"))
			}
			limit = int(min(f, 1000))
		}
		after := q.Get("starting_after")
		d.mu.RLock()
		_, known := d.byEmail[strings.ToLower(email)]
		items := d.mappings[strings.ToLower(email)]
		d.mu.RUnlock()
		if !known && len(items) == 0 {
			return reply(w, http.StatusNotFound, ErrorBody(http.StatusNotFound, "Resource not found"))
		}
		return reply(w, http.StatusOK, pageOf(items, limit, after,
			func(it mappingItem) string { return it.created }, func(it mappingItem) ([]byte, bool) { return it.json, true }))
	case routeCustomTags:
		limit, bad := limitParam(q, 100)
		if bad != nil {
			return reply(w, http.StatusBadRequest, bad)
		}
		ids, bad := tagIDs(q)
		if bad != nil {
			return reply(w, http.StatusBadRequest, bad)
		}
		var owners []string
		if t := q.Get("resource_ids"); t != "" {
			for _, id := range strings.Split(t, ",") {
				owners = append(owners, strings.ToLower(strings.TrimSpace(id)))
			}
		}
		search := strings.ToLower(q.Get("search"))
		after := strings.ToLower(q.Get("starting_after"))
		d.mu.RLock()
		defer d.mu.RUnlock()
		id := func(t instantly.CustomTag) string { return strings.ToLower(t.ID) }
		return reply(w, http.StatusOK, pageOf(d.tags, limit, after, id, func(t instantly.CustomTag) ([]byte, bool) {
			if ids != nil && !slices.Contains(ids, id(t)) ||
				owners != nil && !slices.ContainsFunc(d.tagOwners[id(t)], func(o string) bool { return slices.Contains(owners, o) }) ||
				search != "" && !strings.Contains(strings.ToLower(t.Label), search) {
				return nil, false
			}
			b, _ := json.Marshal(map[string]any{"id": t.ID, "label": t.Label, "description": t.Description,
				"organization_id": "019a0000-0000-7000-8000-0000000000aa", "timestamp_created": "2026-01-05T09:00:00.000Z", "timestamp_updated": "2026-01-05T09:00:00.000Z"})
			return b, true
		}))
	}
	return reply(w, http.StatusNotFound, routeNotFound(r.Method, r.URL.RequestURI()))
}

func (d *deepStore) serveAuditLogs(w http.ResponseWriter, q url.Values) int {
	limit, bad := limitParam(q, 1000)
	if bad != nil {
		return reply(w, http.StatusBadRequest, bad)
	}
	var activity *float64
	if q.Has("activity_type") {
		f, err := strconv.ParseFloat(strings.TrimSpace(q.Get("activity_type")), 64)
		if err != nil {
			return reply(w, http.StatusBadRequest, validationError("querystring/activity_type must be number"))
		}
		activity = &f
	}
	start, end := q.Get("start_date"), q.Get("end_date")
	if bad := checkDates(start, end); bad != nil {
		return reply(w, http.StatusBadRequest, bad)
	}
	search := strings.ToLower(q.Get("search"))
	after := strings.ToLower(q.Get("starting_after"))
	d.mu.RLock()
	defer d.mu.RUnlock()
	items := d.audit // newest first: the page starts after the record after
	if i := slices.IndexFunc(items, func(it auditItem) bool { return it.id == after }); after != "" {
		items = items[i+1:]
		if i < 0 { // an unknown cursor: nothing follows it
			items = nil
		}
	}
	return reply(w, http.StatusOK, pageOf(items, limit, "", func(it auditItem) string { return it.id }, func(it auditItem) ([]byte, bool) {
		day := it.timestamp[:min(10, len(it.timestamp))]
		return it.json, !(activity != nil && it.activity != *activity ||
			start != "" && day < start[:min(10, len(start))] || end != "" && day > end[:min(10, len(end))] ||
			search != "" && !strings.Contains(strings.ToLower(string(it.json)), search))
	}))
}
