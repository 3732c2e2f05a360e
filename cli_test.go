package main

import (
	"net"
	"strings"
	"testing"
)

// A port already taken is one line that names the address, and exit 2, not
// "server stopped".
func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, stderr, code := runCmd(t, map[string]string{"LOG_LEVEL": "error"}, "-transport", "http", "-addr", addr)
	want := "instantly-status-mcp: cannot listen on " + addr + ": address already in use"
	if code != exitUsage || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, want) {
		t.Fatalf("exit %d, stderr:\n%s\nwant one line starting %q", code, stderr, want)
	}
}
