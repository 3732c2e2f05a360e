package tools_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestToolSnapshots compares each tool's definition, as a client sees it in
// tools/list, with the golden file __toolsnaps__/<name>.snap, so a schema
// change is a reviewed diff. Regenerate with UPDATE_TOOLSNAPS=1.
func TestToolSnapshots(t *testing.T) {
	e := newEnv(t)
	list, err := e.client.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) == 0 {
		t.Fatal("no tools")
	}
	update := os.Getenv("UPDATE_TOOLSNAPS") == "1"
	for _, tool := range list.Tools {
		got, err := json.MarshalIndent(tool, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join("__toolsnaps__", tool.Name+".snap")
		if update {
			if err := os.MkdirAll("__toolsnaps__", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: no snapshot (run UPDATE_TOOLSNAPS=1 go test ./tools): %v", tool.Name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s schema changed (-snapshot +now); if intended, run UPDATE_TOOLSNAPS=1 go test ./tools:\n%s",
				tool.Name, cmp.Diff(string(want), string(got)))
		}
	}
	entries, _ := os.ReadDir("__toolsnaps__")
	if !update && len(entries) != len(list.Tools) {
		t.Errorf("%d snapshots for %d tools: remove the stale ones", len(entries), len(list.Tools))
	}
}

// Every tool sets a title and all four hints explicitly (mcp-go's defaults
// would call a read-only tool destructive), and declares an output schema.
func TestToolAnnotations(t *testing.T) {
	e := newEnv(t)
	list, err := e.client.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range list.Tools {
		a := tool.Annotations
		if tool.Title == "" || a.Title == "" {
			t.Errorf("%s: no title", tool.Name)
		}
		if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
			t.Errorf("%s: a hint is not set explicitly: %+v", tool.Name, a)
			continue
		}
		if !*a.ReadOnlyHint || *a.DestructiveHint || !*a.IdempotentHint || !*a.OpenWorldHint {
			t.Errorf("%s: hints %+v, want readOnly, not destructive, idempotent, open world", tool.Name, a)
		}
		if tool.Description == "" || len(tool.RawOutputSchema) == 0 && tool.OutputSchema.Type == "" {
			t.Errorf("%s: missing description or output schema", tool.Name)
		}
	}
}
