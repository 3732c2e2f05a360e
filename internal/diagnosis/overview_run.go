package diagnosis

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// checkResult is the outcome of one sending-status call.
type checkResult struct {
	c   instantly.Campaign
	st  *instantly.SendingStatus
	err error
}

// BuildOverview lists every campaign that matches o (all pages), and reads the
// sending status of the first o.MaxCampaigns of them with o.Workers calls at
// once. Every call goes through c, whose per-key rate limiter keeps the list
// and status calls together within Instantly's limits. The client retries
// each call; campaigns that still fail on a temporary error are tried once
// more after a pause (and a listing cut short resumes then); those that
// still fail are listed in Failed. When ctx ends, no further call is started and
// the overview says what was checked. It returns an error only for invalid
// options, a first page that could not be listed, or a ctx that ended before
// anything was checked.
func BuildOverview(ctx context.Context, c *instantly.Client, o OverviewOptions, now time.Time) (*Overview, error) {
	statusNum, statusName, live, err := ParseOverviewStatus(o.Status)
	if err != nil {
		return nil, err
	}
	search, err := instantly.CheckSearch(o.Search)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	maxName := cmp.Or(o.MaxName, "max_campaigns")
	limit := o.MaxCampaigns
	notes := []string{}
	switch {
	case limit < 0:
		return nil, fmt.Errorf("%s must be between 1 and %d, got %d", maxName, OverviewHardCap, limit)
	case limit == 0:
		limit = DefaultOverviewMax
	case limit > OverviewHardCap:
		notes = append(notes, fmt.Sprintf("%s %d lowered to the hard cap of %d.", maxName, limit, OverviewHardCap))
		limit = OverviewHardCap
	}
	r := &overviewRun{
		client:  c,
		opts:    instantly.ListCampaignsOptions{Search: search, Status: statusNum, Limit: overviewPageSize},
		limit:   limit,
		live:    live,
		workers: cmp.Or(o.Workers, DefaultOverviewWorkers),
		pause:   cmp.Or(o.RetryPause, DefaultOverviewRetryPause),
		now:     now,
		ov: &Overview{
			Filter:         OverviewFilter{Status: statusName, Search: search, MaxCampaigns: limit},
			ActionRequired: []OverviewCampaign{},
			Waiting:        []OverviewCampaign{},
			OK:             []OverviewCampaign{},
			Unknown:        []OverviewCampaign{},
			Failed:         []OverviewFailure{},
			Notes:          notes,
		},
		progress: o.Progress,
		words:    o.Settings,
		step:     5,
	}
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	r.finish(maxName)
	if o.Deep {
		r.deep(ctx, cmp.Or(o.DeepMax, DefaultOverviewDeepMax), o.Budget)
	}
	return r.ov, nil
}

type overviewRun struct {
	client   *instantly.Client
	opts     instantly.ListCampaignsOptions
	limit    int
	live     bool // leave drafts and completed campaigns out of the listing
	workers  int
	pause    time.Duration
	now      time.Time
	ov       *Overview
	progress func(done, total, failed int)
	words    Settings

	// Listing, written by the lister before it closes its channel. opts
	// holds the cursor, so a listing cut short by a temporary failure
	// resumes in the retry pass where it stopped.
	matched  int
	queued   int
	listMore bool
	pages    int
	seen     map[string]bool

	// statuses of the campaigns that need action, for a deep overview.
	statuses map[string]*instantly.SendingStatus

	// Progress, kept by the collecting goroutine.
	done, total, reported, step int
	retry                       []checkResult
}

// run lists and checks. The lister feeds the workers while it pages on, so
// checking starts with the first page.
func (r *overviewRun) run(ctx context.Context) error {
	jobs := make(chan instantly.Campaign, r.limit)
	listed := make(chan error, 1)
	go func() { listed <- r.list(ctx, jobs) }()

	results := r.check(ctx, jobs, r.workers)
	var listErr error
	for listed != nil || results != nil {
		select {
		case err := <-listed:
			listed, listErr = nil, err
			r.total = r.queued
			r.step = max(5, (r.total+39)/40)
			r.report(false)
		case res, ok := <-results:
			if !ok {
				results = nil
				continue
			}
			r.record(ctx, res, true)
		}
	}
	if listErr != nil && r.matched == 0 {
		return listErr
	}

	// One more pass for what failed on something that passes (a 429
	// storm, a 5xx, a dropped connection) after the client's own retries:
	// the campaigns, and the listing from the page it stopped at.
	resume := listErr != nil && instantly.IsTemporary(listErr)
	if (len(r.retry) > 0 || resume) && ctx.Err() == nil {
		again := r.retry
		r.retry = nil
		if r.waitBeforeRetry(ctx, again) {
			in := make(chan instantly.Campaign, len(again)+r.limit)
			for _, res := range again {
				in <- res.c
			}
			if resume {
				r.listMore = false
				listErr = r.list(ctx, in)
				r.total = r.queued
			} else {
				close(in)
			}
			for res := range r.check(ctx, in, r.workers) {
				r.record(ctx, res, false)
			}
		} else {
			for _, res := range again {
				r.record(ctx, res, false)
			}
		}
	}
	if listErr != nil && ctx.Err() == nil {
		r.ov.listErr = listErr
	}
	r.report(true)
	if err := ctx.Err(); err != nil {
		r.ov.ctxErr = err
		if r.ov.Checked == 0 && len(r.ov.Failed) == 0 {
			return err
		}
	}
	return nil
}

// list pages through the matching campaigns from r.opts's cursor, queueing
// the first r.limit (each id once) on jobs, and counting the rest.
func (r *overviewRun) list(ctx context.Context, jobs chan<- instantly.Campaign) error {
	defer close(jobs)
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	for {
		p, err := r.client.ListCampaigns(ctx, &r.opts) // the client retries
		if err != nil {
			r.listMore = true
			return err
		}
		r.pages++
		for _, c := range p.Items {
			id := strings.ToLower(c.ID)
			if r.seen[id] || (r.live && !liveCampaign(c.Status)) {
				continue
			}
			r.seen[id] = true
			r.matched++
			if r.queued < r.limit {
				r.queued++
				jobs <- c // buffered for r.limit: never blocks
			}
		}
		if p.NextStartingAfter == "" || len(p.Items) == 0 {
			return nil
		}
		if r.pages >= overviewMaxPages {
			r.listMore = true
			return nil
		}
		r.opts.StartingAfter = p.NextStartingAfter
	}
}

// check runs n workers over in; the result channel closes when all are done.
// Once ctx has ended the workers start no more calls.
func (r *overviewRun) check(ctx context.Context, in <-chan instantly.Campaign, n int) <-chan checkResult {
	out := make(chan checkResult, n)
	var wg sync.WaitGroup
	for range max(n, 1) {
		wg.Go(func() {
			for c := range in {
				if ctx.Err() != nil {
					continue // drain: not checked
				}
				st, err := r.client.GetCampaignSendingStatus(ctx, c.ID, nil)
				out <- checkResult{c: c, st: st, err: err}
			}
		})
	}
	go func() { wg.Wait(); close(out) }()
	return out
}

// record files one result. A temporary failure in the first pass is kept for
// the retry pass; a failure caused by ctx ending is "not checked".
func (r *overviewRun) record(ctx context.Context, res checkResult, firstPass bool) {
	if res.err != nil {
		if ctx.Err() != nil {
			return
		}
		if firstPass && instantly.IsTemporary(res.err) {
			r.retry = append(r.retry, res)
			return
		}
		r.ov.Failed = append(r.ov.Failed, OverviewFailure{
			ID: res.c.ID, Name: res.c.Name, CampaignStatus: CampaignStatusName(res.c.Status),
			Error: r.words.ErrorMessage("campaign "+res.c.ID, res.err), err: res.err,
		})
		r.done++
		r.report(false)
		return
	}
	a := Analyze("campaign", res.c.ID, res.st, r.now)
	oc := overviewCampaign(res.c, a)
	switch oc.Severity {
	case catalog.SeverityActionRequired:
		r.ov.ActionRequired = append(r.ov.ActionRequired, oc)
		if r.statuses == nil {
			r.statuses = map[string]*instantly.SendingStatus{}
		}
		r.statuses[res.c.ID] = res.st
	case catalog.SeverityWaiting:
		r.ov.Waiting = append(r.ov.Waiting, oc)
	case catalog.SeverityOK:
		r.ov.OK = append(r.ov.OK, oc)
	default:
		r.ov.Unknown = append(r.ov.Unknown, oc)
	}
	r.ov.Checked++
	r.done++
	r.report(false)
}

// report calls Progress every few campaigns, and at the end.
func (r *overviewRun) report(final bool) {
	if r.progress == nil || r.done == r.reported {
		return
	}
	if final || r.done-r.reported >= r.step || (r.total > 0 && r.done == r.total) {
		r.reported = r.done
		r.progress(r.done, r.total, len(r.ov.Failed))
	}
}

// waitBeforeRetry pauses before the retry pass: the longer of the pause and
// the longest Retry-After seen. A Retry-After beyond maxRetryAfterWait means
// Instantly wants a longer break than a person should wait: no retry.
func (r *overviewRun) waitBeforeRetry(ctx context.Context, failed []checkResult) bool {
	wait := r.pause
	for _, res := range failed {
		var er *instantly.ErrorResponse
		if errors.As(res.err, &er) && er.RetryAfter > 0 {
			if er.RetryAfter > maxRetryAfterWait {
				return false
			}
			wait = max(wait, er.RetryAfter)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	<-wctx.Done()
	return ctx.Err() == nil
}

// finish sorts the groups, counts, and writes the notes.
func (r *overviewRun) finish(maxName string) {
	ov := r.ov
	ov.Matched, ov.MatchedMore = r.matched, r.listMore
	byIssueAge := func(a, b OverviewCampaign) int {
		// Oldest issue first; no date last; then by name.
		switch {
		case a.IssueFirstSeenAt != "" && b.IssueFirstSeenAt == "":
			return -1
		case a.IssueFirstSeenAt == "" && b.IssueFirstSeenAt != "":
			return 1
		}
		return cmp.Or(cmp.Compare(a.IssueFirstSeenAt, b.IssueFirstSeenAt), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	}
	byName := func(a, b OverviewCampaign) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(ov.ActionRequired, byIssueAge)
	slices.SortFunc(ov.Waiting, byIssueAge)
	slices.SortFunc(ov.Unknown, byName)
	slices.SortFunc(ov.OK, byName)
	slices.SortFunc(ov.Failed, func(a, b OverviewFailure) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	ov.Counts = OverviewCounts{
		ActionRequired: len(ov.ActionRequired), Waiting: len(ov.Waiting), OK: len(ov.OK),
		Unknown: len(ov.Unknown), Failed: len(ov.Failed),
	}
	for _, oc := range ov.ActionRequired {
		switch oc.PausedBy {
		case PausedByPerson:
			ov.Counts.PausedByPerson++
		case PausedByInstantly:
			ov.Counts.PausedByInstantly++
		}
	}
	ov.Counts.NotChecked = max(0, ov.Matched-ov.Checked-len(ov.Failed))
	ov.Capped = r.matched > r.queued
	ov.Complete = ov.Counts.NotChecked == 0 && len(ov.Failed) == 0 && !ov.MatchedMore

	matched := fmt.Sprint(ov.Matched)
	if ov.MatchedMore {
		matched = "more than " + matched
	}
	if ov.ctxErr != nil {
		ov.Notes = append(ov.Notes, fmt.Sprintf("Stopped early (%s): %d of %s matching campaigns checked; ask again for the rest.",
			ctxReason(ov.ctxErr), ov.Checked, matched))
	}
	if ov.listErr != nil {
		ov.Notes = append(ov.Notes, fmt.Sprintf("Listing the campaigns failed after %d of them: %s",
			ov.Matched, oneLine(r.words.ErrorMessage("the campaign list", ov.listErr))))
	} else if ov.MatchedMore {
		ov.Notes = append(ov.Notes, fmt.Sprintf("Only the first %d matching campaigns were counted; narrow with search.", ov.Matched))
	}
	if ov.Capped {
		ov.Notes = append(ov.Notes, fmt.Sprintf("Checked the first %d of %s matching campaigns; raise %s (at most %d) or narrow with search.",
			r.queued, matched, maxName, OverviewHardCap))
	}
	if n := len(ov.Failed); n > 0 {
		ov.Notes = append(ov.Notes, fmt.Sprintf("%d %s could not be checked (listed under \"Could not check\"); try those again in a minute.",
			n, plural(float64(n), "campaign", "campaigns")))
	}
}

// overviewDeepWorkers is how many campaigns a deep overview cross-checks at once.
const overviewDeepWorkers = 4

// deep cross-checks the first n campaigns that need action (oldest issue
// first) and puts each one's concrete cause in its headline.
func (r *overviewRun) deep(ctx context.Context, most, budget int) {
	ov := r.ov
	n := min(most, len(ov.ActionRequired))
	sem := make(chan struct{}, overviewDeepWorkers)
	facts := NewFactCache() // one audit-log read, one vitals test per domain, ... for all of them
	var wg sync.WaitGroup
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		oc := &ov.ActionRequired[i]
		st := r.statuses[oc.ID]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			res := BuildStatusResult("campaign", oc.ID, st, r.now)
			CrossCheckStatusWith(ctx, r.client, &res, st, budget, r.now, r.words, facts)
			a := res.Analysis
			oc.Answer, oc.Headline, oc.Summary = a.Answer, a.Headline, oneLineAnswer(a)
			oc.NextSendAt, oc.NextSendTimezone, oc.BlockingAccounts = a.NextSendAt, a.NextSendTimezone, a.BlockingAccounts
		})
	}
	wg.Wait()
	ov.CrossChecked = n
	if len(ov.ActionRequired) > 0 {
		ov.Notes = append(ov.Notes, fmt.Sprintf("Deep: cross-checked %d of %d campaigns that need action (at most %d per overview, up to %d requests each).",
			n, len(ov.ActionRequired), most, cmp.Or(budget, DefaultCrossCheckBudget)))
	}
}

func ctxReason(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "out of time"
	}
	return "cancelled"
}
