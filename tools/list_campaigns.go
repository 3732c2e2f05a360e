package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
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

// statusFilterEnum is the enum of the status arguments: the names, then "all".
var statusFilterEnum = append(append([]string{}, campaignStatusOrder...), CampaignStatusAll)

const (
	maxCursorLen = 200 // a UUID, a timestamp or an email in Instantly's APIs
	defaultLimit = 20
)

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
	return nil, "", fmt.Errorf("unknown campaign status %s: use one of %s", quoteArg(name), strings.Join(statusFilterEnum, ", "))
}

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

var listCampaignsOutputSchema = json.RawMessage(`{
  "type": "object",
  "required": ["campaigns", "next_starting_after"],
  "properties": {
    "campaigns": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["id", "name", "status", "daily_limit", "timestamp_created", "timestamp_updated"],
        "properties": {
          "id": {"type": "string", "description": "The campaign's UUID, for get_campaign_sending_status"},
          "name": {"type": "string"},
          "status": {"type": "string", "description": "Campaign status: draft, active, paused, completed, running_subsequences, accounts_unhealthy, bounce_protect, account_suspended (status_<n> for a number this server does not know)"},
          "daily_limit": {"type": ["number", "null"], "description": "The campaign's daily sending limit, null when not set"},
          "timestamp_created": {"type": "string"},
          "timestamp_updated": {"type": "string"}
        }
      }
    },
    "next_starting_after": {"type": ["string", "null"], "description": "Pass as starting_after for the next page; null on the last page"}
  }
}`)

// ListCampaigns returns the list_campaigns tool and its handler.
func ListCampaigns(getClient ClientFunc, now func() time.Time) (mcp.Tool, server.ToolHandlerFunc) {
	return listCampaignsTool(getClient, now, nil)
}

// listCampaignsTool is ListCampaigns; the campaigns it lists go to facts as
// hints for the diagnoses that follow (see FactCache.RememberCampaigns).
func listCampaignsTool(getClient ClientFunc, now func() time.Time, facts *FactCache) (mcp.Tool, server.ToolHandlerFunc) {
	const title = "Find Instantly campaigns"
	tool := mcp.NewTool("list_campaigns",
		mcp.WithDescription("Lists the Instantly.ai campaigns of the workspace, to find a campaign's id by its name or to see "+
			"which campaigns are active, paused, and so on. Use it when someone names a campaign instead of giving its id, "+
			"before calling get_campaign_sending_status. Returns each campaign's id, name, status, daily limit and when it "+
			"was created and last changed, one page at a time. To check the sending status of many campaigns at once, use "+
			"get_sending_overview instead. Read-only."),
		readOnly(title),
		mcp.WithString("search",
			mcp.Description("Only campaigns whose name contains this text, e.g. \"Black Friday\"."),
			mcp.MaxLength(instantly.MaxSearchLen),
		),
		mcp.WithString("status",
			mcp.Description("Only campaigns with this status. Default: all."),
			mcp.Enum(statusFilterEnum...),
		),
		mcp.WithInteger("limit",
			mcp.Description("Campaigns per page, 1 to 100. Default 20."),
			mcp.Min(1), mcp.Max(100), mcp.DefaultNumber(defaultLimit),
		),
		mcp.WithString("starting_after",
			mcp.Description("The next_starting_after of the previous page, to get the next one."),
			mcp.MaxLength(maxCursorLen),
		),
		mcp.WithRawOutputSchema(listCampaignsOutputSchema),
		mcp.WithToolTitle(title),
	)

	handler := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		opts, statusName, errRes := parseListArgs(req.GetArguments())
		if errRes != nil {
			return errRes, nil
		}
		client, err := getClient(ctx)
		if err != nil {
			return ErrorResult("campaigns", err), nil
		}
		page, err := client.ListCampaigns(ctx, opts)
		if err != nil {
			return ErrorResult("campaigns", err), nil
		}
		facts.RememberCampaigns(client.KeyHash(), page.Items, now())
		res := CampaignList{Campaigns: make([]CampaignListItem, 0, len(page.Items))}
		for _, c := range page.Items {
			res.Campaigns = append(res.Campaigns, CampaignListItem{
				ID: c.ID, Name: c.Name, Status: CampaignStatusName(c.Status), DailyLimit: c.DailyLimit,
				TimestampCreated: c.TimestampCreated, TimestampUpdated: c.TimestampUpdated,
			})
		}
		if page.NextStartingAfter != "" {
			next := page.NextStartingAfter
			res.NextStartingAfter = &next
		}
		return mcp.NewToolResultStructured(res, renderCampaignList(res, opts, statusName, now())), nil
	}
	return tool, handler
}

// parseListArgs checks the arguments of list_campaigns by hand: every wrong
// value is a tool error that says what would be right.
func parseListArgs(args map[string]any) (*instantly.ListCampaignsOptions, string, *mcp.CallToolResult) {
	opts := &instantly.ListCampaignsOptions{Limit: defaultLimit}
	search, errRes := searchArgument(args)
	if errRes != nil {
		return nil, "", errRes
	}
	opts.Search = search

	statusName := CampaignStatusAll
	if v, ok := args["status"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return nil, "", mcp.NewToolResultError(fmt.Sprintf("Argument \"status\" must be a string, one of %s; not %s.",
				strings.Join(statusFilterEnum, ", "), jsonTypeName(v)))
		}
		if strings.TrimSpace(s) != "" {
			st, name, err := ParseCampaignStatusFilter(s)
			if err != nil {
				return nil, "", mcp.NewToolResultError("Argument \"status\": " + err.Error() + ".")
			}
			opts.Status, statusName = st, name
		}
	}

	limit, errRes := intArgument(args, "limit", defaultLimit, 1, 100)
	if errRes != nil {
		return nil, "", errRes
	}
	opts.Limit = limit

	if v, ok := args["starting_after"]; ok && v != nil {
		s, ok := v.(string)
		if !ok {
			return nil, "", mcp.NewToolResultError(fmt.Sprintf("Argument \"starting_after\" must be a string (the next_starting_after of the previous page), not %s.", jsonTypeName(v)))
		}
		s = strings.TrimSpace(s)
		if len(s) > maxCursorLen || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return nil, "", mcp.NewToolResultError("Argument \"starting_after\" is not a cursor: pass the next_starting_after of the previous page unchanged.")
		}
		opts.StartingAfter = s
	}
	return opts, statusName, nil
}

// searchArgument returns the optional "search" text: a short piece of a
// campaign name without control characters.
func searchArgument(args map[string]any) (string, *mcp.CallToolResult) {
	v, ok := args["search"]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", mcp.NewToolResultError(fmt.Sprintf("Argument \"search\" must be a string (part of a campaign name), not %s.", jsonTypeName(v)))
	}
	s, err := instantly.CheckSearch(s)
	if err != nil {
		return "", mcp.NewToolResultError("Argument \"search\": " + err.Error() + ".")
	}
	return s, nil
}

// intArgument reads an optional whole-number argument within [lo, hi].
func intArgument(args map[string]any, name string, def, lo, hi int) (int, *mcp.CallToolResult) {
	v, ok := args[name]
	if !ok || v == nil {
		return def, nil
	}
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	case json.Number:
		var err error
		if f, err = n.Float64(); err != nil {
			return 0, mcp.NewToolResultError(fmt.Sprintf("Argument %q must be a whole number from %d to %d.", name, lo, hi))
		}
	default:
		return 0, mcp.NewToolResultError(fmt.Sprintf("Argument %q must be a whole number from %d to %d, not %s.", name, lo, hi, jsonTypeName(v)))
	}
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) || math.IsInf(f, 0) {
		return 0, mcp.NewToolResultError(fmt.Sprintf("Argument %q must be a whole number from %d to %d, got %s.", name, lo, hi, num(f)))
	}
	return int(f), nil
}

// quoteArg echoes a bad value back: quoted, control characters escaped, and
// cut to a length that cannot flood a message.
func quoteArg(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}

func renderCampaignList(res CampaignList, opts *instantly.ListCampaignsOptions, statusName string, now time.Time) string {
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
