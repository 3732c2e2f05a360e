package diagnosis

import (
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

func TestCampaignStatusName(t *testing.T) {
	for v, want := range map[instantly.CampaignStatus]string{
		-99: "account_suspended", -2: "bounce_protect", -1: "accounts_unhealthy", 0: "draft", 1: "active",
		2: "paused", 3: "completed", 4: "running_subsequences", 7: "status_7", -5: "status_-5",
	} {
		if got := CampaignStatusName(v); got != want {
			t.Errorf("CampaignStatusName(%d) = %q, want %q", v, got, want)
		}
	}
	const names = "draft active paused completed running_subsequences accounts_unhealthy bounce_protect account_suspended all"
	if got := strings.Join(StatusFilterNames, " "); got != names {
		t.Errorf("StatusFilterNames = %q", got)
	}
}

func TestParseCampaignStatusFilter(t *testing.T) {
	for _, c := range []struct {
		in   string
		num  *instantly.CampaignStatus
		name string
	}{
		{"all", nil, "all"},
		{" ALL ", nil, "all"},
		{"Running-Subsequences", new(instantly.CampaignStatusRunningSubsequences), "running_subsequences"},
		{" accounts unhealthy\t", new(instantly.CampaignStatusAccountsUnhealthy), "accounts_unhealthy"},
		{"draft", new(instantly.CampaignStatusDraft), "draft"},
	} {
		num, name, err := ParseCampaignStatusFilter(c.in)
		if err != nil || name != c.name || (num == nil) != (c.num == nil) || (num != nil && *num != *c.num) {
			t.Errorf("ParseCampaignStatusFilter(%q) = %v, %q, %v; want %v, %q", c.in, num, name, err, c.num, c.name)
		}
	}
	num, name, err := ParseCampaignStatusFilter("bogus")
	const want = `unknown campaign status "bogus": use one of draft, active, paused, completed, running_subsequences, ` +
		`accounts_unhealthy, bounce_protect, account_suspended, all`
	if num != nil || name != "" || err == nil || err.Error() != want {
		t.Errorf("bogus: %v, %q, %v", num, name, err)
	}
}
