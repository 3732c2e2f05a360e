package diagnosis

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
)

// vitalsOf tests one address per domain and at most maxVitalsDomains
// domains, for the diagnosis's senders and for a hint's alike (the hint's
// path had neither the cap nor, at first, the one-per-domain rule).
func TestVitalsOfOnePerDomainWithinTheCap(t *testing.T) {
	var emails, want []string
	for i := range maxVitalsDomains + 5 {
		first := fmt.Sprintf("a@d%02d.example", i)
		emails = append(emails, first, fmt.Sprintf("b@d%02d.example", i))
		if i < maxVitalsDomains {
			want = append(want, first)
		}
	}
	for _, keep := range []bool{true, false} {
		var mu sync.Mutex
		var asked [][]string
		g, _ := relGather(t, 8, func(r *http.Request) (int, string) {
			var body struct{ Accounts []string }
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				t.Error(err)
			}
			mu.Lock()
			asked = append(asked, body.Accounts)
			mu.Unlock()
			return 200, `{"status":"success","success_list":[],"failure_list":[]}`
		})
		g.vitalsOf(context.Background(), emails, keep)
		if len(asked) != 1 || !slices.Equal(asked[0], want) {
			t.Errorf("keep %v: asked %.120q; want once, for the first address of each of %d domains", keep, asked, len(want))
		}
		if (g.vitals != nil) != keep {
			t.Errorf("keep %v: vitals kept %v", keep, g.vitals != nil)
		}
	}
}
