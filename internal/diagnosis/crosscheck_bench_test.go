package diagnosis_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// BenchmarkDeepDiagnosis compares a deep diagnosis, cold (nothing cached)
// and warm (the slow-changing facts cached by an earlier diagnosis), with
// the one-request answer against an upstream that takes 20 ms per request,
// for every code.
// The client's rate limit is raised so that only the round trips count.
//
//	go test ./internal/diagnosis -run '^$' -bench DeepDiagnosis -benchtime 20x
func BenchmarkDeepDiagnosis(b *testing.B) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	h := instantlytest.NewHandler(ws, instantlytest.WithLatency(20*time.Millisecond))
	c, err := instantly.NewClient(instantlytest.DemoAPIKey, instantly.WithBaseURL("http://demo.invalid"),
		instantly.WithHTTPClient(&http.Client{Transport: instantlytest.NewTransport(h)}), instantly.WithRateLimits(10000, 600000))
	if err != nil {
		b.Fatal(err)
	}
	for _, code := range instantly.StatusCodes {
		e := entryOf(code)
		for _, mode := range []string{"status_only", "deep", "deep_after_list", "deep_warm"} {
			b.Run(code+"/"+mode, func(b *testing.B) {
				o := diagnosis.DiagnoseOptions{CrossCheck: mode != "status_only"}
				var hints []instantly.Campaign
				if mode == "deep_after_list" {
					// The campaign was just listed (list_campaigns): its
					// status hints which checks to start early. Each
					// diagnosis gets a cache holding only the list.
					page, err := c.ListCampaigns(context.Background(), &instantly.ListCampaignsOptions{Limit: 100})
					if err != nil {
						b.Fatal(err)
					}
					hints = page.Items
				}
				if mode == "deep_warm" {
					// One diagnosis before fills the cache of slow-changing
					// facts (vitals, tag names, mappings, subsequence list,
					// audit-log pauses), as a second question within minutes
					// finds it.
					o.Cache = diagnosis.NewFactCache()
					if _, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, o, fixedNow); err != nil {
						b.Fatal(err)
					}
				}
				h.Reset()
				for b.Loop() {
					if hints != nil {
						o.Cache = diagnosis.NewFactCache()
						o.Cache.RememberCampaigns(c.KeyHash(), hints, fixedNow)
					}
					if _, err := diagnosis.Diagnose(context.Background(), c, e.Kind, e.ID, o, fixedNow); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(h.Requests()))/float64(b.N), "requests/op")
			})
		}
	}
}

// The request count of a deep diagnosis per code, and its rounds (requests
// that had to wait for an earlier answer): the table of the notes.
func TestRequestCountPerCode(t *testing.T) {
	ws := instantlytest.DemoWorkspace(fixedNow)
	var table strings.Builder
	fmt.Fprintf(&table, "\n| code | kind | requests | endpoints |\n|---|---|---|---|\n")
	for _, e := range instantlytest.DemoCampaigns {
		if e.Code == "" || e.Code == instantlytest.WarmupInProgress {
			continue
		}
		c, h := demoClient(t, ws)
		diagnose(t, c, e, true, 0)
		reqs := h.Requests()
		if len(reqs) > diagnosis.DefaultCrossCheckBudget {
			t.Errorf("%s: %d requests, budget %d", e.Code, len(reqs), diagnosis.DefaultCrossCheckBudget)
		}
		var eps []string
		for _, r := range reqs {
			p := r.Path
			for _, id := range []string{e.ID, e.ParentCampaignID} {
				if id != "" {
					p = strings.ReplaceAll(p, id, "{id}")
				}
			}
			if strings.HasPrefix(p, "/api/v2/subsequences/") && strings.HasSuffix(p, "/sending-status") && !strings.Contains(p, "{id}") {
				p = "/api/v2/subsequences/{sub}/sending-status"
			}
			eps = append(eps, r.Method+" "+strings.TrimPrefix(p, "/api/v2"))
		}
		fmt.Fprintf(&table, "| `%s` | %s | %d | %s |\n", e.Code, e.Kind, len(reqs), strings.Join(eps, ", "))
	}
	t.Log(table.String())
}
