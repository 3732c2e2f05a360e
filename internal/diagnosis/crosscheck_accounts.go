package diagnosis

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// The accounts a diagnosis reads into its senderPool: the first page of
// the workspace's accounts, the accounts of the campaign's tags, the
// listed senders not seen yet, and the sender set they make.

// accountsPageSize is the largest page GET /api/v2/accounts gives.
const accountsPageSize = 100

func (g *gather) loadFirstAccounts(ctx context.Context) {
	if !g.spend("senders", "sending accounts") {
		return
	}
	p, err := g.c.ListAccounts(ctx, &instantly.ListAccountsOptions{Limit: accountsPageSize, IncludeTags: true})
	if err != nil {
		g.failed("senders", "accounts:read", "the sending accounts", err)
		return
	}
	g.addAccounts(p)
	g.mu.Lock()
	g.pool.first = p
	g.mu.Unlock()
}

func (g *gather) addAccounts(p *instantly.AccountPage) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := range p.Items {
		a := &p.Items[i]
		g.pool.byEmail[strings.ToLower(a.Email)] = a
	}
	g.pool.seen += len(p.Items)
	g.pool.next = p.NextStartingAfter
	g.pool.all = p.NextStartingAfter == ""
}

// senderList is the campaign's email_list, lowercased and without repeats.
func (g *gather) senderList() []string {
	if g.campaign == nil {
		return nil
	}
	return uniqueLower(g.campaign.EmailList)
}

// uniqueLower is emails lowercased and trimmed, without blanks or repeats.
func uniqueLower(emails []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range emails {
		e = strings.ToLower(strings.TrimSpace(e))
		if e != "" && !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// maxAccountPages bounds the extra account pages one diagnosis reads.
const maxAccountPages = 3

// maxDirectLookups is how many missing listed senders are looked up one by
// one (GET /accounts/{email}, in parallel) rather than by paging the list.
const maxDirectLookups = 4

// moreAccounts reads the senders page 1 did not have, in parallel: the
// accounts of the campaign's tags (senders by definition, up to
// maxAccountPages pages), and the listed senders not seen yet, one by one
// when they are few, else by paging on through the whole list.
func (g *gather) moreAccounts(ctx context.Context) {
	var wg sync.WaitGroup
	if tags := g.campaign.EmailTagList; len(tags) > 0 {
		if g.tagsIn != nil {
			<-g.tagsIn // asked early, on a list's hint
		}
		if !sameSet(lowerAll(g.tagsFor), lowerAll(tags)) {
			g.spawn(&wg, func() { g.tagPages(ctx, tags) })
		}
	}
	if g.lookupsIn != nil {
		<-g.lookupsIn // the senders the last diagnosis had to look up, asked early
	}
	missing := g.missingListed()
	switch {
	case len(missing) == 0:
	case len(missing) <= maxDirectLookups:
		g.lookedUp = missing
		for _, e := range missing {
			if !g.spend("senders", "sending account "+e) {
				break
			}
			g.spawn(&wg, func() { g.lookup(ctx, e) })
		}
	default:
		g.spawn(&wg, func() { g.listPages(ctx) })
	}
	wg.Wait()
}

// tagPages reads the accounts of the tags; false when a page could not be
// read (budget, error).
func (g *gather) tagPages(ctx context.Context, tags []string) bool {
	after := ""
	for range maxAccountPages {
		if !g.spend("senders", "more tagged accounts") {
			return false
		}
		p, err := g.c.ListAccounts(ctx, &instantly.ListAccountsOptions{Limit: accountsPageSize, TagIDs: tags, StartingAfter: after, IncludeTags: true})
		if err != nil {
			g.failed("senders", "accounts:read", "the accounts of the campaign's tags", err)
			return false
		}
		g.mu.Lock()
		for i := range p.Items {
			a := &p.Items[i]
			e := strings.ToLower(a.Email)
			g.pool.byEmail[e] = a
			g.pool.tagged[e] = true
		}
		g.mu.Unlock()
		if p.NextStartingAfter == "" {
			g.mu.Lock()
			g.pool.tagsDone = true
			g.mu.Unlock()
			return true
		}
		after = p.NextStartingAfter
	}
	return true
}

// lookup reads one listed sender; a 404 is a finding (the account is gone).
func (g *gather) lookup(ctx context.Context, email string) {
	a, err := g.c.GetAccount(ctx, email)
	var er *instantly.ErrorResponse
	if err != nil && !(errors.As(err, &er) && er.StatusCode == http.StatusNotFound) {
		g.failed("senders", "accounts:read", "sending account "+email, err)
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if err != nil {
		g.pool.gone[email] = true
		return
	}
	g.pool.byEmail[strings.ToLower(a.Email)] = a
}

func (g *gather) listPages(ctx context.Context) {
	for range maxAccountPages {
		g.mu.Lock()
		done, next := g.pool.all, g.pool.next
		g.mu.Unlock()
		if done || len(g.missingListed()) == 0 {
			return
		}
		if !g.spend("senders", "more accounts") {
			return
		}
		p, err := g.c.ListAccounts(ctx, &instantly.ListAccountsOptions{Limit: accountsPageSize, StartingAfter: next, IncludeTags: true})
		if err != nil {
			g.failed("senders", "accounts:read", "the sending accounts", err)
			return
		}
		g.addAccounts(p)
	}
}

// missingListed are the listed senders not read yet.
func (g *gather) missingListed() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for _, e := range g.senderList() {
		if g.pool.byEmail[e] == nil && !g.pool.gone[e] {
			out = append(out, e)
		}
	}
	return out
}

func lowerAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = strings.ToLower(x)
	}
	return out
}

// sameSet: a and b hold the same strings.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		if !m[x] {
			return false
		}
	}
	return true
}

// sender is one account of the campaign's sender set.
type sender struct {
	email  string
	acc    *instantly.Account // nil: not found
	tagged bool
}

// senders is the sender set: email_list, then the accounts carrying one of
// email_tag_list (as far as they were read).
func (g *gather) senders() []sender {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []sender
	seen := map[string]bool{}
	for _, e := range g.senderList() {
		seen[e] = true
		out = append(out, sender{email: e, acc: g.pool.byEmail[e]})
	}
	if g.campaign == nil {
		return out
	}
	tags := map[string]bool{}
	for _, t := range g.campaign.EmailTagList {
		tags[strings.ToLower(t)] = true
	}
	if len(tags) == 0 {
		return out
	}
	for _, e := range slices.Sorted(maps.Keys(g.pool.byEmail)) {
		a := g.pool.byEmail[e]
		tagged := g.pool.tagged[e]
		for _, t := range a.Tags {
			tagged = tagged || tags[strings.ToLower(t.ID)]
		}
		if !tagged {
			continue
		}
		if seen[e] {
			for i := range out {
				if out[i].email == e {
					out[i].tagged = true
				}
			}
			continue
		}
		seen[e] = true
		out = append(out, sender{email: e, acc: a, tagged: true})
	}
	return out
}
