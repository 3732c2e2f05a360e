package diagnosis

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/catalog"
)

// CampaignStatusAll is the status filter value that selects campaigns of
// every status.
const CampaignStatusAll = "all"

// campaignStatusOrder is the order in which the campaign status names are
// offered (schema enum, messages). Every key of instantly.CampaignStatusNames
// is in it.
var campaignStatusOrder = []string{
	"draft", "active", "paused", "completed", "running_subsequences",
	"accounts_unhealthy", "bounce_protect", "account_suspended",
}

// StatusFilterNames is the enum of the status arguments: the names, then "all".
var StatusFilterNames = append(append([]string{}, campaignStatusOrder...), CampaignStatusAll)

// CampaignStatusName is the name of Instantly's numeric campaign status
// (1 -> "active"); a number this server does not know reads "status_<n>".
func CampaignStatusName(v instantly.CampaignStatus) string {
	for _, name := range campaignStatusOrder {
		if instantly.CampaignStatusNames[name] == v {
			return name
		}
	}
	return "status_" + strconv.Itoa(int(v))
}

// ParseCampaignStatusFilter reads a campaign status filter by name ("active",
// "paused", ... or "all"; case, spaces and dashes are forgiven). It returns
// Instantly's number, nil for "all", and the canonical name.
func ParseCampaignStatusFilter(name string) (*instantly.CampaignStatus, string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.NewReplacer(" ", "_", "-", "_").Replace(n)
	if n == CampaignStatusAll {
		return nil, n, nil
	}
	if v, ok := instantly.CampaignStatusNames[n]; ok {
		return &v, n, nil
	}
	return nil, "", fmt.Errorf("unknown campaign status %q: use one of %s", catalog.Echo(name, catalog.MaxEchoCode), strings.Join(StatusFilterNames, ", "))
}
