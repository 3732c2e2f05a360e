package cli

import (
	"io"
	"strings"
)

// output is how the terminal commands print text: markdown when stdout is a
// file or a pipe (scripts, `| less`, a model), and on a terminal the same
// text without markdown's marks: styled with ANSI bold, color and dim, or,
// with NO_COLOR set (or TERM=dumb), plain. No terminal-rendering library:
// the server's cold start must not pay for the CLI's looks.
type output int

const (
	outMarkdown output = iota // piped: markdown as is
	outStyled                 // terminal: ANSI styles
	outPlain                  // terminal, NO_COLOR: no marks, no styles
)

func outputFor(w io.Writer, environ map[string]string) output {
	if !isTerminal(w) {
		return outMarkdown
	}
	if environ["NO_COLOR"] != "" || environ["TERM"] == "dumb" {
		return outPlain
	}
	return outStyled
}

const (
	ansiBold      = "\x1b[1m"
	ansiBoldOff   = "\x1b[22m"
	ansiDim       = "\x1b[2m"
	ansiUnderline = "\x1b[4m"
	ansiCode      = "\x1b[36m"
	ansiCodeOff   = "\x1b[39m"
	ansiReset     = "\x1b[0m"
)

// renderFor turns the markdown the renderer writes (headings, **bold**,
// `code`, _italic_ lines, lists, > notes) into text for o.
func renderFor(md string, o output) string {
	if o == outMarkdown {
		return md
	}
	styled := o == outStyled
	var b strings.Builder
	b.Grow(len(md) + len(md)/8)
	for line := range strings.SplitSeq(strings.TrimSuffix(md, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "## "), strings.HasPrefix(line, "### "):
			h := strings.TrimSpace(strings.TrimLeft(line, "#"))
			b.WriteString(styleIf(styled, ansiBold+ansiUnderline, inline(h, false), ansiReset))
		case len(line) > 2 && line[0] == '_' && (strings.HasSuffix(line, "_") || strings.HasSuffix(line, "_.")):
			body := strings.TrimPrefix(line, "_")
			body = strings.TrimSuffix(strings.TrimSuffix(body, "."), "_")
			if strings.HasSuffix(line, "_.") {
				body += "."
			}
			b.WriteString(styleIf(styled, ansiDim, inline(body, false), ansiBoldOff))
		case strings.HasPrefix(line, "- "):
			b.WriteString("  • " + inline(line[2:], styled))
		case strings.HasPrefix(line, "> "):
			b.WriteString("  │ " + inline(line[2:], styled))
		default:
			if n := numbered(line); n > 0 {
				b.WriteString("  " + line[:n] + inline(line[n:], styled))
			} else {
				b.WriteString(inline(line, styled))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// styleIf is s between the ANSI codes on and off when styled, else s.
func styleIf(styled bool, on, s, off string) string {
	if styled {
		return on + s + off
	}
	return s
}

// numbered returns the length of a "12. " list marker at the start of line.
func numbered(line string) int {
	i := 0
	for i < len(line) && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i > 0 && strings.HasPrefix(line[i:], ". ") {
		return i + 2
	}
	return 0
}

// inline replaces **bold** and `code` marks by styles, or drops them.
func inline(s string, styled bool) string {
	if !strings.ContainsAny(s, "*`") {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "**"):
			if end := strings.Index(s[2:], "**"); end >= 0 {
				b.WriteString(styleIf(styled, ansiBold, inline(s[2:2+end], styled), ansiBoldOff))
				s = s[2+end+2:]
				continue
			}
		case s[0] == '`':
			if end := strings.IndexByte(s[1:], '`'); end >= 0 {
				b.WriteString(styleIf(styled, ansiCode, s[1:1+end], ansiCodeOff))
				s = s[1+end+1:]
				continue
			}
		}
		b.WriteByte(s[0])
		s = s[1:]
	}
	return b.String()
}
