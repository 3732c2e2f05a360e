// Package archtest holds no code, only the test that enforces the import
// rules of ARCHITECTURE.md on the module's non-test packages.
package archtest

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/instantly-status/instantly-status-mcp"

// imports lists, for each package of the module (path relative to the
// module, "." for main), the packages of the module it imports in its
// non-test files, with `go list -json ./...` run at the module root; and,
// apart, the packages from outside the module it imports.
func imports(t *testing.T) (ours, others map[string][]string) {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	rel := func(p string) (string, bool) {
		if p == module {
			return ".", true
		}
		r, ok := strings.CutPrefix(p, module+"/")
		return r, ok
	}
	got, ext := map[string][]string{}, map[string][]string{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		name, ok := rel(p.ImportPath)
		if !ok {
			t.Fatalf("package %s outside the module", p.ImportPath)
		}
		got[name] = []string{}
		for _, imp := range p.Imports {
			if r, ok := rel(imp); ok {
				got[name] = append(got[name], r)
			} else {
				ext[name] = append(ext[name], imp)
			}
		}
	}
	return got, ext
}

// isTestPackage reports whether a package's name says it is for tests
// (instantly/instantlytest): no shipped code may import one.
func isTestPackage(p string) bool {
	return strings.HasSuffix(p, "test")
}

func TestImportRules(t *testing.T) {
	all, ext := imports(t)
	for _, must := range []string{".", "instantly", "tools", "prompts", "internal/app", "internal/cli", "internal/httpserver", "internal/metrics", "internal/schedule", "internal/demo", "internal/diagnosis", "internal/catalog", "internal/stdx"} {
		if _, ok := all[must]; !ok {
			t.Fatalf("package %q not listed (renamed? update the rules and ARCHITECTURE.md): %v", must, all)
		}
	}
	for pkg, imps := range all {
		for _, imp := range imps {
			switch {
			case pkg == "instantly" && imp != "internal/stdx":
				t.Errorf("instantly imports %s: the API client imports nothing of ours but internal/stdx", imp)
			case pkg == "." && imp != "instantly" && imp != "internal/app" && imp != "internal/cli":
				t.Errorf("main imports %s: the entry point imports only instantly, internal/app and internal/cli", imp)
			case imp == "internal/cli" && pkg != ".":
				t.Errorf("%s imports internal/cli: only main may (the command line is the top)", pkg)
			case imp == "internal/app" && pkg != "." && pkg != "internal/cli":
				t.Errorf("%s imports internal/app: only main and internal/cli may (the server's wiring)", pkg)
			case pkg == "internal/cli" && (imp == "tools" || imp == "prompts" || imp == "internal/httpserver" || imp == "internal/metrics"):
				t.Errorf("internal/cli imports %s: the commands reach the server only through internal/app", imp)
			case imp == "tools" && pkg != "internal/app":
				t.Errorf("%s imports tools: only internal/app may (tools is the MCP adapter layer)", pkg)
			case pkg == "internal/httpserver" && imp != "instantly" && !strings.HasPrefix(imp, "internal/"):
				t.Errorf("internal/httpserver imports %s: it may import only instantly and internal packages", imp)
			case pkg == "internal/demo" && imp != "instantly":
				t.Errorf("internal/demo imports %s: the demo imports only instantly", imp)
			case pkg == "internal/diagnosis" && imp != "instantly" && imp != "internal/catalog" && imp != "internal/schedule":
				t.Errorf("internal/diagnosis imports %s: the core imports only instantly, internal/schedule and internal/catalog", imp)
			case pkg == "internal/catalog" && imp != "instantly":
				t.Errorf("internal/catalog imports %s: the catalog imports only instantly", imp)
			case pkg == "prompts" && imp != "instantly" && imp != "internal/catalog" && imp != "internal/rpcerr":
				t.Errorf("prompts imports %s: it may import only instantly, internal/catalog and internal/rpcerr", imp)
			case pkg == "internal/metrics" && imp != "instantly":
				t.Errorf("%s imports %s: it may import only instantly", pkg, imp)
			case pkg == "instantly/redisbudget" && imp != "instantly" && imp != "internal/stdx":
				t.Errorf("%s imports %s: it may import only instantly and internal/stdx", pkg, imp)
			case pkg == "internal/rpcerr" || pkg == "internal/stdx":
				t.Errorf("%s imports %s: it imports nothing of ours", pkg, imp)
			case isTestPackage(imp) && !isTestPackage(pkg):
				t.Errorf("%s imports %s: shipped code must not import a test package", pkg, imp)
			}
		}
	}
	// The core and the catalog know nothing of MCP.
	for _, pkg := range []string{"internal/diagnosis", "internal/catalog"} {
		for _, imp := range ext[pkg] {
			if strings.HasPrefix(imp, "github.com/mark3labs/mcp-go") {
				t.Errorf("%s imports %s: it must not know MCP (tools and prompts are the MCP adapters)", pkg, imp)
			}
		}
	}
}

// TestEveryPackageIsDescribed: ARCHITECTURE.md names every package of the
// module, so a package added without a line there fails here.
func TestEveryPackageIsDescribed(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	all, _ := imports(t)
	for pkg := range all {
		if pkg != "." && !strings.Contains(string(doc), "`"+pkg) {
			t.Errorf("ARCHITECTURE.md does not describe package %s", pkg)
		}
	}
}
