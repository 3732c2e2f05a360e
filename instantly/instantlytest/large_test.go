package instantlytest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func TestLargeWorkspace(t *testing.T) {
	const n = 500
	body := func(ws *Workspace) string { // every campaign and status it serves
		var sb strings.Builder
		for _, c := range ws.Campaigns() {
			sb.WriteString(get(t, NewHandler(ws), "/api/v2/campaigns/"+c.ID).Body.String())
			raw, _ := ws.SendingStatus(c.ID)
			sb.Write(raw)
		}
		return sb.String()
	}
	a, b := LargeWorkspace(n, testNow, 42), LargeWorkspace(n, testNow, 42)
	if a.Len() != n {
		t.Fatalf("%d campaigns", a.Len())
	}
	if body(a) != body(b) {
		t.Error("same seed, different workspaces")
	}
	if body(a) == body(LargeWorkspace(n, testNow, 43)) {
		t.Error("different seeds, same workspace")
	}
	codes := map[string]int{}
	for i, c := range a.Campaigns() {
		if want := fmt.Sprintf("Campaign %04d – ", i+1); !strings.HasPrefix(c.Name, want) {
			t.Errorf("campaign %d is %q", i, c.Name)
		}
		raw, _ := a.SendingStatus(c.ID)
		var st instantly.SendingStatus
		if err := json.Unmarshal(raw, &st); err != nil {
			t.Fatal(err)
		}
		code := ""
		if st.Diagnostics != nil {
			code = *st.Diagnostics.Status
		}
		codes[code]++
	}
	for _, c := range append(slices.Clone(instantly.StatusCodes), "", WarmupInProgress) {
		if codes[c] < n/len(largeBag)-1 {
			t.Errorf("%d campaigns with code %q", codes[c], c)
		}
	}
	if codes[instantly.StatusHealthy] < n/5 {
		t.Errorf("%d healthy", codes[instantly.StatusHealthy])
	}
	h := NewHandler(a)
	for _, limit := range []string{"7", "100"} {
		ids := walk(t, h, url.Values{"limit": {limit}})
		if len(ids) != n || !slices.IsSorted(ids) {
			t.Errorf("limit %s: walked %d campaigns", limit, len(ids))
		}
	}
	if LargeWorkspace(0, testNow, 1).Len() != 0 || LargeWorkspace(-1, testNow, 1).Len() != 0 {
		t.Error("empty workspace")
	}
}

// walk pages through the list endpoint with query q and returns the ids.
func walk(t *testing.T, h *Handler, q url.Values) []string {
	t.Helper()
	var ids []string
	for pages := 0; pages < 1000; pages++ {
		w := get(t, h, "/api/v2/campaigns?"+q.Encode())
		var p struct {
			Items []struct{ ID string } `json:"items"`
			Next  *string               `json:"next_starting_after"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Code != 200 {
			t.Fatalf("list %s: %d %s", q.Encode(), w.Code, w.Body)
		}
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if p.Next == nil {
			return ids
		}
		q.Set("starting_after", *p.Next)
	}
	t.Fatal("pagination does not end")
	return nil
}
