package catalog

import "strings"

// Limits on how much of an outside value is repeated back. Error messages and
// titles go to a model and into logs; echoing a long or crafted argument in
// full would let it inject text there.
const (
	MaxEchoCode = 40 // a status code: the longest documented one has 29 characters
	MaxEchoBad  = 12 // a rejected argument: enough to recognise it, too little to carry anything
)

// Echo returns at most limit runes of s, keeping only ASCII letters,
// digits and "_-." and replacing anything else with "?". A cut is marked
// with "...".
func Echo(s string, limit int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("...")
			break
		}
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('?')
		}
		n++
	}
	return b.String()
}
