package diagnosis_test

import (
	"context"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// Progress reports done, total and failed: done and failed only grow, and
// the last report is every campaign done with exactly the failures of the
// result.
func TestOverviewProgressCountsFailures(t *testing.T) {
	for _, failing := range []int{0, 1, 3} {
		ws := instantlytest.DemoWorkspace(fixedNow)
		c, h := demoClient(t, ws)
		first, err := diagnosis.BuildOverview(context.Background(), c, diagnosis.OverviewOptions{Status: "all"}, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		all := append(append(append([]diagnosis.OverviewCampaign{}, first.ActionRequired...), first.Waiting...), first.OK...)
		for _, oc := range all[:failing] {
			h.SetFault(oc.ID, instantlytest.Fault{Status: 404}) // not temporary: no retry pass
		}
		type report struct{ done, total, failed int }
		var got []report
		ov, err := diagnosis.BuildOverview(context.Background(), c, diagnosis.OverviewOptions{
			Status: "all", Progress: func(done, total, failed int) { got = append(got, report{done, total, failed}) },
		}, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(ov.Failed) != failing || ov.Checked != first.Checked-failing {
			t.Fatalf("%d failing: result has %d failed, %d checked", failing, len(ov.Failed), ov.Checked)
		}
		if len(got) == 0 {
			t.Fatalf("%d failing: no progress", failing)
		}
		if last := got[len(got)-1]; last != (report{first.Checked, first.Checked, failing}) {
			t.Errorf("%d failing: last report %+v, want {%d %d %d}", failing, last, first.Checked, first.Checked, failing)
		}
		for i := 1; i < len(got); i++ {
			if got[i].done <= got[i-1].done || got[i].failed < got[i-1].failed || got[i].failed > got[i].done {
				t.Errorf("%d failing: reports %+v", failing, got)
				break
			}
		}
	}
}
