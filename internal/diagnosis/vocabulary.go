package diagnosis

import "strings"

// cliWords is the terminal's vocabulary: commands and flags of
// instantly-status-mcp. Longer phrases come first (strings.Replacer tries
// the pairs in order at each position).
var cliWords = strings.NewReplacer(
	"call get_campaign_sending_status with its id", "run `instantly-status-mcp diagnose <id>`",
	"call get_campaign_sending_status", "run `instantly-status-mcp diagnose <id>`",
	"get_campaign_sending_status", "`instantly-status-mcp diagnose`",
	"call get_subsequence_sending_status", "run `instantly-status-mcp diagnose -subsequence <id>`",
	"get_subsequence_sending_status", "`instantly-status-mcp diagnose -subsequence`",
	"call get_sending_overview", "run `instantly-status-mcp overview`",
	"get_sending_overview", "`instantly-status-mcp overview`",
	"with list_campaigns", "with `instantly-status-mcp diagnose \"<campaign name>\"`",
	"list_campaigns", "`instantly-status-mcp diagnose \"<campaign name>\"`",
	"ask for with_ai_summary=true", "run with -ai-summary",
	"with_ai_summary=true", "-ai-summary",
	"with_ai_summary", "-ai-summary",
	"narrow with search", "narrow with -search",
	"max_campaigns", "-max",
)

// CLIText rewrites a text of the tools into the terminal's words. The
// renderer and the analysis write the model's words: tool names and
// arguments (call get_campaign_sending_status, with_ai_summary=true,
// search); a person at a terminal runs commands with flags instead. One
// renderer, two vocabularies: the analysis is never written twice.
func CLIText(s string) string { return cliWords.Replace(s) }
