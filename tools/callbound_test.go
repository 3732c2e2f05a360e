package tools

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// At most max calls run at once; one more waits, and after busyWait gets a
// tool error saying the server is busy; a waiting call starts as soon as a
// slot frees.
func TestBoundCalls(t *testing.T) {
	defer func(d time.Duration) { busyWait = d }(busyWait)
	busyWait = 100 * time.Millisecond
	release := make(chan struct{})
	var running, peak atomic.Int32
	h := boundCalls(2)(func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-release
		return mcp.NewToolResultText("ok"), nil
	})
	done := make(chan *mcp.CallToolResult, 4)
	for range 2 {
		go func() { r, _ := h(context.Background(), mcp.CallToolRequest{}); done <- r }()
	}
	for running.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	busy, err := h(context.Background(), mcp.CallToolRequest{})
	if err != nil || !busy.IsError || !strings.Contains(busy.Content[0].(mcp.TextContent).Text, "This server is busy: it is serving 2 calls at once") {
		t.Fatalf("third call: %v %+v", err, busy)
	}
	busyWait = 5 * time.Second
	go func() { r, _ := h(context.Background(), mcp.CallToolRequest{}); done <- r }()
	time.Sleep(20 * time.Millisecond)
	close(release)
	for range 3 {
		if r := <-done; r.IsError {
			t.Fatalf("a call failed: %+v", r)
		}
	}
	if peak.Load() != 2 {
		t.Errorf("peak %d calls at once, want 2", peak.Load())
	}
	// A caller that gives up while waiting leaves with its context's error.
	ctx, cancel := context.WithCancel(context.Background())
	block := make(chan struct{})
	h1 := boundCalls(1)(func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) { <-block; return nil, nil })
	go func() { _, _ = h1(context.Background(), mcp.CallToolRequest{}) }()
	time.Sleep(10 * time.Millisecond)
	cancel()
	if _, err := h1(ctx, mcp.CallToolRequest{}); err == nil {
		t.Error("a cancelled waiter got no error")
	}
	close(block)
}
