package e2etest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// docPages are the README and the pages it links to.
func docPages(t *testing.T) []string {
	pages, err := filepath.Glob("docs/*.md")
	if err != nil || len(pages) == 0 {
		t.Fatalf("no docs/*.md: %v", err)
	}
	return append([]string{"README.md", "CONTRIBUTING.md", "ARCHITECTURE.md", "SECURITY.md"}, pages...)
}

var (
	mdLink  = regexp.MustCompile(`\]\(([^)#\s]*)(#[^)\s]*)?\)`)
	heading = regexp.MustCompile("(?m)^#{1,6} (.+)$")
)

// anchor is GitHub's id of a heading.
func anchor(h string) string {
	return notInAnchor.ReplaceAllString(strings.ReplaceAll(strings.ToLower(h), " ", "-"), "")
}

var notInAnchor = regexp.MustCompile(`[^\p{L}\p{N}_-]`)

// Every relative link of the README and the docs reaches a file of the
// repository, and a heading of it when it names one.
func TestDocsLinks(t *testing.T) {
	for _, page := range docPages(t) {
		raw, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(raw), -1) {
			target, frag := m[1], strings.TrimPrefix(m[2], "#")
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path := page
			if target != "" {
				path = filepath.Join(filepath.Dir(page), target)
			}
			body, err := os.ReadFile(path)
			if st, serr := os.Stat(path); serr != nil || (err != nil && !st.IsDir()) {
				t.Errorf("%s: link to %s: no such file", page, target)
				continue
			}
			if frag == "" {
				continue
			}
			var ids []string
			for _, h := range heading.FindAllStringSubmatch(string(body), -1) {
				ids = append(ids, anchor(h[1]))
			}
			if !slices.Contains(ids, frag) {
				t.Errorf("%s: link to %s#%s: no such heading", page, target, frag)
			}
		}
	}
}

// docCommands are the lines of the sh blocks of the README and the docs,
// continuation lines joined.
func docCommands(t *testing.T) (cmds [][2]string) {
	for _, page := range append([]string{"README.md"}, docPages(t)[4:]...) {
		f, err := os.Open(page)
		if err != nil {
			t.Fatal(err)
		}
		in, line := false, ""
		for s := bufio.NewScanner(f); s.Scan(); {
			l := strings.TrimSpace(s.Text())
			switch {
			case l == "```sh":
				in = true
			case l == "```":
				in = false
			case in && l != "":
				line += l
				if strings.HasSuffix(line, `\`) {
					line = strings.TrimSuffix(line, `\`) + " "
					continue
				}
				cmds = append(cmds, [2]string{page, line})
				line = ""
			}
		}
		f.Close()
	}
	return cmds
}

// notRunHere are the commands of other programs the docs show, and why no
// test runs them.
var notRunHere = map[string]string{
	"claude mcp add":           "configures Claude Code, which CI does not install",
	"docker run":               "needs a published image; .ci/run builds the image and tests its entrypoint and environment",
	"redis-server --port":      ".ci/run starts its own redis-server for the Redis tests",
	"CGO_ENABLED=0 go install": "fetches the released module; TestMain builds the binary the same way from this tree",
	"CGO_ENABLED=0 go build":   "TestMain builds the binary exactly so (servertest.Build)",
}

// Every command of the README and the docs is run: go test lines by .ci/run
// (the same packages and -run pattern; CI adds -race, -count=1 and -v),
// this program's own commands here against the demo workspace, through the
// shell, as written; the other programs' commands are listed above.
func TestDocsCommands(t *testing.T) {
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	var ciTests []string
	for _, l := range strings.Split(string(ci), "\n") {
		if i := strings.Index(l, "go test "); i >= 0 {
			ciTests = append(ciTests, goTestArgs(l[i:]))
		}
	}
	dir := t.TempDir()
	if err := os.Symlink(binPath, filepath.Join(dir, "instantly-status-mcp")); err != nil {
		t.Fatal(err)
	}
	for _, c := range docCommands(t) {
		page, cmd := c[0], strings.ReplaceAll(c[1], "go run . ", "instantly-status-mcp ")
		if i := strings.Index(cmd, "go test "); i >= 0 {
			if !slices.Contains(ciTests, goTestArgs(cmd[i:])) {
				t.Errorf("%s: %q: .ci/run runs no such go test", page, cmd)
			}
			continue
		}
		if strings.HasPrefix(cmd, "instantly-status-mcp ") || strings.HasPrefix(cmd, "export ") {
			runDocCommand(t, dir, page, cmd)
			continue
		}
		// A line .ci/run runs as written (the release's GoReleaser commands).
		if bare, _, _ := strings.Cut(cmd, " #"); strings.Contains(string(ci), strings.TrimSpace(bare)) {
			continue
		}
		if !slices.ContainsFunc(slices.Collect(maps.Keys(notRunHere)), func(p string) bool { return strings.HasPrefix(cmd, p) }) {
			t.Errorf("%s: %q is run by no test and not by .ci/run", page, cmd)
		}
	}
}

// goTestArgs is a go test command's packages and flags without the ones CI
// adds, its comment and its environment.
func goTestArgs(cmd string) string {
	cmd, _, _ = strings.Cut(cmd, " #")
	cmd, _, _ = strings.Cut(cmd, " |")
	var keep []string
	for _, f := range strings.Fields(cmd) {
		if f != "-race" && f != "-count=1" && f != "-v" && f != `\` {
			keep = append(keep, f)
		}
	}
	return strings.Join(keep, " ")
}

// runDocCommand runs one of the docs' command lines through sh, with the
// binary on PATH and the demo workspace: a placeholder id becomes a demo
// campaign that needs action, notify and mail print nothing, and a server
// must come up on a free port.
func runDocCommand(t *testing.T, dir, page, cmd string) {
	t.Helper()
	id := instantlytest.DemoID(instantly.StatusCampaignPaused)
	line := strings.NewReplacer("<campaign-uuid>", id, "...", "doc-example-key").Replace(cmd)
	server := strings.Contains(line, "-transport ")
	if server {
		line, _, _ = strings.Cut(line, "#")
		line = "exec " + line + " -addr 127.0.0.1:0"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sh := exec.CommandContext(ctx, "sh", "-c", "notify() { :; }; mail() { cat >/dev/null; }; "+line)
	sh.Dir = dir
	sh.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"), "INSTANTLY_DEMO=true", "CAMPAIGN="+id, "NO_COLOR=1")
	if !server {
		if out, err := sh.CombinedOutput(); err != nil {
			t.Errorf("%s: %q: %v\n%.600s", page, cmd, err, out)
		}
		return
	}
	stderr, err := sh.StderrPipe()
	if err == nil {
		err = sh.Start()
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sh.Process.Kill(); _ = sh.Wait() }()
	for s := bufio.NewScanner(stderr); s.Scan(); {
		if strings.Contains(s.Text(), "listening on") {
			return
		}
	}
	t.Errorf("%s: %q: the server did not come up", page, cmd)
}

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
// (UPDATE_README=1 rewrites it) and the quick-start commands are there (CI
// runs the test command: TestDocsCommands).
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
			t.Errorf("README demo list is stale; run UPDATE_README=1 go test ./internal/e2etest -run TestREADME")
		}
	}

	first := "go run . diagnose -demo " + instantlytest.DemoCampaigns[0].ID
	for _, cmd := range []string{first, "go test -short ./..."} {
		if !strings.Contains(readme, "```sh\n"+cmd+"\n```") {
			t.Errorf("README quick start lacks its own code block with %q", cmd)
		}
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
