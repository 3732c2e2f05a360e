package stdx

import (
	"context"
	"testing"
	"time"
)

func TestSleep(t *testing.T) {
	if !Sleep(context.Background(), time.Nanosecond) || !Sleep(context.Background(), 0) {
		t.Fatal("a short or zero wait did not complete")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Sleep(ctx, time.Hour) || Sleep(ctx, 0) {
		t.Fatal("a wait on an ended context completed")
	}
}

// TestSleepZeroOnEndedContext: a zero wait on an ended context reports false
// every time. Were a zero wait to start a timer, the select would pick the
// fired timer or the ended context at random; 64 tries make that certain to
// show (a 2^-64 chance to miss).
func TestSleepZeroOnEndedContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range 64 {
		if Sleep(ctx, 0) {
			t.Fatalf("try %d: a zero wait on an ended context completed", i)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	for n, want := range map[int64]string{1 << 20: "1 MiB", 4 << 20: "4 MiB", 512 << 10: "512 KiB", 1000: "1000 bytes", 1<<20 + 1: "1048577 bytes", 0: "0 bytes",
		1: "1 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1536 bytes", 1536 << 10: "1536 KiB", 64 << 10: "64 KiB"} {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := Truncate("abcdef", 3); got != "abc…" {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("abc", 3); got != "abc" {
		t.Errorf("Truncate = %q", got)
	}
}

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		"Evil \x1b]0;PWNED\x07\x1b[31mRED\u202e": "Evil ]0;PWNED[31mRED",
		"line 1\nline 2\tcol\r\n":                "line 1\nline 2\tcol\n",
		"c1 \u009b31m \u0085 del \x7f":           "c1 31m  del ",
		"isolates \u2066a\u2069 \u200f mark":     "isolates a  mark",
		"Black Friday — Q1 ✓":                    "Black Friday — Q1 ✓",
	} {
		if got := SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEscapeUnsafeJSON(t *testing.T) {
	in := []byte("{\"name\":\"Evil \u202e \u009b x \u00e9\"}")
	got := string(EscapeUnsafeJSON(in))
	if want := `{"name":"Evil \u202e \u009b x é"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	clean := []byte(`{"a":"b"}`)
	if out := EscapeUnsafeJSON(clean); &out[0] != &clean[0] {
		t.Error("clean JSON copied")
	}
}
