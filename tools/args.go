package tools

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/diagnosis"
)

// The arguments are checked by hand: a wrong type or value is a tool error
// that says what would be right, which the model can correct.

// statusArgument reads the optional campaign "status" filter (a name of
// diagnosis.StatusFilterNames); "" when it is not given.
func statusArgument(args map[string]any) (string, *mcp.CallToolResult) {
	return namedStatusArgument(args, diagnosis.StatusFilterNames, func(s string) error {
		_, _, err := diagnosis.ParseCampaignStatusFilter(s)
		return err
	})
}

// namedStatusArgument reads an optional "status" argument that parse
// accepts, one of names; "" when it is not given.
func namedStatusArgument(args map[string]any, names []string, parse func(string) error) (string, *mcp.CallToolResult) {
	v, ok := args["status"]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", mcp.NewToolResultError(fmt.Sprintf("Argument \"status\" must be a string, one of %s; not %s.",
			strings.Join(names, ", "), jsonTypeName(v)))
	}
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	if err := parse(s); err != nil {
		return "", mcp.NewToolResultError("Argument \"status\": " + err.Error() + ".")
	}
	return s, nil
}

// boolArgument reads an optional true/false argument.
func boolArgument(args map[string]any, name string, def bool) (bool, *mcp.CallToolResult) {
	v, ok := args[name]
	if !ok || v == nil {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return def, mcp.NewToolResultError(fmt.Sprintf("Argument %q must be true or false, not %s.", name, jsonTypeName(v)))
	}
	return b, nil
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
		return 0, mcp.NewToolResultError(fmt.Sprintf("Argument %q must be a whole number from %d to %d, got %s.", name, lo, hi, diagnosis.Num(f)))
	}
	return int(f), nil
}

func jsonTypeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64, json.Number, int, int64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}
