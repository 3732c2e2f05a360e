package diagnosis

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// DefaultCrossCheckBudget is how many requests one deep diagnosis may make,
// the sending-status call included.
const DefaultCrossCheckBudget = 8

// DiagnoseOptions choose what a diagnosis asks Instantly.
type DiagnoseOptions struct {
	WithAISummary bool
	// CrossCheck consults the campaign's settings, senders and leads
	// beside the sending status (the default of the tools).
	CrossCheck bool
	// Budget caps the requests of one diagnosis, the status call included
	// (<= 0: DefaultCrossCheckBudget). The client's per-key limiter paces
	// them as it paces every call.
	Budget int
	// CheckTimeout bounds all the cross-checks of one diagnosis (<= 0:
	// DefaultCrossCheckTimeout): a slow extra check becomes a note, it
	// does not hold the answer back for the client's whole timeout.
	CheckTimeout time.Duration
	// Cache keeps slow-changing facts (domain vitals, tag names, the
	// campaigns of an account, a campaign's subsequences, the audit log's
	// pauses) for a short time, shared by the diagnoses of one API key
	// (nil: every diagnosis asks Instantly).
	Cache *FactCache
	// Settings names what a note about a failed check points to.
	Settings Settings
}

// DefaultCrossCheckTimeout is how long the cross-checks of one diagnosis
// may take in all.
const DefaultCrossCheckTimeout = 10 * time.Second

// Diagnose asks Instantly for the sending status of a campaign or
// subsequence (kind "campaign" or "subsequence") and, with CrossCheck, runs
// the cross-checks the status code calls for. Only the status call can fail
// the diagnosis; a cross-check that fails (a missing scope, a 404, a timeout)
// becomes a cross_checks entry saying what could not be checked and why.
func Diagnose(ctx context.Context, c *instantly.Client, kind, id string, o DiagnoseOptions, now time.Time) (StatusResult, error) {
	sso := &instantly.SendingStatusOptions{WithAISummary: o.WithAISummary}
	fetch := c.GetCampaignSendingStatus
	if kind == "subsequence" {
		fetch = c.GetSubsequenceSendingStatus
	}
	if !o.CrossCheck {
		st, err := fetch(ctx, id, sso)
		if err != nil {
			return StatusResult{}, err
		}
		res := BuildStatusResult(kind, id, st, now)
		if kind == "campaign" {
			// The one-request answer names the campaign when a list (or a
			// diagnosis) just read it under this key.
			res.Analysis.CampaignName = o.Cache.CampaignName(c.KeyHash(), id, now)
		}
		return res, nil
	}
	budget := o.Budget
	if budget <= 0 {
		budget = DefaultCrossCheckBudget
	}
	// The cross-checks are optional: one attempt each (see
	// instantly.Client.WithoutRetries), and they stop when the status call
	// fails, since there is then no diagnosis to add to.
	g := newGather(c, kind, id, budget-1, now, o.Settings)
	g.cache, g.keyHash = o.Cache, c.KeyHash()
	cctx, cancel := context.WithTimeout(ctx, cmp.Or(max(o.CheckTimeout, 0), DefaultCrossCheckTimeout))
	defer cancel()
	var (
		st  *instantly.SendingStatus
		err error
		wg  sync.WaitGroup
	)
	// The status call and, for a campaign, the checks almost every code
	// needs go out together. Each later check starts as soon as its own
	// inputs are in, not when the whole first round is: those that need
	// only the status code (who paused it, the subsequences) when the
	// status arrives; those that need the senders when the status, the
	// campaign and the first accounts page have (the lead counts are not
	// waited for).
	statusIn := make(chan struct{})
	go func() {
		defer close(statusIn)
		if st, err = fetch(ctx, id, sso); err != nil {
			cancel()
		}
	}()
	if kind == "campaign" {
		g.campaignRounds(cctx, &wg, statusIn, func() *instantly.SendingStatus {
			if err != nil {
				return nil
			}
			return st
		})
	}
	<-statusIn
	wg.Wait()
	if err != nil {
		return StatusResult{}, err
	}
	res := BuildStatusResult(kind, id, st, now)
	if kind == "campaign" {
		if res.Analysis.Status != "" {
			crossCheck(&res, g, st)
			g.store("code:"+strings.ToLower(id), res.Analysis.Status)
			if len(g.lookedUp) > 0 {
				g.store("lookups:"+strings.ToLower(id), g.lookedUp)
			}
		}
		return res, nil
	}
	g.finish(cctx, &res, st)
	return res, nil
}

// campaignRounds starts a campaign's cross-checks beside its status call:
// the first round (the hint's early checks, the campaign, its lead counts,
// the first accounts page) at once; the checks that need the status code
// when status (read once statusIn is closed; nil when it failed) is in;
// those that need the senders when the campaign and the first accounts
// page are too.
func (g *gather) campaignRounds(ctx context.Context, wg *sync.WaitGroup, statusIn <-chan struct{}, status func() *instantly.SendingStatus) {
	campaignIn, accountsIn := make(chan struct{}), make(chan struct{})
	// The hints are read before loadCampaign can store this campaign's
	// own (see RememberCampaigns): they come from a list or an earlier
	// diagnosis, never from this one.
	g.prefetch(ctx, wg)
	g.spawn(wg, func() { defer close(campaignIn); g.loadCampaign(ctx, g.id) })
	g.spawn(wg, func() { g.loadAnalytics(ctx, g.id) })
	g.spawn(wg, func() { defer close(accountsIn); g.loadFirstAccounts(ctx) })
	g.spawn(wg, func() {
		<-statusIn
		st := status()
		if st == nil {
			return
		}
		code := statusCode(st.Diagnostics, st.Summary)
		if code == "" {
			return // no data: nothing to cross-check against
		}
		var stage sync.WaitGroup
		g.spawn(&stage, func() { g.statusStage(ctx, code, st) })
		<-campaignIn
		<-accountsIn
		g.senderStage(ctx, code, st)
		stage.Wait()
	})
}

// CrossCheckStatusWith runs the cross-checks of an answer already read (the
// overview's): the campaign's settings, senders and leads the code calls
// for, within budget requests, and folds them into res's analysis. cache
// keeps slow-changing facts, e.g. one shared by the cross-checks of one
// overview (nil: none).
func CrossCheckStatusWith(ctx context.Context, c *instantly.Client, res *StatusResult, st *instantly.SendingStatus, budget int, now time.Time, words Settings, cache *FactCache) {
	if budget <= 0 {
		budget = DefaultCrossCheckBudget
	}
	a := res.Analysis
	g := newGather(c, a.Kind, a.ID, budget, now, words)
	g.cache, g.keyHash = cache, c.KeyHash()
	ctx, cancel := context.WithTimeout(ctx, DefaultCrossCheckTimeout)
	defer cancel()
	if a.Kind == "campaign" && a.Status != "" {
		// The code is known: what needs only it starts with the first round.
		var stage, round sync.WaitGroup
		g.spawn(&stage, func() { g.statusStage(ctx, a.Status, st) })
		g.spawn(&round, func() { g.loadCampaign(ctx, a.ID) })
		if needsLeads(a.Status) {
			g.spawn(&round, func() { g.loadAnalytics(ctx, a.ID) })
		}
		if needsSenders(a.Status) {
			g.spawn(&round, func() { g.loadFirstAccounts(ctx) })
		}
		round.Wait()
		g.senderStage(ctx, a.Status, st)
		stage.Wait()
		crossCheck(res, g, st)
		return
	}
	g.finish(ctx, res, st)
}

// needsLeads: the codes whose concrete cause is in the lead counts.
func needsLeads(code string) bool {
	switch code {
	case instantly.StatusWaitingForLeads, instantly.StatusCampaignCompleted, instantly.StatusNewLeadLimitMet,
		instantly.StatusCampaignDraft, instantly.StatusCampaignBounceProtect:
		return true
	}
	return false
}

// finish runs what depends on the status and the first round (the parent
// campaign of a subsequence, then the second round) and reads it all into
// res.
func (g *gather) finish(ctx context.Context, res *StatusResult, st *instantly.SendingStatus) {
	code := res.Analysis.Status
	if code == "" {
		return // no data: nothing to cross-check against
	}
	if g.kind == "subsequence" {
		g.parentID = parentOf(st)
		if g.parentID != "" {
			var wg2 sync.WaitGroup
			g.spawn(&wg2, func() { g.loadCampaign(ctx, g.parentID) })
			g.spawn(&wg2, func() { g.loadSubsequences(ctx, g.parentID) })
			if needsSenders(code) {
				g.spawn(&wg2, func() { g.loadFirstAccounts(ctx) })
			}
			wg2.Wait()
		} else {
			g.note("campaign", false, "the sending status names no parent campaign, so its settings could not be read")
		}
	}
	g.second(ctx, code, st)
	crossCheck(res, g, st)
}

// budget counts the requests a diagnosis may still make.
type budget struct{ left atomic.Int64 }

func newBudget(n int) *budget { b := &budget{}; b.left.Store(int64(n)); return b }

// take reserves n requests; false (and nothing reserved) when they do not fit.
func (b *budget) take(n int) bool {
	for {
		l := b.left.Load()
		if l < int64(n) {
			return false
		}
		if b.left.CompareAndSwap(l, l-int64(n)) {
			return true
		}
	}
}

// gather holds what the cross-checks found: one value per fact read, nil
// until it is (see crosscheck_facts.go). Each is written by one goroutine
// of a round and read after the round's Wait.
type gather struct {
	c        *instantly.Client
	kind, id string
	parentID string
	budget   *budget
	now      time.Time
	words    Settings
	requests atomic.Int64

	campaign *instantly.CampaignDetails
	leads    *leadsRead
	subs     *subsequencesRead
	pool     senderPool
	daily    *dailyRead
	vitals   *instantly.AccountVitals

	related
	cache   *FactCache
	keyHash [32]byte

	mu     sync.Mutex
	checks []CrossCheck
}

// newGather starts the cross-checks of one answer: one attempt per request
// (see instantly.Client.WithoutRetries), within budget requests.
func newGather(c *instantly.Client, kind, id string, budget int, now time.Time, words Settings) *gather {
	return &gather{c: c.WithoutRetries(), kind: kind, id: id, budget: newBudget(budget), now: now, words: words,
		pool: newSenderPool(), related: related{mappings: map[string][]instantly.AccountCampaignMapping{}}}
}

func (g *gather) spawn(wg *sync.WaitGroup, f func()) {
	wg.Add(1)
	go func() { defer wg.Done(); f() }()
}

func (g *gather) note(check string, ok bool, format string, args ...any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.checks = append(g.checks, CrossCheck{Check: check, OK: ok, Note: fmt.Sprintf(format, args...)})
}

// spend reserves a request of the budget; when none is left it notes what
// was skipped.
func (g *gather) spend(check, what string) bool {
	if !g.budget.take(1) {
		g.note(check, false, "not checked: the diagnosis's request budget is spent (%s)", what)
		return false
	}
	g.requests.Add(1)
	return true
}

// failed turns a cross-check error into a note naming, for a refused
// request, the scope that would let the diagnosis say more.
func (g *gather) failed(check, scope, what string, err error) {
	if er, ok := errors.AsType[*instantly.ErrorResponse](err); ok {
		switch er.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			if scope == "" {
				g.note(check, false, "not checked: this API key may not read %s (HTTP %d); Instantly documents no scope for it, all:read presumably covers it", what, er.StatusCode)
			} else {
				g.note(check, false, "not checked: this API key may not read %s (HTTP %d); a key with the scope %s (or all:read) would let this diagnosis say more", what, er.StatusCode, scope)
			}
			return
		case http.StatusNotFound:
			g.note(check, false, "not checked: Instantly answered HTTP 404 (not found) for %s", what)
			return
		}
	}
	g.note(check, false, "not checked: %s", g.words.ErrorMessage(what, err))
}

func (g *gather) loadCampaign(ctx context.Context, id string) {
	if !g.spend("campaign", "campaign settings") {
		return
	}
	c, err := g.c.GetCampaignDetails(ctx, id)
	if err != nil {
		g.failed("campaign", "campaigns:read", "the campaign's settings", err)
		return
	}
	g.campaign = c
	// As a list's entry would: the next diagnosis of this campaign starts
	// the checks its status calls for early (see RememberCampaigns).
	g.cache.RememberCampaigns(g.keyHash, []instantly.Campaign{c.Campaign}, g.now)
}

func (g *gather) loadAnalytics(ctx context.Context, id string) {
	if !g.spend("leads", "lead counts") {
		return
	}
	a, err := g.c.GetCampaignAnalytics(ctx, id)
	if err != nil {
		g.failed("leads", "", "the campaign's lead counts (campaigns/analytics)", err)
		return
	}
	g.leads = &leadsRead{row: a}
}

func (g *gather) loadSubsequences(ctx context.Context, parent string) {
	name := "subs:" + strings.ToLower(parent)
	if v, at, ok := g.cached(name, subsTTL); ok {
		g.subs = &subsequencesRead{items: v.([]instantly.SubsequenceInfo)}
		g.noteCached("subsequences", "the campaign's subsequence list", at)
		return
	}
	if !g.spend("subsequences", "the subsequence list") {
		return
	}
	p, err := g.c.ListSubsequences(ctx, parent, 100, "")
	if err != nil {
		g.failed("subsequences", "subsequences:read", "the campaign's subsequences", err)
		return
	}
	g.subs = &subsequencesRead{items: p.Items}
	g.store(name, p.Items)
}

// needsSenders: the codes whose concrete cause is in the sending accounts.
func needsSenders(code string) bool {
	switch code {
	case instantly.StatusAllAccountsUnhealthy, instantly.StatusCampaignAccountsUnhealthy,
		instantly.StatusNoAccountsAvailable, instantly.StatusAccountDailyLimitMet,
		instantly.StatusCampaignAccountSuspended, instantly.StatusCampaignDraft,
		instantly.StatusWaitingForESPMatch, instantly.StatusCampaignBounceProtect:
		return true
	}
	return false
}

func needsDaily(code string) bool {
	return code == instantly.StatusAccountDailyLimitMet || code == instantly.StatusCampaignBounceProtect
}

func needsVitals(code string) bool {
	switch code {
	case instantly.StatusAllAccountsUnhealthy, instantly.StatusCampaignAccountsUnhealthy,
		instantly.StatusCampaignAccountSuspended:
		return true
	}
	return false
}

// second is the round the code asks for once the status and the campaign
// are known: the checks that need only the status code, and those that
// need the senders, side by side.
func (g *gather) second(ctx context.Context, code string, st *instantly.SendingStatus) {
	var wg sync.WaitGroup
	g.spawn(&wg, func() { g.statusStage(ctx, code, st) })
	g.senderStage(ctx, code, st)
	wg.Wait()
}

// statusStage runs the checks that need only the status code: who paused
// the campaign, its subsequences and their statuses.
func (g *gather) statusStage(ctx context.Context, code string, st *instantly.SendingStatus) {
	var wg sync.WaitGroup
	if code == instantly.StatusCampaignRunningSubsequences && g.kind == "campaign" {
		g.spawn(&wg, func() {
			if g.subsIn != nil {
				<-g.subsIn // asked early, on a list's hint, with their statuses
				return
			}
			g.loadSubsequences(ctx, g.id)
			g.loadSubsequenceStatuses(ctx)
		})
	}
	if code == instantly.StatusCampaignPaused && g.kind == "campaign" {
		g.spawn(&wg, func() { g.loadPauseRecords(ctx, st) })
	}
	wg.Wait()
}

// senderStage runs what needs the campaign and the first accounts page:
// more accounts, per-account counts, the tags' names, the other campaigns
// of the senders, vitals.
func (g *gather) senderStage(ctx context.Context, code string, st *instantly.SendingStatus) {
	var wg sync.WaitGroup
	more := needsSenders(code) && g.campaign != nil && g.pool.first != nil && !g.pool.all
	var daily []string
	if needsDaily(code) && g.campaign != nil {
		daily = g.senderList()
		if len(daily) > instantly.MaxDailyAnalyticsEmails {
			daily = daily[:instantly.MaxDailyAnalyticsEmails]
		}
	}
	var tags []string
	if needsSenders(code) && g.campaign != nil {
		tags = g.unlabeledTags()
	}
	vitals := needsVitals(code) && g.campaign != nil
	if g.dailyIn != nil && needsDaily(code) && g.campaign != nil {
		<-g.dailyIn // asked early, on a list's hint, for the listed senders
		// They serve only the senders the campaign lists now (none: they
		// serve nothing); bounce protect's seven days hold today's counts
		// too.
		if r := g.daily; r != nil && sameSet(r.senders, daily) && (r.code == code || r.code == instantly.StatusCampaignBounceProtect) {
			daily = nil
		} else {
			g.daily = nil
		}
	}
	if code == instantly.StatusAccountDailyLimitMet && g.campaign != nil && g.pool.first != nil {
		// The other campaigns of the senders take what the budget leaves
		// after one request for each other check of this stage, reserved
		// before those start, so that the goroutines' order does not decide.
		others := 0
		for _, planned := range []bool{more, len(daily) > 0, len(tags) > 0, vitals} {
			if planned {
				others++
			}
		}
		var ask []string
		for _, e := range g.mappingCandidates(maxMappingLookups) {
			if !g.cachedMappings(e) { // read minutes ago: no request
				ask = append(ask, e)
			}
		}
		n := max(0, min(len(ask), int(g.budget.left.Load())-others))
		for _, e := range ask[:n] {
			if !g.spend("shared_quota", "the campaigns of "+e) {
				break
			}
			g.spawn(&wg, func() { g.loadMappings(ctx, e) })
		}
	}
	if more {
		g.spawn(&wg, func() { g.moreAccounts(ctx) })
	}
	if len(daily) > 0 {
		g.spawn(&wg, func() { g.loadDaily(ctx, code, daily) })
	}
	if len(tags) > 0 {
		g.spawn(&wg, func() { g.loadTagLabels(ctx, tags) })
	}
	if vitals && g.vitalsIn != nil {
		<-g.vitalsIn // the listed senders' domains, asked early on a list's hint, are in the cache now
	}
	if vitals {
		// The domains of every sender known now (not only of those in
		// error, which may need another page): one request either way, and
		// no extra round trip.
		g.spawn(&wg, func() { g.loadVitals(ctx) })
	}
	wg.Wait()
}

func (g *gather) loadDaily(ctx context.Context, code string, emails []string) {
	if !g.spend("sent_today", "per-account counts") {
		return
	}
	end := g.now.UTC()
	start := end
	if code == instantly.StatusCampaignBounceProtect {
		start = end.AddDate(0, 0, -6)
	}
	rows, err := g.c.GetAccountDailyAnalytics(ctx, emails, start.Format("2006-01-02"), end.Format("2006-01-02"))
	if err != nil {
		g.failed("sent_today", "", "per-account daily counts (accounts/analytics/daily)", err)
		return
	}
	g.daily = &dailyRead{rows: rows, senders: emails, code: code}
}

// maxSubsequenceStatuses bounds the subsequence statuses one diagnosis reads.
const maxSubsequenceStatuses = 3

func (g *gather) loadSubsequenceStatuses(ctx context.Context) {
	if g.subs == nil {
		return
	}
	g.subs.status = map[string]*instantly.SendingStatus{}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, s := range g.subs.items {
		if i >= maxSubsequenceStatuses {
			n := len(g.subs.items) - i
			g.note("subsequences", false, "%d more %s not checked (at most %d per diagnosis)", n, plural(float64(n), "subsequence", "subsequences"), maxSubsequenceStatuses)
			break
		}
		if !g.spend("subsequences", "subsequence "+s.ID) {
			break
		}
		g.spawn(&wg, func() {
			st, err := g.c.GetSubsequenceSendingStatus(ctx, s.ID, nil)
			if err != nil {
				g.failed("subsequences", "subsequences:read", "the sending status of subsequence "+s.ID, err)
				return
			}
			mu.Lock()
			g.subs.status[s.ID] = st
			mu.Unlock()
		})
	}
	wg.Wait()
}

// maxVitalsDomains bounds the domains of one vitals test.
const maxVitalsDomains = 50

// loadVitals tests the DNS of the senders' domains (MX, SPF, DKIM, DMARC).
func (g *gather) loadVitals(ctx context.Context) {
	var emails []string
	for _, s := range g.senders() {
		emails = append(emails, s.email)
	}
	g.vitalsOf(ctx, emails, true)
}

// vitalsOf tests the domains of emails, the first address of each and at
// most maxVitalsDomains of them; keep makes the result the diagnosis's
// (else it only goes to the cache: a hint's senders).
func (g *gather) vitalsOf(ctx context.Context, emails []string, keep bool) {
	if len(emails) == 0 {
		return
	}
	// Domains tested by an earlier diagnosis of this workspace are reused.
	out := &instantly.AccountVitals{Status: "success"}
	add := func(v instantly.DomainVitals) {
		if v.AllPass && len(v.Failing()) == 0 {
			out.SuccessList = append(out.SuccessList, v)
		} else {
			out.FailureList = append(out.FailureList, v)
		}
	}
	var ask []string
	reused, oldest := 0, g.now
	seen := map[string]bool{}
	for _, e := range emails {
		_, dom, _ := strings.Cut(e, "@")
		if seen[dom] {
			continue // senders often share a domain: test it once
		}
		if len(seen) == maxVitalsDomains {
			break
		}
		seen[dom] = true
		if v, at, ok := g.cached("vitals:"+dom, vitalsTTL); ok {
			add(v.(instantly.DomainVitals))
			reused++
			oldest = minTime(oldest, at)
		} else {
			ask = append(ask, e)
		}
	}
	if len(ask) > 0 {
		if !g.spend("vitals", "DNS checks") {
			return
		}
		v, err := g.c.TestAccountVitals(ctx, ask)
		if err != nil {
			g.failed("vitals", "accounts:read", "the sending domains' DNS vitals", err)
			return
		}
		for _, l := range [][]instantly.DomainVitals{v.SuccessList, v.FailureList} {
			for _, d := range l {
				add(d)
				g.store("vitals:"+strings.ToLower(d.Domain), d)
			}
		}
	}
	// Only the diagnosis's own read says what it reused: an early read for
	// the cache (a hint's) would say it a second time.
	if keep {
		if reused > 0 {
			g.noteCached("vitals", fmt.Sprintf("DNS checks of %d sending %s", reused, plural(float64(reused), "domain", "domains")), oldest)
		}
		g.vitals = out
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
