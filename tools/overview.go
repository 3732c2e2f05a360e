package tools

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/prompts"
)

// Limits of the sending overview.
const (
	// DefaultOverviewMax is how many campaigns an overview checks unless told
	// otherwise.
	DefaultOverviewMax = 200
	// OverviewHardCap is the most campaigns one overview checks: 1,000
	// status calls take about 12 s within Instantly's 100 requests/s.
	OverviewHardCap = 1000
	// DefaultOverviewWorkers is how many sending statuses are fetched at
	// once. The client's per-key rate limiter, not this number, keeps the
	// overview within Instantly's limits; enough workers keep the limiter's
	// budget busy while answers are on their way.
	DefaultOverviewWorkers = 16
	// DefaultOverviewRetryPause is the pause before campaigns that failed
	// on a transient error (429, 5xx, network) are tried once more.
	DefaultOverviewRetryPause = time.Second

	overviewPageSize = 100
	// overviewMaxPages bounds the listing: past 10,000 matching campaigns
	// the count is "more than".
	overviewMaxPages = 100
	// maxRetryAfterWait is the longest Retry-After the overview waits out
	// before its retry pass; beyond it the campaigns are reported failed.
	maxRetryAfterWait = 5 * time.Second
)

// OverviewOptions select the campaigns of BuildOverview.
type OverviewOptions struct {
	// Status is a campaign status name (see ParseCampaignStatusFilter), or
	// "all"; "" means "active".
	Status string
	// Search keeps the campaigns whose name contains it.
	Search string
	// MaxCampaigns is how many campaigns to check at most: 0 means
	// DefaultOverviewMax, more than OverviewHardCap is lowered to it (with a
	// note), negative is an error.
	MaxCampaigns int
	// MaxName is how the cap is called in the note when it is hit
	// ("max_campaigns" by default; the command line says "-max").
	MaxName string
	// Workers is how many statuses are fetched at once (default
	// DefaultOverviewWorkers).
	Workers int
	// RetryPause is the pause before the retry pass (default
	// DefaultOverviewRetryPause).
	RetryPause time.Duration
	// Progress, when set, is called from a single goroutine each time a few
	// more campaigns are done (checked or given up), with how many are done
	// and how many will be checked (0 while the campaigns are still being
	// listed). done only grows.
	Progress func(done, total int)
}

// OverviewCampaign is one checked campaign of an overview.
type OverviewCampaign struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// CampaignStatus is the campaign's status name (active, paused, ...).
	CampaignStatus string `json:"campaign_status"`
	// Status is Instantly's sending-status code, "" when it has no data yet.
	Status   string `json:"status"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
	Headline string `json:"headline"`
	// IssueFirstSeenAt is when Instantly first saw the current issue.
	IssueFirstSeenAt string `json:"issue_first_seen_at,omitempty"`

	brief string // the headline without its severity lead, for the text
}

// OverviewFailure is a campaign whose sending status could not be read.
type OverviewFailure struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	CampaignStatus string `json:"campaign_status"`
	Error          string `json:"error"`

	err error
}

// OverviewCounts are the sizes of the groups.
type OverviewCounts struct {
	ActionRequired int `json:"action_required"`
	Waiting        int `json:"waiting"`
	OK             int `json:"ok"`
	Unknown        int `json:"unknown"`
	Failed         int `json:"failed"`
	// NotChecked are matching campaigns left out: over the cap, or not
	// reached before a cancellation or a listing failure.
	NotChecked int `json:"not_checked"`
}

// OverviewFilter echoes what was asked.
type OverviewFilter struct {
	Status       string `json:"status"`
	Search       string `json:"search"`
	MaxCampaigns int    `json:"max_campaigns"`
}

// Overview is the sending status of every campaign that matched, grouped by
// severity. It is the structured content of get_sending_overview and what the
// overview command prints.
type Overview struct {
	Filter OverviewFilter `json:"filter"`
	// Matched is how many campaigns match the filter; a lower bound when
	// MatchedMore is set (the listing stopped early).
	Matched     int  `json:"matched"`
	MatchedMore bool `json:"matched_more"`
	// Checked is how many sending statuses were read (the four groups).
	Checked int `json:"checked"`
	// Capped is set when more campaigns matched than were checked because
	// of MaxCampaigns.
	Capped bool `json:"capped"`
	// Complete is set when every matching campaign was checked.
	Complete       bool               `json:"complete"`
	Counts         OverviewCounts     `json:"counts"`
	ActionRequired []OverviewCampaign `json:"action_required"`
	Waiting        []OverviewCampaign `json:"waiting"`
	OK             []OverviewCampaign `json:"ok"`
	Unknown        []OverviewCampaign `json:"unknown"`
	Failed         []OverviewFailure  `json:"failed"`
	Notes          []string           `json:"notes"`

	listErr error // a page after the first failed
	ctxErr  error // cancelled or out of time
}

// Err says why the overview is incomplete through no choice of the caller:
// the first campaign that could not be checked, a listing that failed
// part-way, or the cancellation. nil when only the cap left campaigns out.
func (o *Overview) Err() error {
	switch {
	case len(o.Failed) > 0:
		return o.Failed[0].err
	case o.listErr != nil:
		return o.listErr
	default:
		return o.ctxErr
	}
}

// AllFailed reports whether campaigns matched but not one could be checked
// because of errors; the overview then says nothing useful.
func (o *Overview) AllFailed() bool {
	return o.Checked == 0 && len(o.Failed) > 0
}

// Worst is the most severe group with a campaign in it, in the order
// action_required, unknown, waiting, ok; "" when nothing was checked.
func (o *Overview) Worst() string {
	switch {
	case o.Counts.ActionRequired > 0:
		return string(prompts.SeverityActionRequired)
	case o.Counts.Unknown > 0:
		return string(prompts.SeverityUnknown)
	case o.Counts.Waiting > 0:
		return string(prompts.SeverityWaiting)
	case o.Counts.OK > 0:
		return string(prompts.SeverityOK)
	}
	return ""
}

// checkResult is the outcome of one sending-status call.
type checkResult struct {
	c   instantly.Campaign
	st  *instantly.SendingStatus
	err error
}

// BuildOverview lists every campaign that matches o (all pages), and reads the
// sending status of the first o.MaxCampaigns of them with o.Workers calls at
// once. Every call goes through c, whose per-key rate limiter keeps the list
// and status calls together within Instantly's limits. Campaigns that fail
// on a transient error are tried once more after a pause; those that still
// fail are listed in Failed. When ctx ends, no further call is started and
// the overview says what was checked. It returns an error only for invalid
// options, a first page that could not be listed, or a ctx that ended before
// anything was checked.
func BuildOverview(ctx context.Context, c *instantly.Client, o OverviewOptions, now time.Time) (*Overview, error) {
	statusNum, statusName, err := ParseCampaignStatusFilter(cmp.Or(strings.TrimSpace(o.Status), "active"))
	if err != nil {
		return nil, err
	}
	search, err := checkSearch(o.Search)
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
		step:     5,
	}
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	r.finish(maxName)
	return r.ov, nil
}

type overviewRun struct {
	client   *instantly.Client
	opts     instantly.ListCampaignsOptions
	limit    int
	workers  int
	pause    time.Duration
	now      time.Time
	ov       *Overview
	progress func(done, total int)

	// Listing, written by the lister before it closes listed.
	matched  int
	queued   int
	listMore bool

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
	if listErr != nil {
		if r.matched == 0 {
			return listErr
		}
		if ctx.Err() == nil {
			r.ov.listErr = listErr
		}
	}

	// One more pass for the campaigns that failed on something that
	// passes: a 429 storm, a 5xx, a dropped connection.
	if len(r.retry) > 0 && ctx.Err() == nil {
		again := r.retry
		r.retry = nil
		if r.waitBeforeRetry(ctx, again) {
			in := make(chan instantly.Campaign, len(again))
			for _, res := range again {
				in <- res.c
			}
			close(in)
			for res := range r.check(ctx, in, min(r.workers, len(again))) {
				r.record(ctx, res, false)
			}
		} else {
			for _, res := range again {
				r.record(ctx, res, false)
			}
		}
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

// list pages through the matching campaigns, queueing the first r.limit
// (each id once) on jobs, and counting the rest.
func (r *overviewRun) list(ctx context.Context, jobs chan<- instantly.Campaign) error {
	defer close(jobs)
	seen := map[string]bool{}
	opts := r.opts
	for page := 1; ; page++ {
		p, err := r.listPage(ctx, &opts)
		if err != nil {
			r.listMore = true
			return err
		}
		for _, c := range p.Items {
			id := strings.ToLower(c.ID)
			if seen[id] {
				continue
			}
			seen[id] = true
			r.matched++
			if r.queued < r.limit {
				r.queued++
				jobs <- c // buffered for r.limit: never blocks
			}
		}
		if p.NextStartingAfter == "" || len(p.Items) == 0 {
			return nil
		}
		if page >= overviewMaxPages {
			r.listMore = true
			return nil
		}
		opts.StartingAfter = p.NextStartingAfter
	}
}

// listPage is one page, tried up to three times on a transient failure.
func (r *overviewRun) listPage(ctx context.Context, opts *instantly.ListCampaignsOptions) (*instantly.CampaignPage, error) {
	for try := 1; ; try++ {
		p, err := r.client.ListCampaigns(ctx, opts)
		if err == nil || try == 3 || !transient(err) || ctx.Err() != nil {
			return p, err
		}
		if !sleepCtx(ctx, time.Duration(try)*r.pause) {
			return nil, err
		}
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

// record files one result. A transient failure in the first pass is kept for
// the retry pass; a failure caused by ctx ending is "not checked".
func (r *overviewRun) record(ctx context.Context, res checkResult, firstPass bool) {
	if res.err != nil {
		if ctx.Err() != nil {
			return
		}
		if firstPass && transient(res.err) {
			r.retry = append(r.retry, res)
			return
		}
		r.ov.Failed = append(r.ov.Failed, OverviewFailure{
			ID: res.c.ID, Name: res.c.Name, CampaignStatus: CampaignStatusName(res.c.Status),
			Error: ErrorMessage("campaign "+res.c.ID, res.err), err: res.err,
		})
		r.done++
		r.report(false)
		return
	}
	a := Analyze("campaign", res.c.ID, res.st, r.now)
	oc := OverviewCampaign{
		ID: res.c.ID, Name: res.c.Name, CampaignStatus: CampaignStatusName(res.c.Status),
		Status: a.Status, Severity: a.Severity, Title: a.Title, Headline: a.Headline,
		IssueFirstSeenAt: a.IssueFirstSeenAt, brief: brief(a),
	}
	switch prompts.Severity(a.Severity) {
	case prompts.SeverityActionRequired:
		r.ov.ActionRequired = append(r.ov.ActionRequired, oc)
	case prompts.SeverityWaiting:
		r.ov.Waiting = append(r.ov.Waiting, oc)
	case prompts.SeverityOK:
		r.ov.OK = append(r.ov.OK, oc)
	default:
		oc.Severity = string(prompts.SeverityUnknown)
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
		r.progress(r.done, r.total)
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
	return sleepCtx(ctx, wait)
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
			ov.Matched, oneLine(ErrorMessage("the campaign list", ov.listErr))))
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

func ctxReason(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "out of time"
	}
	return "cancelled"
}

// transient reports whether a failed call may succeed if tried again later.
func transient(err error) bool {
	var (
		er *instantly.ErrorResponse
		ne *instantly.NetworkError
		te *instantly.TimeoutError
		rl *instantly.RateLimitError
		re *instantly.ResponseError
	)
	switch {
	case errors.As(err, &er):
		return er.StatusCode == 429 || er.StatusCode >= 500
	case errors.As(err, &re):
		return !errors.Is(err, instantly.ErrResponseTooLarge)
	}
	return errors.As(err, &ne) || errors.As(err, &te) || errors.As(err, &rl)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// brief is the headline without its severity lead (the group says it).
func brief(a Analysis) string {
	if a.Status == "" {
		return "no sending data yet (launched in the last 15 minutes, or never launched)"
	}
	s := a.Title
	if a.Severity != string(prompts.SeverityOK) {
		if f := keyFinding(a); f != "" {
			s += "; " + f
		}
	}
	return s
}

// RenderOverview is the overview as compact markdown: the counts first, then
// each group, worst first. It is the tool's text and what `overview` prints.
func RenderOverview(o *Overview) string {
	var b strings.Builder
	what := "campaigns"
	if o.Filter.Status != CampaignStatusAll {
		what = o.Filter.Status + " campaigns"
	}
	if o.Filter.Search != "" {
		what += fmt.Sprintf(" matching %q", o.Filter.Search)
	}
	fmt.Fprintf(&b, "## Sending overview: %d of %d %s checked\n\n", o.Checked, o.Matched, what)
	if o.Matched == 0 {
		fmt.Fprintf(&b, "No %s in this workspace.\n", what)
		return b.String()
	}
	c := o.Counts
	counts := []string{
		fmt.Sprintf("**%d not sending (action required)**", c.ActionRequired),
		fmt.Sprintf("%d unknown / no data", c.Unknown),
		fmt.Sprintf("%d waiting (normal pacing)", c.Waiting),
		fmt.Sprintf("%d sending", c.OK),
	}
	if c.Failed > 0 {
		counts = append(counts, fmt.Sprintf("%d could not be checked", c.Failed))
	}
	if c.NotChecked > 0 {
		counts = append(counts, fmt.Sprintf("%d not checked", c.NotChecked))
	}
	b.WriteString(strings.Join(counts, " · ") + "\n")
	for _, n := range o.Notes {
		fmt.Fprintf(&b, "\n> %s", n)
	}
	if len(o.Notes) > 0 {
		b.WriteString("\n")
	}

	group := func(title string, list []OverviewCampaign, limit int, line func(OverviewCampaign) string) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n", title, len(list))
		for i, oc := range list {
			if i == limit {
				fmt.Fprintf(&b, "- … and %d more (all are in the structured result)\n", len(list)-limit)
				break
			}
			b.WriteString(line(oc))
		}
	}
	detailed := func(oc OverviewCampaign) string {
		code := "no status yet"
		if oc.Status != "" {
			code = "`" + oc.Status + "`"
		}
		return fmt.Sprintf("- **%s** (`%s`): %s: %s\n", oneLine(oc.Name), oc.ID, code, oneLine(oc.brief))
	}
	group("Not sending: action required", o.ActionRequired, 200, detailed)
	group("Unknown / no data", o.Unknown, 100, detailed)
	group("Waiting: normal pacing, clears by itself", o.Waiting, 50, detailed)
	if len(o.Failed) > 0 {
		fmt.Fprintf(&b, "\n### Could not check (%d)\n", len(o.Failed))
		for i, f := range o.Failed {
			if i == 50 {
				fmt.Fprintf(&b, "- … and %d more\n", len(o.Failed)-50)
				break
			}
			fmt.Fprintf(&b, "- **%s** (`%s`): %s\n", oneLine(f.Name), f.ID, oneLine(f.Error))
		}
	}
	group("Sending", o.OK, 20, func(oc OverviewCampaign) string {
		if oc.Status != instantly.StatusHealthy {
			return fmt.Sprintf("- %s (`%s`): `%s`\n", oneLine(oc.Name), oc.ID, oc.Status)
		}
		return fmt.Sprintf("- %s (`%s`)\n", oneLine(oc.Name), oc.ID)
	})
	if c.ActionRequired+c.Unknown > 0 {
		b.WriteString("\nFor the cause in numbers and the steps to fix one, call get_campaign_sending_status with its id.\n")
	}
	return b.String()
}

// overviewCampaignSchema is one campaign in a group.
const overviewCampaignSchema = `{
        "type": "object",
        "required": ["id", "name", "campaign_status", "status", "severity", "title", "headline"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "campaign_status": {"type": "string", "description": "active, paused, ..."},
          "status": {"type": "string", "description": "Instantly's sending-status code; empty when it has no data yet"},
          "severity": {"type": "string", "enum": ["action_required", "waiting", "ok", "unknown"]},
          "title": {"type": "string"},
          "headline": {"type": "string"},
          "issue_first_seen_at": {"type": "string"}
        }
      }`

func overviewGroupSchema(desc string) string {
	return `{"type": "array", "description": "` + desc + `", "items": ` + overviewCampaignSchema + `}`
}

var sendingOverviewOutputSchema = json.RawMessage(`{
  "type": "object",
  "required": ["filter", "matched", "matched_more", "checked", "capped", "complete", "counts",
    "action_required", "waiting", "ok", "unknown", "failed", "notes"],
  "properties": {
    "filter": {
      "type": "object",
      "required": ["status", "search", "max_campaigns"],
      "properties": {
        "status": {"type": "string"},
        "search": {"type": "string"},
        "max_campaigns": {"type": "integer"}
      }
    },
    "matched": {"type": "integer", "description": "Campaigns that match the filter (a lower bound when matched_more)"},
    "matched_more": {"type": "boolean"},
    "checked": {"type": "integer", "description": "Campaigns whose sending status was read"},
    "capped": {"type": "boolean", "description": "More campaigns matched than max_campaigns"},
    "complete": {"type": "boolean", "description": "Every matching campaign was checked"},
    "counts": {
      "type": "object",
      "required": ["action_required", "waiting", "ok", "unknown", "failed", "not_checked"],
      "properties": {
        "action_required": {"type": "integer"},
        "waiting": {"type": "integer"},
        "ok": {"type": "integer"},
        "unknown": {"type": "integer"},
        "failed": {"type": "integer"},
        "not_checked": {"type": "integer"}
      }
    },
    "action_required": ` + overviewGroupSchema("Not sending: a person must act. Oldest issue first.") + `,
    "waiting": ` + overviewGroupSchema("Normal pacing (limits, schedule, follow-up delays); clears by itself. Oldest issue first.") + `,
    "ok": ` + overviewGroupSchema("Sending.") + `,
    "unknown": ` + overviewGroupSchema("No sending data yet, or a code this server does not know.") + `,
    "failed": {
      "type": "array",
      "description": "Campaigns whose status could not be read, with why",
      "items": {
        "type": "object",
        "required": ["id", "name", "campaign_status", "error"],
        "properties": {
          "id": {"type": "string"},
          "name": {"type": "string"},
          "campaign_status": {"type": "string"},
          "error": {"type": "string"}
        }
      }
    },
    "notes": {"type": "array", "items": {"type": "string"}, "description": "Caps hit, early stops, failures"}
  }
}`)

// GetSendingOverview returns the get_sending_overview tool and its handler.
func GetSendingOverview(getClient ClientFunc, now func() time.Time) (mcp.Tool, server.ToolHandlerFunc) {
	const title = "Which Instantly campaigns are not sending?"
	tool := mcp.NewTool("get_sending_overview",
		mcp.WithDescription("Checks the sending status of every Instantly.ai campaign that matches (by default every active "+
			"campaign) and groups them: not sending and why (action required), waiting (normal pacing: limits, schedule, "+
			"follow-up delays), sending, and no data. Use it when someone asks which campaigns are not sending, for a health "+
			"check of the workspace, or before drilling into one campaign with get_campaign_sending_status. Each campaign "+
			"comes with its name, id, sending-status code and a one-line headline. Checks up to max_campaigns campaigns "+
			"(default 200, at most 1000) within Instantly's rate limits: about 100 campaigns per second. Read-only."),
		mcp.WithToolAnnotation(mcp.ToolAnnotation{
			Title:           title,
			ReadOnlyHint:    mcp.ToBoolPtr(true),
			DestructiveHint: mcp.ToBoolPtr(false),
			IdempotentHint:  mcp.ToBoolPtr(true),
			OpenWorldHint:   mcp.ToBoolPtr(true),
		}),
		mcp.WithString("status",
			mcp.Description("Only campaigns with this campaign status; \"all\" for every status. Default \"active\"."),
			mcp.Enum(statusFilterEnum...),
			mcp.DefaultString("active"),
		),
		mcp.WithString("search",
			mcp.Description("Only campaigns whose name contains this text."),
			mcp.MaxLength(maxSearchLen),
		),
		mcp.WithInteger("max_campaigns",
			mcp.Description(fmt.Sprintf("Check at most this many campaigns, the first in list order. Default %d, at most %d.",
				DefaultOverviewMax, OverviewHardCap)),
			mcp.Min(1), mcp.Max(OverviewHardCap), mcp.DefaultNumber(DefaultOverviewMax),
		),
		mcp.WithRawOutputSchema(sendingOverviewOutputSchema),
		mcp.WithToolTitle(title),
	)

	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		o, errRes := parseOverviewArgs(req.GetArguments())
		if errRes != nil {
			return errRes, nil
		}
		client, err := getClient(ctx)
		if err != nil {
			return ErrorResult("campaigns", err), nil
		}
		o.Progress = progressNotifier(ctx, req)
		ov, err := BuildOverview(ctx, client, o, now())
		if err != nil {
			return ErrorResult("the campaign list", err), nil
		}
		if ov.AllFailed() {
			return mcp.NewToolResultError(fmt.Sprintf("Not one of the %d campaigns could be checked. %s",
				len(ov.Failed), ErrorMessage("campaign "+ov.Failed[0].ID, ov.Failed[0].err))), nil
		}
		return mcp.NewToolResultStructured(ov, RenderOverview(ov)), nil
	}
	return tool, handler
}

func parseOverviewArgs(args map[string]any) (OverviewOptions, *mcp.CallToolResult) {
	var o OverviewOptions
	if v, ok := args["status"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return o, mcp.NewToolResultError(fmt.Sprintf("Argument \"status\" must be a string, one of %s; not %s.",
				strings.Join(statusFilterEnum, ", "), jsonTypeName(v)))
		}
		if strings.TrimSpace(s) != "" {
			if _, _, err := ParseCampaignStatusFilter(s); err != nil {
				return o, mcp.NewToolResultError("Argument \"status\": " + err.Error() + ".")
			}
		}
		o.Status = s
	}
	search, errRes := searchArgument(args)
	if errRes != nil {
		return o, errRes
	}
	o.Search = search
	// Above the hard cap is lowered with a note rather than refused.
	n, errRes := intArgument(args, "max_campaigns", DefaultOverviewMax, 1, 1<<30)
	if errRes != nil {
		return o, mcp.NewToolResultError(fmt.Sprintf("Argument \"max_campaigns\" must be a whole number from 1 to %d.", OverviewHardCap))
	}
	o.MaxCampaigns = n
	return o, nil
}

// progressNotifier sends notifications/progress for the request when the
// client asked for them with a progress token.
func progressNotifier(ctx context.Context, req mcp.CallToolRequest) func(done, total int) {
	if req.Params.Meta == nil || req.Params.Meta.ProgressToken == nil {
		return nil
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return nil
	}
	token := req.Params.Meta.ProgressToken
	return func(done, total int) {
		p := map[string]any{"progressToken": token, "progress": done}
		if total > 0 {
			p["total"] = total
			p["message"] = fmt.Sprintf("Checked %d of %d campaigns", done, total)
		} else {
			p["message"] = fmt.Sprintf("Checked %d campaigns, still listing", done)
		}
		// A client that reads notifications too slowly loses some; the
		// result does not depend on them.
		_ = srv.SendNotificationToClient(ctx, string(mcp.MethodNotificationProgress), p)
	}
}
