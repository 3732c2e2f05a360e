package diagnosis

import (
	"context"
	"slices"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// By default the overview checks every campaign meant to be sending: all
// but drafts and completed ones, so those Instantly took out of "active"
// and the paused ones are there, each with its state and who paused it.
func TestBuildOverviewLiveByDefault(t *testing.T) {
	act := instantly.StatusAllAccountsUnhealthy
	camps := []ovCamp{
		{ovID(1), "Active", instantly.CampaignStatusActive, act, ""},
		{ovID(2), "Paused", instantly.CampaignStatusPaused, instantly.StatusCampaignPaused, ""},
		{ovID(3), "Unhealthy", instantly.CampaignStatusAccountsUnhealthy, instantly.StatusCampaignAccountsUnhealthy, ""},
		{ovID(4), "Bounce", instantly.CampaignStatusBounceProtect, instantly.StatusCampaignBounceProtect, ""},
		{ovID(5), "Suspended", instantly.CampaignStatusAccountSuspended, instantly.StatusCampaignAccountSuspended, ""},
		{ovID(6), "Subsequences", instantly.CampaignStatusRunningSubsequences, instantly.StatusHealthy, ""},
		{ovID(7), "Draft", instantly.CampaignStatusDraft, instantly.StatusCampaignDraft, ""},
		{ovID(8), "Completed", instantly.CampaignStatusCompleted, instantly.StatusCampaignCompleted, ""},
		{ovID(9), "Waiting", instantly.CampaignStatusActive, instantly.StatusOutOfSchedule, ""},
		{ovID(10), "New", instantly.CampaignStatusActive, "", ""},
	}
	for _, status := range []string{"", "live", " Live "} {
		f := &ovFake{camps: camps}
		ov, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{Status: status}, ovNow)
		if err != nil {
			t.Fatal(err)
		}
		if ov.Filter.Status != OverviewStatusLive || ov.Matched != 8 || ov.Checked != 8 || !ov.Complete {
			t.Fatalf("status %q: filter %+v matched %d checked %d complete %v", status, ov.Filter, ov.Matched, ov.Checked, ov.Complete)
		}
		if q := f.listQueries(); !slices.Equal(q, []string{"limit=100"}) {
			t.Errorf("status %q: list queries %q, want every status listed", status, q)
		}
		if c := ov.Counts; c.ActionRequired != 5 || c.PausedByPerson != 1 || c.PausedByInstantly != 3 || c.OK != 1 || c.Waiting != 1 || c.Unknown != 1 {
			t.Errorf("status %q: counts %+v", status, c)
		}
		type line struct{ state, pausedBy string }
		got := map[string]line{}
		for _, list := range [][]OverviewCampaign{ov.ActionRequired, ov.Waiting, ov.OK, ov.Unknown} {
			for _, oc := range list {
				got[oc.Name] = line{oc.State, oc.PausedBy}
				if oc.Summary == "" {
					t.Errorf("%s: no one-line answer", oc.Name)
				}
			}
		}
		want := map[string]line{
			"Active":       {"not sending", ""},
			"Paused":       {"paused", PausedByPerson},
			"Unhealthy":    {"accounts unhealthy", PausedByInstantly},
			"Bounce":       {"bounce protect", PausedByInstantly},
			"Suspended":    {"account suspended", PausedByInstantly},
			"Subsequences": {"sending", ""},
			"Waiting":      {"waiting", ""},
			"New":          {"no data yet", ""},
		}
		for name, w := range want {
			if got[name] != w {
				t.Errorf("status %q, %s: %+v, want %+v", status, name, got[name], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("status %q: checked %v", status, got)
		}
	}
	// A named status still asks Instantly for that status alone.
	f := &ovFake{camps: camps}
	if _, err := BuildOverview(context.Background(), f.client(t), OverviewOptions{Status: "active"}, ovNow); err != nil {
		t.Fatal(err)
	}
	if q := f.listQueries(); !slices.Equal(q, []string{"limit=100&status=1"}) {
		t.Errorf("active: list queries %q", q)
	}
}
