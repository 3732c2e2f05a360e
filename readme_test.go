package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// demoListMarkdown is the README's list of demo campaigns, generated from the
// fake workspace so the ids in the docs always work.
func demoListMarkdown() string {
	var b strings.Builder
	b.WriteString("| id | kind | name | status |\n|---|---|---|---|\n")
	for _, d := range instantlytest.DemoCampaigns {
		code := "`" + d.Code + "`"
		if d.Code == "" {
			code = "no data yet (`null`)"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", d.ID, d.Kind, d.Name, code)
	}
	return b.String()
}

// TestREADME keeps the front door true: the demo list matches the workspace
// (UPDATE_README=1 rewrites it), the quick-start commands are there, and CI
// runs the README's test command.
func TestREADME(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	const start, end = "<!-- demo-list:start -->\n", "<!-- demo-list:end -->"
	i, j := strings.Index(readme, start), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the demo-list markers")
	}
	want := demoListMarkdown()
	if got := readme[i+len(start) : j]; got != want {
		if os.Getenv("UPDATE_README") == "1" {
			readme = readme[:i+len(start)] + want + readme[j:]
			if err := os.WriteFile("README.md", []byte(readme), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			t.Errorf("README demo list is stale; run UPDATE_README=1 go test . -run TestREADME")
		}
	}

	first := "go run . diagnose -demo " + instantlytest.DemoCampaigns[0].ID
	for _, cmd := range []string{first, "go test -short ./..."} {
		if !strings.Contains(readme, "```sh\n"+cmd+"\n```") {
			t.Errorf("README quick start lacks its own code block with %q", cmd)
		}
	}
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ci), "go test -short -count=1 ./...") || !strings.Contains(string(ci), "go test -race -count=1 ./...") {
		t.Error(".ci/run does not run the README's test command and the long one")
	}
}

// The example desktop config is valid JSON, starts this server and passes the
// key through its env block.
func TestClaudeDesktopExample(t *testing.T) {
	raw, err := os.ReadFile("claude_desktop_config.example.json")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		MCPServers map[string]struct {
			Command string            `json:"command"`
			Env     map[string]string `json:"env"`
		} `json:"mcpServers"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("not valid JSON: %v", err)
	}
	s, ok := cfg.MCPServers["instantly-status"]
	if !ok || s.Command != "instantly-status-mcp" || s.Env["INSTANTLY_API_KEY"] == "" {
		t.Fatalf("unexpected example: %+v", cfg)
	}
}
