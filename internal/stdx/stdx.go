// Package stdx holds the few small helpers that packages which may not import
// each other share (the client, the transports, the demo, the commands). It
// imports nothing of ours.
package stdx

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Sleep waits d or until ctx ends; it reports whether the wait completed.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// FormatBytes renders a byte limit for humans: "1 MiB", "512 KiB", "1000 bytes".
func FormatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}

// Truncate cuts s to n bytes and marks the cut with "…".
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// OneLine joins the words of s with single spaces: an error or a value a
// person typed, shown on one line.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
