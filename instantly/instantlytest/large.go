package instantlytest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/demo"
)

// largeSegments are the audiences of LargeWorkspace campaign names.
var largeSegments = []string{
	"SaaS founders (US)", "Agency owners (UK)", "RevOps leaders", "Fintech CFOs (EU)",
	"E-commerce brands", "Healthcare IT directors", "Logistics VPs", "HR Tech buyers (DACH)",
	"Real estate brokers", "Series A CEOs", "Marketing managers", "CTOs – mid-market",
	"Recruiting – Go engineers", "Podcast hosts", "Shopify agencies", "Sales ops managers",
}

// largeBag is the mix of codes LargeWorkspace draws from, without
// replacement, refilling when empty: every run of len(largeBag) campaigns has
// each code, most of them healthy.
var largeBag = func() []string {
	bag := []string{"", WarmupInProgress}
	for range 6 {
		bag = append(bag, instantly.StatusHealthy)
	}
	for _, c := range instantly.StatusCodes {
		if c != instantly.StatusHealthy {
			bag = append(bag, c)
		}
	}
	return bag
}()

// LargeWorkspace returns a workspace of n generated campaigns named
// "Campaign 0001 – <audience>", ..., for pagination, overview and load tests.
// Their codes cycle through every documented code (most are healthy), plus a
// campaign with no data and one with WarmupInProgress in every
// len(largeBag)=25 campaigns; their numbers agree with their code like the
// demo's. The list order is the name order. The same n, now and seed give
// byte-identical responses. It has no subsequences.
func LargeWorkspace(n int, now time.Time, seed int64) *Workspace {
	r := rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
	w := demo.NewWorkspace()
	var bag []string
	const baseMillis = 0x019a_0000_0000 // UUIDv7 timestamps, late 2025
	for i := range max(n, 0) {
		if len(bag) == 0 {
			bag = append(bag, largeBag...)
			r.Shuffle(len(bag), func(a, b int) { bag[a], bag[b] = bag[b], bag[a] })
		}
		code := bag[len(bag)-1]
		bag = bag[:len(bag)-1]

		ms := uint64(baseMillis) + uint64(i)*60_000 + uint64(r.IntN(60_000))
		id := fmt.Sprintf("%08x-%04x-7%03x-%x%03x-%012x",
			ms>>16, ms&0xffff, r.Uint32()&0xfff, 8|r.IntN(4), r.Uint32()&0xfff, r.Uint64()&0xffff_ffff_ffff)
		name := fmt.Sprintf("Campaign %04d – %s", i+1, largeSegments[r.IntN(len(largeSegments))])
		w.AddGenerated(id, name, code, r, now)
	}
	return w
}
