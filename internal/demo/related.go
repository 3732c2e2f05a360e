package demo

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

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
		var page [][]byte
		next, last := "", ""
		for _, it := range items {
			if after != "" && it.created <= after {
				continue
			}
			if len(page) == limit {
				next = last
				break
			}
			page = append(page, it.json)
			last = it.created
		}
		return reply(w, http.StatusOK, pageBody(page, next))
	case routeCustomTags:
		limit, bad := limitParam(q)
		if bad != nil {
			return reply(w, http.StatusBadRequest, bad)
		}
		var ids, owners []string
		if t := q.Get("tag_ids"); t != "" {
			for _, id := range strings.Split(t, ",") {
				if !isUUID(strings.TrimSpace(id)) {
					return reply(w, http.StatusBadRequest, validationError("querystring/tag_ids must be a comma-separated list of UUIDs"))
				}
				ids = append(ids, strings.ToLower(strings.TrimSpace(id)))
			}
		}
		if t := q.Get("resource_ids"); t != "" {
			for _, id := range strings.Split(t, ",") {
				owners = append(owners, strings.ToLower(strings.TrimSpace(id)))
			}
		}
		search := strings.ToLower(q.Get("search"))
		after := strings.ToLower(q.Get("starting_after"))
		d.mu.RLock()
		defer d.mu.RUnlock()
		var page [][]byte
		next, last := "", ""
		for _, t := range d.tags {
			id := strings.ToLower(t.ID)
			if after != "" && id <= after {
				continue
			}
			if ids != nil && !slices.Contains(ids, id) {
				continue
			}
			if owners != nil && !slices.ContainsFunc(d.tagOwners[id], func(o string) bool { return slices.Contains(owners, o) }) {
				continue
			}
			if search != "" && !strings.Contains(strings.ToLower(t.Label), search) {
				continue
			}
			if len(page) == limit {
				next = last
				break
			}
			b, _ := json.Marshal(map[string]any{"id": t.ID, "label": t.Label, "description": t.Description,
				"organization_id": "019a0000-0000-7000-8000-0000000000aa", "timestamp_created": "2026-01-05T09:00:00.000Z", "timestamp_updated": "2026-01-05T09:00:00.000Z"})
			page = append(page, b)
			last = id
		}
		return reply(w, http.StatusOK, pageBody(page, next))
	}
	return reply(w, http.StatusNotFound, routeNotFound(r.Method, r.URL.RequestURI()))
}

func (d *deepStore) serveAuditLogs(w http.ResponseWriter, q url.Values) int {
	limit := 10
	if q.Has("limit") {
		f, err := strconv.ParseFloat(strings.TrimSpace(q.Get("limit")), 64)
		switch {
		case err != nil || f != math.Trunc(f):
			return reply(w, http.StatusBadRequest, validationError("querystring/limit must be integer"))
		case f < 1:
			return reply(w, http.StatusBadRequest, validationError("querystring/limit must be >= 1"))
		case f > 1000:
			return reply(w, http.StatusBadRequest, validationError("querystring/limit must be <= 1000"))
		}
		limit = int(f)
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
	skipping := after != ""
	var page [][]byte
	next, last := "", ""
	for _, it := range d.audit {
		if skipping {
			skipping = it.id != after
			continue
		}
		day := it.timestamp[:min(10, len(it.timestamp))]
		if activity != nil && it.activity != *activity ||
			start != "" && day < start[:min(10, len(start))] || end != "" && day > end[:min(10, len(end))] ||
			search != "" && !strings.Contains(strings.ToLower(string(it.json)), search) {
			continue
		}
		if len(page) == limit {
			next = last
			break
		}
		page = append(page, it.json)
		last = it.id
	}
	return reply(w, http.StatusOK, pageBody(page, next))
}

// The demo's custom tags (the labels behind email_tag_list).
var demoTagLabels = []instantly.CustomTag{
	{ID: tagPrimary, Label: "Black Friday senders"},
	{ID: tagEU, Label: "EU senders (Belgrade office)"},
	{ID: tagEnterprise, Label: "Enterprise ABM pool"},
	{ID: tagRecruiting, Label: "Recruiting inboxes"},
	{ID: tagAcme, Label: "Acme Corp – client inboxes", Description: strptr("Mailboxes Acme Corp connects for its own campaigns")},
}

func strptr(s string) *string { return &s }

// addDemoRelated stores the audit log, the account-campaign mappings and
// the custom tags of the demo workspace: who paused the paused campaign
// (a user, 3 days ago, as its status says), which other campaign shares the
// quota of the accounts at their daily limit, and every tag's label.
func addDemoRelated(w *Workspace, now time.Time) {
	for _, t := range demoTagLabels {
		w.AddCustomTag(t)
	}
	var paused, shared, capped demoSpec
	for _, d := range demoSpecs {
		if d.Kind != KindCampaign {
			continue
		}
		switch {
		case d.Code == instantly.StatusCampaignPaused && paused.ID == "":
			paused = d
		case d.Code == instantly.StatusHealthy && shared.ID == "":
			shared = d
		case d.Code == instantly.StatusAccountDailyLimitMet && capped.ID == "":
			capped = d
		}
	}
	audit := func(id string, at time.Time, activity int, campaignID, user string, fromAPI bool) {
		m := map[string]any{"id": id, "timestamp": isoTime(at), "organization_id": "019a0000-0000-7000-8000-0000000000aa",
			"activity_type": activity, "ip_address": "203.0.113.24", "from_api": fromAPI, "campaign_id": campaignID,
			"user_id": nil, "user_name": nil, "api_key_id": nil}
		if user != "" {
			m["user_id"], m["user_name"] = "019a0000-0000-7000-8000-0000000000d1", user
		}
		if fromAPI {
			m["api_key_id"] = "019a0000-0000-7000-8000-0000000000e1"
		}
		b, _ := json.Marshal(m)
		w.AddAuditLog(b)
	}
	if paused.ID != "" {
		// Launched when created, paused by a user when its issue began.
		audit("019a0000-0000-7000-8000-00000000a001", now.Add(-paused.created).Add(2*hour), 4, paused.ID, "Dana Whitfield", false)
		audit("019a0000-0000-7000-8000-00000000a003", now.Add(-paused.status.issueFor), 5, paused.ID, "Dana Whitfield", false)
	}
	if shared.ID != "" {
		// Another campaign paused through the API and launched again: a
		// record a diagnosis of the paused one must not pick.
		audit("019a0000-0000-7000-8000-00000000a002", now.Add(-10*day), 5, shared.ID, "", true)
		audit("019a0000-0000-7000-8000-00000000a004", now.Add(-10*day).Add(40*minute), 4, shared.ID, "", true)
	}
	if capped.ID != "" && shared.ID != "" {
		// Every sender of the campaign whose accounts are at their limit
		// sends for it; its first three also for another, active campaign,
		// which spends part of their daily quota (their sent today exceeds
		// what this campaign sent).
		emails := demoSenders(capped)
		for i, e := range emails {
			w.AddAccountCampaignMapping(e, instantly.AccountCampaignMapping{CampaignID: capped.ID, CampaignName: capped.Name,
				TimestampCreated: isoTime(now.Add(-capped.created)), Status: statusPtr(instantly.CampaignStatusActive)})
			if i < 3 {
				w.AddAccountCampaignMapping(e, instantly.AccountCampaignMapping{CampaignID: shared.ID, CampaignName: shared.Name,
					TimestampCreated: isoTime(now.Add(-shared.created)), Status: statusPtr(instantly.CampaignStatusActive)})
			}
		}
	}
}

func statusPtr(s instantly.CampaignStatus) *instantly.CampaignStatus { return &s }

// demoSenders are the email_list of a demo campaign (senderEmails at its
// offset).
func demoSenders(d demoSpec) []string {
	offset := 0
	for _, x := range demoSpecs {
		if x.ID == d.ID {
			return senderEmails(x.status.accounts, offset)
		}
		if x.Kind != KindSubsequence {
			offset += x.status.accounts
		}
	}
	return nil
}
