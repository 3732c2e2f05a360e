package demo

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/schedule"
)

// The demo's cross-check data agrees with each campaign's sending status:
// as many accounts in each unavailable state as accounts_summary counts,
// the schedule open now unless the code is out_of_schedule, every sender
// found, every tag carried by its campaign's senders only.
func TestDemoDeepDataAgreesWithStatus(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 8, 8, 30, 0, 0, time.UTC),    // America/Chicago springs forward
		time.Date(2026, 11, 29, 23, 59, 0, 0, time.UTC), // Sunday night UTC
	} {
		w := DemoWorkspace(now)
		d := w.deepData()
		tagOwner := map[string]string{}
		for _, e := range DemoCampaigns {
			if e.Kind != KindCampaign {
				continue
			}
			var c instantly.CampaignDetails
			if err := json.Unmarshal(d.details[e.ID], &c); err != nil {
				t.Fatalf("%s: %v", e.Name, err)
			}
			r := schedule.Next(c.CampaignSchedule, now)
			open := r.Next != nil && !r.Next.Start.After(now)
			if e.Code == instantly.StatusCampaignCompleted {
				if !r.EndDatePassed {
					t.Errorf("%s at %v: completed, but its end date has not passed", e.Name, now)
				}
				continue
			}
			if open != (e.Code != instantly.StatusOutOfSchedule) {
				t.Errorf("%s (%s) at %v: schedule open now = %v (%+v, %q)", e.Name, e.Code, now, open, r.Next, r.Problems)
			}
			inError := 0
			for _, email := range c.EmailList {
				a, ok := d.byEmail[strings.ToLower(email)]
				if !ok {
					t.Fatalf("%s: sender %s has no account", e.Name, email)
				}
				if a.status < 0 {
					inError++
				}
				for _, tag := range a.tags {
					if o, seen := tagOwner[tag]; seen && o != e.ID {
						t.Errorf("tag %s carried by senders of two campaigns", tag)
					}
					tagOwner[tag] = e.ID
				}
			}
			var spec demoSpec
			for _, s := range demoSpecs {
				if s.ID == e.ID {
					spec = s
				}
			}
			if inError != spec.status.disconnected {
				t.Errorf("%s: %d senders in error, status says %d disconnected", e.Name, inError, spec.status.disconnected)
			}
		}
	}
}
