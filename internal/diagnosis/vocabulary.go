package diagnosis

import (
	"strings"
	"time"
)

// Vocabulary is the wording of the actions a reader can take next. The
// renderer and the analysis write the model's words: tool names and
// arguments (call get_campaign_sending_status, with_ai_summary=true,
// search). A person at a terminal runs commands with flags instead. One
// renderer, two vocabularies: the CLI passes the same text through
// CLIWords, so the analysis is never written twice.
type Vocabulary struct{ r *strings.Replacer }

// ModelWords leaves the text as the tools return it.
var ModelWords = Vocabulary{}

// CLIWords is the terminal's vocabulary: commands and flags of
// instantly-status-mcp. Longer phrases come first (strings.Replacer tries
// the pairs in order at each position).
var CLIWords = Vocabulary{strings.NewReplacer(
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
)}

// Words rewrites s into the vocabulary.
func (v Vocabulary) Words(s string) string {
	if v.r == nil {
		return s
	}
	return v.r.Replace(s)
}

// RenderMarkdownFor is RenderMarkdown in the reader's vocabulary.
func RenderMarkdownFor(r StatusResult, now time.Time, v Vocabulary) string {
	return v.Words(RenderMarkdown(r, now))
}

// RenderOverviewFor is RenderOverview in the reader's vocabulary.
func RenderOverviewFor(o *Overview, v Vocabulary) string {
	return v.Words(RenderOverview(o))
}
