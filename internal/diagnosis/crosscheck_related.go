package diagnosis

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The related cross-checks: who paused a campaign (the audit log), which
// other campaigns share the quota of the senders at their daily limit
// (account-campaign mappings), and what the campaign's account tags are
// called (custom tags). Each runs only for the codes whose cause it names.

// related is what the related cross-checks found (part of gather).
type related struct {
	pauses    *pausesRead                                   // the diagnosed campaign's pauses in the audit log
	auditFrom string                                        // the start_date asked for
	mappings  map[string][]instantly.AccountCampaignMapping // lowercase email -> campaigns
	tagLabels map[string]string                             // lowercase tag id -> label; nil until the custom tags are read
	pausedBy  string                                        // "paused by … on …", from the audit log
	pausedWho string                                        // the person who paused it, when the audit log names one

	// Asked early on a list's hint (see prefetch); each channel is closed
	// when its request is done.
	pausesIn, subsIn, vitalsIn, dailyIn, tagsIn chan struct{}
	tagsFor                                     []string // the tags whose accounts tagsIn read
	prefetched                                  *pauseLog
	prefetchErr                                 error
	lookupsIn                                   chan struct{}
	lookedUp                                    []string // listed senders read one by one (beyond the first accounts page)
}

// maxMappingLookups bounds the account-campaign-mappings calls of one
// diagnosis (one per account).
const maxMappingLookups = 2

// auditLookback is how far back the audit log is searched for a pause when
// the status gives no start of the issue.
const auditLookback = 30 * 24 * time.Hour

// loadPauseRecords reads the audit log's campaign pauses (activity_type 5)
// since shortly before the issue began and keeps the diagnosed campaign's.
// The endpoint has no campaign filter, so one page of up to 1000 records
// is filtered here.
func (g *gather) loadPauseRecords(ctx context.Context, st *instantly.SendingStatus) {
	from := g.now.Add(-auditLookback)
	var seen time.Time // when Instantly first saw the issue
	if d := st.Diagnostics; d != nil && d.IssueTracking != nil && d.IssueTracking.IssueFirstSeenAt != nil {
		if t, ok := parseTime(*d.IssueTracking.IssueFirstSeenAt); ok && t.Before(g.now) {
			// The pause comes shortly before Instantly first sees the
			// issue; a day's margin covers the start_date's undocumented
			// timezone.
			from, seen = t.Add(-24*time.Hour), t
		}
	}
	g.auditFrom = from.UTC().Format("2006-01-02")
	// The pauses read by an earlier diagnosis are reused only when they
	// were read well after this issue began (so this pause, made before,
	// is in them) and reach back far enough.
	var pg pauseLog
	if g.pausesIn != nil {
		<-g.pausesIn
	}
	if g.prefetchErr != nil {
		g.failed("paused_by", "audit_logs:read", "the audit log", g.prefetchErr)
		return
	}
	if p := g.prefetched; p != nil && p.from <= g.auditFrom {
		pg = *p
		g.auditFrom = pg.from
		g.store("audit-pauses", pg)
	} else if v, at, ok := g.cached("audit-pauses", auditTTL); ok && !seen.IsZero() && at.After(seen.Add(time.Minute)) && v.(pauseLog).from <= g.auditFrom {
		pg = v.(pauseLog)
		g.auditFrom = pg.from
		g.noteCached("paused_by", "the audit log's campaign pauses", at)
	} else {
		if !g.spend("paused_by", "the audit log") {
			return
		}
		p, err := g.c.ListAuditLogs(ctx, &instantly.ListAuditLogsOptions{Limit: instantly.MaxAuditLogLimit,
			ActivityType: instantly.AuditCampaignPause, StartDate: g.auditFrom})
		if err != nil {
			g.failed("paused_by", "audit_logs:read", "the audit log", err)
			return
		}
		pg = pauseLog{from: g.auditFrom, items: p.Items, more: p.NextStartingAfter != ""}
		g.store("audit-pauses", pg)
	}
	var mine []instantly.AuditLog
	for _, r := range pg.items {
		if r.ActivityType == instantly.AuditCampaignPause && r.CampaignID != nil && strings.EqualFold(*r.CampaignID, g.id) {
			mine = append(mine, r)
		}
	}
	sort.SliceStable(mine, func(i, j int) bool { return mine[i].Timestamp > mine[j].Timestamp })
	g.pauses = &pausesRead{items: mine}
	if len(mine) == 0 && pg.more {
		g.note("paused_by", false, "the audit log has more than %d pauses since %s; the first page names no pause of this campaign", len(pg.items), g.auditFrom)
	}
}

// pauseLog is one read of the audit log's campaign pauses.
type pauseLog struct {
	from  string // start_date asked for
	items []instantly.AuditLog
	more  bool // a next page exists
}

// mappingCandidates are the senders whose other campaigns are looked up:
// active listed senders first (those a daily limit can hold), at most n.
func (g *gather) mappingCandidates(n int) []string {
	var first, rest []string
	for _, s := range g.senders() {
		if s.acc != nil && s.acc.Status != nil && *s.acc.Status == 1 {
			first = append(first, s.email)
		} else {
			rest = append(rest, s.email)
		}
	}
	out := append(first, rest...)
	return out[:max(0, min(n, len(out)))]
}

// loadMappings reads the campaigns of one sender.
func (g *gather) loadMappings(ctx context.Context, email string) {
	p, err := g.c.GetAccountCampaignMappings(ctx, email, 100, "")
	if err != nil {
		g.failed("shared_quota", "account_campaign_mappings:read", "the campaigns of "+email, err)
		return
	}
	g.setMappings(email, p.Items)
	g.store("maps:"+strings.ToLower(email), p.Items)
}

func (g *gather) setMappings(email string, items []instantly.AccountCampaignMapping) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.mappings[strings.ToLower(email)] = items
}

// cachedMappings takes a sender's campaigns from the cache; false when
// they must be asked for.
func (g *gather) cachedMappings(email string) bool {
	v, at, ok := g.cached("maps:"+strings.ToLower(email), mappingsTTL)
	if !ok {
		return false
	}
	g.setMappings(email, v.([]instantly.AccountCampaignMapping))
	g.noteCached("shared_quota", "the campaigns of "+email, at)
	return true
}

// unlabeledTags are the campaign's tag ids no account read so far names.
func (g *gather) unlabeledTags() []string {
	if g.campaign == nil {
		return nil
	}
	known := map[string]bool{}
	g.mu.Lock()
	for _, a := range g.pool.byEmail {
		for _, t := range a.Tags {
			if t.Label != "" {
				known[strings.ToLower(t.ID)] = true
			}
		}
	}
	g.mu.Unlock()
	var out []string
	for _, t := range g.campaign.EmailTagList {
		if _, err := instantly.ParseID(t); err == nil && !known[strings.ToLower(t)] {
			out = append(out, t)
		}
	}
	return out
}

// loadTagLabels reads the labels of the given tags (those an earlier
// diagnosis read come from the cache).
func (g *gather) loadTagLabels(ctx context.Context, ids []string) {
	labels := map[string]string{}
	var ask []string
	reused, oldest := 0, g.now
	for _, id := range ids {
		if v, at, ok := g.cached("tag:"+strings.ToLower(id), tagTTL); ok {
			labels[strings.ToLower(id)] = v.(string)
			reused++
			oldest = minTime(oldest, at)
		} else {
			ask = append(ask, id)
		}
	}
	found := reused
	if len(ask) > 0 {
		if !g.spend("tags", "the tags' names") {
			return
		}
		p, err := g.c.ListCustomTags(ctx, &instantly.ListCustomTagsOptions{Limit: 100, TagIDs: ask})
		if err != nil {
			g.failed("tags", "custom_tags:read", "the campaign's account tags (custom-tags)", err)
			return
		}
		for _, t := range p.Items {
			labels[strings.ToLower(t.ID)] = t.Label
			g.store("tag:"+strings.ToLower(t.ID), t.Label)
		}
		found += len(p.Items)
	}
	if reused > 0 {
		g.noteCached("tags", fmt.Sprintf("the names of %d account %s", reused, plural(float64(reused), "tag", "tags")), oldest)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tagLabels = labels // not nil: the custom tags were read
	g.checks = append(g.checks, CrossCheck{Check: "tags", OK: true,
		Note: fmt.Sprintf("read the names of the campaign's account tags: %d of %d found", min(found, len(ids)), len(ids))})
}

// tagName is a tag's label and id, `"EU senders" (019a…)`, or its id when
// no label is known.
func (g *gather) tagName(id string) string {
	k := strings.ToLower(id)
	label := g.tagLabels[k]
	if label == "" {
		g.mu.Lock()
		for _, a := range g.pool.byEmail {
			for _, t := range a.Tags {
				if strings.ToLower(t.ID) == k && t.Label != "" {
					label = t.Label
				}
			}
		}
		g.mu.Unlock()
	}
	if label == "" {
		return id
	}
	return fmt.Sprintf("%q (%s)", label, id)
}

// tagNames names the campaign's tags; missing are the ids the custom tags
// did not return although they were asked for (deleted tags).
func (x *deep) tagNames() (names string, missing []string) {
	g := x.g
	var parts []string
	for _, t := range g.campaign.EmailTagList {
		parts = append(parts, g.tagName(t))
		if g.tagLabels != nil && g.tagLabels[strings.ToLower(t)] == "" && g.tagName(t) == t {
			missing = append(missing, t)
		}
	}
	return strings.Join(parts, ", "), missing
}

// pausedChecks says who paused the campaign and when, from the audit log.
func (x *deep) pausedChecks() {
	g := x.g
	if g.pauses == nil {
		return
	}
	if len(g.pauses.items) == 0 {
		x.fact("The audit log has no pause of this campaign since %s: Instantly may have paused it by itself (whether automatic pauses are logged is not documented), or it was paused earlier.", g.auditFrom)
		g.note("paused_by", true, "read the audit log's campaign pauses since %s: none for this campaign", g.auditFrom)
		return
	}
	r := g.pauses.items[0]
	who := "someone in the app"
	if r.UserName != nil && strings.TrimSpace(*r.UserName) != "" {
		who = strings.TrimSpace(*r.UserName)
		g.pausedWho = who
		if r.FromAPI {
			who += " through the API"
		} else {
			who += " in the app"
		}
	} else if r.FromAPI {
		who = "an API key"
		if r.APIKeyID != nil && *r.APIKeyID != "" {
			who = "the API key " + *r.APIKeyID
		}
	}
	when := r.Timestamp
	if t, ok := parseTime(r.Timestamp); ok {
		when = t.UTC().Format("Mon 2 Jan 15:04") + " UTC (" + ago(r.Timestamp, g.now) + ")"
	}
	g.pausedBy = fmt.Sprintf("paused by %s on %s", who, when)
	g.note("paused_by", true, "read the audit log: %s", g.pausedBy)
}

// sharedQuota names the other campaigns that send from the senders at
// their daily limit, and so spend the same daily quota.
func (x *deep) sharedQuota(blocking []BlockingAccount) {
	g := x.g
	if len(g.mappings) == 0 {
		return
	}
	capped := map[string]bool{}
	for _, b := range blocking {
		if strings.Contains(b.Problem, "daily limit") || strings.Contains(b.Problem, "slow ramp") {
			capped[strings.ToLower(b.Email)] = true
		}
	}
	others := map[string]string{} // campaign id -> name, of the capped senders
	var sharedCapped []string
	for _, e := range slices.Sorted(maps.Keys(g.mappings)) {
		own := map[string]string{} // this sender's active (or unknown-status) other campaigns
		for _, m := range g.mappings[e] {
			if strings.EqualFold(m.CampaignID, g.id) {
				continue
			}
			if m.Status == nil || *m.Status == instantly.CampaignStatusActive {
				own[m.CampaignID] = m.CampaignName
			}
		}
		if capped[e] && len(own) > 0 {
			sharedCapped = append(sharedCapped, e)
			maps.Copy(others, own)
		}
	}
	g.note("shared_quota", true, "read the campaigns of %d %s", len(g.mappings), plural(float64(len(g.mappings)), "sender", "senders"))
	if len(sharedCapped) > 0 {
		var names []string
		for _, id := range slices.Sorted(maps.Keys(others)) {
			names = append(names, fmt.Sprintf("%q", others[id]))
		}
		x.cause("%s, at a limit, also %s for %s, which %s the same daily quota", andList(sharedCapped),
			plural(float64(len(sharedCapped)), "sends", "send"), andList(names), plural(float64(len(names)), "spends", "spend"))
		x.step("more", "To send more per day: give this campaign senders of its own, or take %s out of %s.",
			andList(sharedCapped), andList(names))
	}
}

// pausedByName is the person the audit log says paused the campaign.
func (g *gather) pausedByName() string { return g.pausedWho }
