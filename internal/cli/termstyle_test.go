package cli

import (
	"io"
	"testing"
)

// numbered: the length of a "12. " marker, digits 0-9 only.
func TestNumberedMarkerTable(t *testing.T) {
	for in, want := range map[string]int{
		"1. a": 3, "12. a": 4, "0. zero": 3, "9. nine": 3, "1.a": 0, "a. b": 0, ". x": 0,
		"": 0, "12": 0, "7.": 0, "/. x": 0, ":. x": 0,
	} {
		if got := numbered(in); got != want {
			t.Errorf("numbered(%q) = %d, want %d", in, got, want)
		}
	}
}

// inline: **bold** and `code` styled or unmarked; unclosed marks stay.
func TestInlineMarksTable(t *testing.T) {
	const b, bOff, c, cOff = "\x1b[1m", "\x1b[22m", "\x1b[36m", "\x1b[39m"
	for _, tc := range []struct {
		in, styled, plain string
	}{
		{"plain text", "plain text", "plain text"},
		{"**b**", b + "b" + bOff, "b"},
		{"x **bold** y", "x " + b + "bold" + bOff + " y", "x bold y"},
		{"`code`", c + "code" + cOff, "code"},
		{"a `c` and **b** z", "a " + c + "c" + cOff + " and " + b + "b" + bOff + " z", "a c and b z"},
		{"**a `c` b**", b + "a " + c + "c" + cOff + " b" + bOff, "a c b"},
		{"****", b + bOff, ""},
		{"``", c + cOff, ""},
		{"**open", "**open", "**open"},
		{"`open", "`open", "`open"},
		{"a*b", "a*b", "a*b"},
		{"*", "*", "*"},
	} {
		if got := inline(tc.in, true); got != tc.styled {
			t.Errorf("inline(%q, styled) = %q, want %q", tc.in, got, tc.styled)
		}
		if got := inline(tc.in, false); got != tc.plain {
			t.Errorf("inline(%q, plain) = %q, want %q", tc.in, got, tc.plain)
		}
	}
}

// renderFor: each kind of line, styled and plain; markdown untouched.
func TestRenderForExact(t *testing.T) {
	md := "## Title **x**\n### Sub\n_dim note_\n_dim note_.\n__\n_a_\n- item **b**\n> quote `c`\n3. step **s**\n12. twelve\nplain `c`\n"
	styled := "\x1b[1m\x1b[4mTitle x\x1b[0m\n" +
		"\x1b[1m\x1b[4mSub\x1b[0m\n" +
		"\x1b[2mdim note\x1b[22m\n" +
		"\x1b[2mdim note.\x1b[22m\n" +
		"__\n" +
		"\x1b[2ma\x1b[22m\n" +
		"  • item \x1b[1mb\x1b[22m\n" +
		"  │ quote \x1b[36mc\x1b[39m\n" +
		"  3. step \x1b[1ms\x1b[22m\n" +
		"  12. twelve\n" +
		"plain \x1b[36mc\x1b[39m\n"
	plain := "Title x\nSub\ndim note\ndim note.\n__\na\n  • item b\n  │ quote c\n  3. step s\n  12. twelve\nplain c\n"
	if got := renderFor(md, outStyled); got != styled {
		t.Errorf("styled:\n%q\nwant\n%q", got, styled)
	}
	if got := renderFor(md, outPlain); got != plain {
		t.Errorf("plain:\n%q\nwant\n%q", got, plain)
	}
	if got := renderFor(md, outMarkdown); got != md {
		t.Errorf("markdown changed:\n%q", got)
	}
}

// outputFor: markdown unless a terminal; plain with NO_COLOR or TERM=dumb.
func TestOutputForTable(t *testing.T) {
	old := isTerminal
	t.Cleanup(func() { isTerminal = old })
	for _, c := range []struct {
		tty     bool
		environ map[string]string
		want    output
	}{
		{false, nil, outMarkdown},
		{false, map[string]string{"NO_COLOR": "1"}, outMarkdown},
		{true, nil, outStyled},
		{true, map[string]string{"NO_COLOR": "", "TERM": "xterm"}, outStyled},
		{true, map[string]string{"NO_COLOR": "1"}, outPlain},
		{true, map[string]string{"TERM": "dumb"}, outPlain},
	} {
		isTerminal = func(io.Writer) bool { return c.tty }
		if got := outputFor(io.Discard, c.environ); got != c.want {
			t.Errorf("tty %v, %v: %d, want %d", c.tty, c.environ, got, c.want)
		}
	}
}
