package stdx

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unsafeRune reports a character that must not reach a terminal or a model
// as text: C0 controls but tab and newline (ESC starts the sequences that
// retitle a window, recolour text or, with OSC 52, write the clipboard; CR
// overwrites a line), DEL, C1 controls (8-bit CSI and OSC) and the Unicode
// bidirectional controls (U+202E shows text backwards).
func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		return true
	}
	return r > 0x9f && unicode.Is(unicode.Bidi_Control, r)
}

// SafeText returns s without the characters that can drive a terminal or
// reorder what is shown (see unsafeRune); tabs and newlines stay. It is the
// last step before text from Instantly is shown to a person or a model; the
// raw values stay in structured results.
func SafeText(s string) string {
	i := strings.IndexFunc(s, unsafeRune)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if !unsafeRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// EscapeUnsafeJSON rewrites, in encoded JSON, the characters of unsafeRune
// that an encoder leaves as they are (C1 and bidirectional controls; C0 are
// always escaped) as \uXXXX escapes: the JSON decodes to the same values,
// and a terminal shows it as written.
func EscapeUnsafeJSON(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r >= 0x80 && unsafeRune(r) {
			out = append(out, b[last:i]...)
			out = append(out, []byte(`\u`)...)
			const hex = "0123456789abcdef"
			out = append(out, hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
			last = i + n
		}
		i += n
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
