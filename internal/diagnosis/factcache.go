package diagnosis

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// FactCache keeps, for a short time, the facts of a deep diagnosis that
// change slowly and are the same for every campaign of a workspace: the DNS
// vitals of a sending domain, the name of a tag, the campaigns an account
// sends for, a campaign's subsequences, the audit log's recent pauses.
// Entries are kept per API key (by its hash), so workspaces never share
// them. What changes minute to minute and is the evidence itself (the
// sending status, account states, today's counts, the campaign's settings)
// is never cached. A nil *FactCache caches nothing.
type FactCache struct {
	mu sync.Mutex
	m  map[factKey]factEntry
}

type factKey struct {
	key  [32]byte
	name string
}

type factEntry struct {
	v  any
	at time.Time
}

// How long each kind of fact is reused.
const (
	vitalsTTL   = 10 * time.Minute // DNS records change rarely, and a fix takes time to propagate anyway
	tagTTL      = 10 * time.Minute // a tag's name
	mappingsTTL = 2 * time.Minute  // the campaigns of an account
	subsTTL     = 2 * time.Minute  // a campaign's subsequence list (not their statuses)
	auditTTL    = 2 * time.Minute  // the audit log's pauses (see loadPauseRecords for when it is not reused)
)

// maxFacts bounds the cache; past it, expired entries go, and if that is
// not enough, everything.
const maxFacts = 20000

// NewFactCache returns an empty cache.
func NewFactCache() *FactCache { return &FactCache{m: map[factKey]factEntry{}} }

// get returns the value stored under name for key, and when it was
// fetched, if it is younger than ttl at now.
func (c *FactCache) get(key [32]byte, name string, ttl time.Duration, now time.Time) (any, time.Time, bool) {
	if c == nil {
		return nil, time.Time{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[factKey{key, name}]
	if !ok || now.Sub(e.at) >= ttl || e.at.After(now) {
		return nil, time.Time{}, false
	}
	return e.v, e.at, true
}

func (c *FactCache) put(key [32]byte, name string, v any, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxFacts {
		for k, e := range c.m {
			if now.Sub(e.at) >= vitalsTTL {
				delete(c.m, k)
			}
		}
		if len(c.m) >= maxFacts {
			clear(c.m)
		}
	}
	c.m[factKey{key, name}] = factEntry{v: v, at: now}
}

// Len is the number of entries (for tests).
func (c *FactCache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

func (g *gather) cached(name string, ttl time.Duration) (any, time.Time, bool) {
	return g.cache.get(g.keyHash, name, ttl, g.now)
}

func (g *gather) store(name string, v any) { g.cache.put(g.keyHash, name, v, g.now) }

// noteCached records that a check reused facts read earlier.
func (g *gather) noteCached(check, what string, at time.Time) {
	if !at.Before(g.now) {
		return // read by this diagnosis (a hint's early request)
	}
	g.note(check, true, "%s: read %s by an earlier diagnosis (reused for up to %s)", what, ago(at.UTC().Format(time.RFC3339Nano), g.now), cacheTTLText(check))
}

func cacheTTLText(check string) string {
	switch check {
	case "vitals", "tags":
		return "10 min"
	}
	return "2 min"
}

// hintTTL is how long a campaign seen in a list is used as a hint.
const hintTTL = 2 * time.Minute

// RememberCampaigns keeps the campaigns a list returned, or a diagnosis
// read (their status and senders), as hints for the diagnoses that may
// follow under the same key:
// a diagnosis of a campaign listed as paused asks the audit log at once,
// one listed as running subsequences its subsequence list, one with
// unhealthy or suspended accounts its senders' domain vitals, one in
// bounce protect its senders' daily counts. A hint only decides what is
// asked early; what is concluded still comes from the diagnosis's own
// answers.
func (c *FactCache) RememberCampaigns(key [32]byte, cs []instantly.Campaign, now time.Time) {
	for _, x := range cs {
		if id, err := instantly.ParseID(x.ID); err == nil {
			c.put(key, "campaign:"+strings.ToLower(id), x, now)
		}
	}
}

// CampaignName is the name of the campaign id that a list or a diagnosis
// read under the key in the last minutes; "" when none did.
func (c *FactCache) CampaignName(key [32]byte, id string, now time.Time) string {
	v, _, ok := c.get(key, "campaign:"+strings.ToLower(id), hintTTL, now)
	if !ok {
		return ""
	}
	return v.(instantly.Campaign).Name
}

// prefetch starts, before the status is in, the checks the list's hint
// for this campaign calls for (see RememberCampaigns). Each has a channel
// closed when it is done, which the stage that needs it waits for.
func (g *gather) prefetch(ctx context.Context, wg *sync.WaitGroup) {
	v, _, ok := g.cached("campaign:"+strings.ToLower(g.id), hintTTL)
	if !ok {
		return
	}
	hint := v.(instantly.Campaign)
	// The code this campaign had minutes ago (a diagnosis remembers it)
	// calls for checks its campaign status cannot tell from the others of
	// an active campaign.
	if v, _, ok := g.cached("code:"+strings.ToLower(g.id), hintTTL); ok {
		g.prefetchForCode(ctx, wg, hint, v.(string))
	}
	g.prefetchForStatus(ctx, wg, hint)
}

// prefetchForCode starts what the code of the last diagnosis calls for:
// the senders it had to look up one by one, per-account counts, the
// accounts of the tags.
func (g *gather) prefetchForCode(ctx context.Context, wg *sync.WaitGroup, hint instantly.Campaign, code string) {
	if l, _, ok := g.cached("lookups:"+strings.ToLower(g.id), hintTTL); ok && needsSenders(code) {
		emails := l.([]string)
		g.lookupsIn = make(chan struct{})
		g.spawn(wg, func() {
			defer close(g.lookupsIn)
			var lw sync.WaitGroup
			for _, e := range emails[:min(len(emails), maxDirectLookups)] {
				if !g.spend("senders", "sending account "+e) {
					break
				}
				g.spawn(&lw, func() { g.lookup(ctx, e) })
			}
			lw.Wait()
		})
	}
	switch code {
	case instantly.StatusAccountDailyLimitMet:
		g.prefetchDaily(ctx, wg, hint, instantly.StatusAccountDailyLimitMet)
		g.prefetchTagPages(ctx, wg, hint)
	case instantly.StatusNoAccountsAvailable:
		g.prefetchTagPages(ctx, wg, hint)
	}
}

// prefetchForStatus starts what the hint's campaign status calls for.
func (g *gather) prefetchForStatus(ctx context.Context, wg *sync.WaitGroup, hint instantly.Campaign) {
	switch hint.Status {
	case instantly.CampaignStatusPaused:
		g.pausesIn = make(chan struct{})
		g.spawn(wg, func() {
			defer close(g.pausesIn)
			g.prefetchPauses(ctx)
		})
	case instantly.CampaignStatusRunningSubsequences:
		g.subsIn = make(chan struct{})
		g.spawn(wg, func() {
			defer close(g.subsIn)
			g.loadSubsequences(ctx, g.id)
			// Status 4 is the code campaign_running_subsequences by name:
			// their own statuses are what it needs.
			g.loadSubsequenceStatuses(ctx)
		})
	case instantly.CampaignStatusAccountsUnhealthy, instantly.CampaignStatusAccountSuspended:
		g.prefetchTagPages(ctx, wg, hint)
		if es := uniqueLower(hint.EmailList); len(es) > 0 {
			g.vitalsIn = make(chan struct{})
			g.spawn(wg, func() {
				defer close(g.vitalsIn)
				g.vitalsOf(ctx, es, false)
			})
		}
	case instantly.CampaignStatusBounceProtect:
		g.prefetchDaily(ctx, wg, hint, instantly.StatusCampaignBounceProtect)
	}
}

// prefetchTagPages reads the accounts of the hint's tags: page 1 of all
// accounts may not hold them.
func (g *gather) prefetchTagPages(ctx context.Context, wg *sync.WaitGroup, hint instantly.Campaign) {
	tags := hint.EmailTagList
	if len(tags) == 0 || g.tagsIn != nil || slices.ContainsFunc(tags, func(t string) bool { _, err := instantly.ParseID(t); return err != nil }) {
		return
	}
	g.tagsIn = make(chan struct{})
	g.spawn(wg, func() {
		defer close(g.tagsIn)
		if g.tagPages(ctx, tags) {
			g.tagsFor = tags
		}
	})
}

// prefetchDaily reads the per-account counts of the hint's listed senders,
// for the window code asks.
func (g *gather) prefetchDaily(ctx context.Context, wg *sync.WaitGroup, hint instantly.Campaign, code string) {
	es := uniqueLower(hint.EmailList)
	if len(es) == 0 || len(es) > instantly.MaxDailyAnalyticsEmails || g.dailyIn != nil {
		return
	}
	g.dailyIn = make(chan struct{})
	g.spawn(wg, func() {
		defer close(g.dailyIn)
		g.loadDaily(ctx, code, es)
	})
}

// prefetchPauses reads the audit log's pauses of the last auditLookback
// into the cache, for loadPauseRecords.
func (g *gather) prefetchPauses(ctx context.Context) {
	if _, _, ok := g.cached("audit-pauses", auditTTL); ok {
		return // loadPauseRecords decides whether that read will do
	}
	if !g.spend("paused_by", "the audit log") {
		return
	}
	from := g.now.Add(-auditLookback).UTC().Format("2006-01-02")
	p, err := g.c.ListAuditLogs(ctx, &instantly.ListAuditLogsOptions{Limit: instantly.MaxAuditLogLimit,
		ActivityType: instantly.AuditCampaignPause, StartDate: from})
	if err != nil {
		g.prefetchErr = err
		return
	}
	g.prefetched = &pauseLog{from: from, items: p.Items, more: p.NextStartingAfter != ""}
}
