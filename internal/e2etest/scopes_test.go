package e2etest

// The scopes an API key needs are one list, instantly.Scopes: every text
// that names them (the documents, -h, the errors of a missing or refused
// key) says it in the same words, instantly.ScopeSentence.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
	"github.com/instantly-status/instantly-status-mcp/internal/app"
)

// scopeName is any Instantly scope, such as accounts:read or all:all.
var scopeName = regexp.MustCompile(`\b[a-z_]+:(read|all|create|update|delete)\b`)

// scopesMarkdown is the README's list of scopes, made from instantly.Scopes.
func scopesMarkdown() string {
	var b strings.Builder
	b.WriteString("| scope | lets the server read |\n|---|---|\n")
	for _, s := range instantly.Scopes {
		fmt.Fprintf(&b, "| `%s` | %s |\n", s.Name, s.Reads)
	}
	fmt.Fprintf(&b, "\nOr the one scope that covers them all: `%s`. Instantly documents no scope for its analytics "+
		"endpoints (lead counts, sent today); `%s` presumably covers them, and without it the diagnosis says what it "+
		"could not read.\n", instantly.AllRead, instantly.AllRead)
	return b.String()
}

// saysScopesAlike fails unless text names the scopes, and only as
// instantly.ScopeSentence does.
func saysScopesAlike(t *testing.T, where, text string) {
	t.Helper()
	sentence := instantly.ScopeSentence()
	if !strings.Contains(text, sentence) {
		t.Errorf("%s does not name the scopes as %q:\n%s", where, sentence, text)
	}
	if other := scopeName.FindAllString(strings.ReplaceAll(text, sentence, ""), -1); len(other) > 0 {
		t.Errorf("%s names scopes outside the one list: %v", where, other)
	}
}

// TestScopesDocumentsSayTheCodesList: README's list is generated
// (UPDATE_README=1 rewrites it) and names no scope elsewhere; SECURITY.md,
// manifest.json and server.json say the sentence and nothing else.
func TestScopesDocumentsSayTheCodesList(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	const start, end = "<!-- scopes:start -->\n", "<!-- scopes:end -->"
	i, j := strings.Index(readme, start), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the scopes markers")
	}
	if want := scopesMarkdown(); readme[i+len(start):j] != want {
		if os.Getenv("UPDATE_README") != "1" {
			t.Error("README's scope list is stale; run UPDATE_README=1 go test ./internal/e2etest -run TestScopesDocuments")
		} else if err := os.WriteFile("README.md", []byte(readme[:i+len(start)]+want+readme[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if other := scopeName.FindAllString(readme[:i]+readme[j:], -1); len(other) > 0 {
		t.Errorf("README names scopes outside its generated list: %v", other)
	}
	pages, err := filepath.Glob("docs/*.md")
	if err != nil || len(pages) == 0 {
		t.Fatalf("docs/*.md: %v %v", pages, err)
	}
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if other := scopeName.FindAllString(string(b), -1); len(other) > 0 {
			t.Errorf("%s names scopes (%v): link to the README's list instead", page, other)
		}
	}
	for _, path := range []string{"SECURITY.md", "manifest.json", "server.json"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		saysScopesAlike(t, path, string(b))
	}
}

// What a person reads from the binary says the same list: the help, the
// terminal's error for a refused key, and the tool's answer without a key.
func TestScopesTheBinarySays(t *testing.T) {
	help, err := exec.Command(binPath, "-h").Output()
	if err != nil {
		t.Fatal(err)
	}
	saysScopesAlike(t, "-h", string(help))

	fake := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()), instantlytest.WithAPIKeys("another-key-0000"))
	defer fake.Close()
	cmd := exec.Command(binPath, "diagnose", instantlytest.DemoID("healthy"))
	cmd.Env = []string{"INSTANTLY_API_KEY=sk_live_refused_key_123", "INSTANTLY_BASE_URL=" + fake.URL}
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "401") {
		t.Fatalf("want a 401 line, got %s", out)
	}
	saysScopesAlike(t, "the 401 error", string(out))

	noKey := toolTexts(t, nil, instantlytest.DemoID("healthy"))[0]
	saysScopesAlike(t, "the no-key error", noKey)

	forbidden := app.CLISettings.ErrorMessage("campaign x", &instantly.ErrorResponse{StatusCode: 403})
	saysScopesAlike(t, "the 403 error", forbidden)
}
