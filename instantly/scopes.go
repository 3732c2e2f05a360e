package instantly

import "strings"

// Scope is an API key scope one of this client's reads needs, and what the
// reads it covers let a caller see.
type Scope struct {
	Name  string
	Reads string
}

// Scopes are the read scopes the calls of this client need, in the order a
// diagnosis uses them: the first is enough for the sending status and the
// campaign list; the others let the cross-checks say more. Instantly
// documents each as "one of <resource>:read, <resource>:all, all:read,
// all:all". It documents no scope for the analytics endpoints, so none is
// listed for them; AllRead presumably covers them.
//
// This list is the one every text that names the scopes is made from: the
// help, the errors of a refused key, README.md, SECURITY.md, manifest.json
// and server.json (tests compare the documents with ScopeSentence).
var Scopes = []Scope{
	{"campaigns:read", "the sending status, the campaign list and a campaign's settings"},
	{"subsequences:read", "subsequences and their sending status"},
	{"accounts:read", "the sending accounts: which sender blocks, its error, its domain's DNS"},
	{"audit_logs:read", "who paused a campaign, and when"},
	{"account_campaign_mappings:read", "which other campaigns share a sender's daily limit"},
	{"custom_tags:read", "the account tags a campaign sends from"},
}

// AllRead is the one scope that covers every read above.
const AllRead = "all:read"

// ScopeSentence names every scope in Scopes and AllRead, as the documents
// and errors say it: "campaigns:read, …, and custom_tags:read (or all:read)".
func ScopeSentence() string {
	names := make([]string, len(Scopes))
	for i, s := range Scopes {
		names[i] = s.Name
	}
	last := len(names) - 1
	return strings.Join(names[:last], ", ") + " and " + names[last] + " (or " + AllRead + ")"
}
