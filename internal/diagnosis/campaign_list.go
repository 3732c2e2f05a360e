package diagnosis

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// CampaignListItem is one campaign of list_campaigns: what a person needs to
// pick one.
type CampaignListItem struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Status           string   `json:"status"`
	DailyLimit       *float64 `json:"daily_limit"`
	TimestampCreated string   `json:"timestamp_created"`
	TimestampUpdated string   `json:"timestamp_updated"`
}

// CampaignList is the structured content of list_campaigns.
// NextStartingAfter is null on the last page.
type CampaignList struct {
	Campaigns         []CampaignListItem `json:"campaigns"`
	NextStartingAfter *string            `json:"next_starting_after"`
}

// RenderCampaignList is the text of list_campaigns.
func RenderCampaignList(res CampaignList, opts *instantly.ListCampaignsOptions, statusName string, now time.Time) string {
	var b strings.Builder
	var filters []string
	if statusName != CampaignStatusAll {
		filters = append(filters, "status "+statusName)
	}
	if opts.Search != "" {
		filters = append(filters, "name containing "+strconv.Quote(opts.Search))
	}
	if opts.StartingAfter != "" {
		filters = append(filters, "after the previous page")
	}
	what := ""
	if len(filters) > 0 {
		what = " (" + strings.Join(filters, ", ") + ")"
	}
	n := len(res.Campaigns)
	if n == 0 {
		fmt.Fprintf(&b, "No campaigns%s.\n", what)
		if opts.Search != "" {
			b.WriteString("Try a shorter part of the name, or another status.\n")
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%d %s%s:\n\n", n, plural(float64(n), "campaign", "campaigns"), what)
	for _, c := range res.Campaigns {
		fmt.Fprintf(&b, "- **%s** (%s) id `%s`", oneLine(c.Name), c.Status, c.ID)
		var facts []string
		if c.DailyLimit != nil {
			facts = append(facts, "daily limit "+num(*c.DailyLimit))
		}
		if c.TimestampCreated != "" {
			facts = append(facts, "created "+ago(c.TimestampCreated, now))
		}
		if c.TimestampUpdated != "" {
			facts = append(facts, "last changed "+ago(c.TimestampUpdated, now))
		}
		if len(facts) > 0 {
			b.WriteString(": " + strings.Join(facts, ", "))
		}
		b.WriteString("\n")
	}
	if res.NextStartingAfter != nil {
		fmt.Fprintf(&b, "\nMore campaigns: call list_campaigns again with the same filters and starting_after = %q.\n", *res.NextStartingAfter)
	}
	return b.String()
}
