package diagnosis

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// classOrder is the order the error classes are fixed in: what one step
// fixes first.
var classOrder = []catalog.ErrorClass{catalog.ErrorCredentials, catalog.ErrorDisabled, catalog.ErrorQuota,
	catalog.ErrorThrottle, catalog.ErrorPolicy, catalog.ErrorUnknown}

// reportBlocking writes the blocking senders: the cause, the senders
// grouped by what holds them (each address once), a step per error class.
func (x *deep) reportBlocking(blocking []BlockingAccount) {
	if len(blocking) == 0 {
		if x.code == instantly.StatusAllAccountsUnhealthy || x.code == instantly.StatusCampaignAccountsUnhealthy {
			x.fact("No sender's account shows an error now: they may have recovered since Instantly's last check.")
		}
		return
	}
	x.a.BlockingAccounts = blocking
	if len(blocking) > maxBlockingShown {
		x.a.BlockingAccounts = blocking[:maxBlockingShown]
	}
	x.cause("%s", blockingSummary(blocking, x.facts.Attached))
	byClass := map[catalog.ErrorClass][]BlockingAccount{}
	var held []BlockingAccount
	for _, b := range blocking {
		if b.ErrorClass != "" {
			byClass[catalog.ErrorClass(b.ErrorClass)] = append(byClass[catalog.ErrorClass(b.ErrorClass)], b)
		} else {
			held = append(held, b)
		}
	}
	steps := 0
	for _, c := range classOrder {
		bs := byClass[c]
		if len(bs) == 0 {
			continue
		}
		x.fact("%s: %s%s.", emailsOf(bs, 3), catalog.ClassWords(c), quotedDetails(bs))
		if steps < 3 {
			x.step("fix", "%s", catalog.ClassStep(c, emailsOf(bs, 3)))
			steps++
		}
	}
	x.heldFacts(held)
}

// heldFacts groups the senders held by a limit or a state.
func (x *deep) heldFacts(held []BlockingAccount) {
	groups := map[string][]BlockingAccount{}
	var order []string
	for _, b := range held {
		if strings.HasPrefix(b.Problem, "waiting for its minimum gap") && x.gapWait != nil {
			continue // the answer names the one that sends first
		}
		if groups[b.Problem] == nil {
			order = append(order, b.Problem)
		}
		groups[b.Problem] = append(groups[b.Problem], b)
	}
	for _, p := range order {
		bs := groups[p]
		switch {
		case p == "at its daily limit" && len(bs) > 2:
			x.fact("%d senders at their daily limit (%s).", len(bs), strings.TrimSuffix(bs[0].Detail, ", UTC day"))
		case p == "held by slow ramp":
			var parts []string
			for _, b := range bs {
				n, _, _ := strings.Cut(b.Detail, ":")
				parts = append(parts, n)
			}
			x.fact("%s: held lower by Campaign Slow Ramp (%s).", emailsOf(bs, 3), strings.Join(parts, "; "))
		default:
			x.fact("%s: %s%s.", emailsOf(bs, 3), strings.ReplaceAll(p, "its ", "their "), quotedDetails(bs))
			if strings.Contains(p, "suspended") || strings.Contains(p, "banned") {
				x.step("fix", `Replace %s under the campaign's "Options": Instantly shows %s.`, emailsOf(bs, 3), p)
			}
		}
	}
}

// emailsOf lists the senders' addresses, at most n and a count of the rest.
func emailsOf(bs []BlockingAccount, n int) string {
	var out []string
	for i, b := range bs {
		if i == n {
			out = append(out, fmt.Sprintf("%d more", len(bs)-n))
			break
		}
		out = append(out, b.Email)
	}
	return strings.Join(out, ", ")
}

// moreInfo is the provider's pointer to its help ("For more information
// …"), which adds nothing a person acts on.
var moreInfo = regexp.MustCompile(`(?i)[.;]?\s*(for more information|to learn more)\b.*$`)

// quotedDetails are the senders' distinct error texts, quoted and short,
// and whether automatic reconnection failed.
func quotedDetails(bs []BlockingAccount) string {
	var quotes []string
	failed := false
	for _, b := range bs {
		for _, part := range strings.Split(b.Detail, "; ") {
			if part == "automatic reconnection failed" {
				failed = true
				continue
			}
			part = strings.TrimSpace(moreInfo.ReplaceAllString(part, ""))
			if q := fmt.Sprintf("%q", trimWords(part, 80)); part != "" && !slices.Contains(quotes, q) && !strings.HasPrefix(part, "sent today") {
				quotes = append(quotes, q)
			}
		}
	}
	s := ""
	if len(quotes) > 0 && bs[0].ErrorClass != "" {
		s = " (" + strings.Join(quotes, "; ") + ")"
	}
	if failed {
		s += "; automatic reconnection failed"
	}
	return s
}

// trimWords cuts s to at most n bytes at a word boundary, with "…".
func trimWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndex(s[:n], " ")
	if cut < n/2 {
		cut = n
	}
	return strings.TrimRight(s[:cut], " ,.;:") + " …"
}

// blockingSummary is the cause: how many senders cannot send, and why,
// without naming them (the evidence does, once).
func blockingSummary(b []BlockingAccount, attached *int) string {
	counts := map[string]int{}
	var order []string
	for _, x := range b {
		p := x.Problem
		if x.ErrorClass != "" {
			p = classSummary[catalog.ErrorClass(x.ErrorClass)]
		} else {
			p, _, _ = strings.Cut(p, ",")
		}
		if counts[p] == 0 {
			order = append(order, p)
		}
		counts[p]++
	}
	parts := make([]string, len(order))
	for i, p := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[p], p)
		if counts[p] > 1 {
			parts[i] = fmt.Sprintf("%d %s", counts[p], strings.ReplaceAll(p, "its ", "their "))
		}
		if len(b) == 1 {
			parts[i] = p
		}
	}
	who := fmt.Sprintf("%d %s", len(b), plural(float64(len(b)), "sender", "senders"))
	switch {
	case attached != nil && *attached == len(b) && len(b) > 1:
		who = fmt.Sprintf("none of its %d senders can send", len(b))
		return who + ": " + strings.Join(parts, ", ")
	case attached != nil && *attached > len(b):
		who = fmt.Sprintf("%d of its %d senders", len(b), *attached)
	}
	return who + " cannot send: " + strings.Join(parts, ", ")
}

// classSummary is each error class as the cause counts it.
var classSummary = map[catalog.ErrorClass]string{
	catalog.ErrorCredentials: "lost its login",
	catalog.ErrorQuota:       "at its provider's daily sending limit",
	catalog.ErrorThrottle:    "slowed down by its provider",
	catalog.ErrorPolicy:      "blocked by its provider's policy",
	catalog.ErrorDisabled:    "disabled at its provider",
	catalog.ErrorUnknown:     "in error",
}

// vitalsChecks: the DNS of the senders' own domains.
func (x *deep) vitalsChecks(ss []sender) {
	g := x.g
	if g.vitals == nil {
		return
	}
	mine := map[string]bool{}
	for _, s := range ss {
		_, dom, _ := strings.Cut(s.email, "@")
		mine[strings.ToLower(dom)] = true
	}
	failing := 0
	for _, v := range g.vitals.FailureList {
		f := v.Failing()
		if len(f) == 0 || !mine[strings.ToLower(v.Domain)] {
			continue
		}
		failing++
		x.fact("%s fails %s (Instantly's DNS test).", v.Domain, andList(f))
		x.step("dns", "Fix %s for %s at its DNS host.", andList(f), v.Domain)
	}
	if failing == 0 {
		g.note("vitals", true, "the senders' domains pass MX, SPF, DKIM and DMARC")
	} else {
		g.note("vitals", true, "%d sending %s failing DNS checks", failing, plural(float64(failing), "domain", "domains"))
	}
}

// andList is "a, b and c".
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// bounceSenders: the senders' bounces of the last 7 days, which count
// emails of every campaign they send for.
func (x *deep) bounceSenders() {
	bounced := map[string]float64{}
	for _, r := range x.g.dailyRows() {
		bounced[strings.ToLower(r.EmailAccount)] += r.Bounced
	}
	total := 0.0
	for _, n := range bounced {
		total += n
	}
	if total == 0 {
		return
	}
	top := slices.Collect(maps.Keys(bounced))
	sort.Slice(top, func(i, j int) bool {
		return bounced[top[i]] > bounced[top[j]] || bounced[top[i]] == bounced[top[j]] && top[i] < top[j]
	})
	var parts []string
	for _, e := range top[:min(3, len(top))] {
		if bounced[e] > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s)", e, num(bounced[e])))
		}
	}
	x.fact("Its senders bounced %s emails in the last 7 days, most from %s: emails of every campaign they send for, not leads of this one.",
		num(total), strings.Join(parts, ", "))
}
