package instantly

import "fmt"

// A validating JSON scanner: just enough to split objects into members and
// find where each value ends, checking the grammar of RFC 8259 on the way, so
// that decoding needs no separate validation pass. It accepts exactly what
// encoding/json's Valid accepts (FuzzDecodeSendingStatus checks this).

// maxNesting matches encoding/json's limit on nested arrays and objects.
const maxNesting = 10000

// SyntaxError is malformed JSON, with the byte offset where it was found.
// The message never quotes the input.
type SyntaxError struct {
	Offset int64
	msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.msg)
}

func syntaxErr(data []byte, i int, msg string) error {
	if i >= len(data) {
		msg = "unexpected end of JSON input"
	}
	return &SyntaxError{Offset: int64(i), msg: msg}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scanString checks the string starting at data[i] ('"') and returns the
// index just past it; plain says it has no escape and only ASCII, so its
// bytes are its value.
func scanString(data []byte, i int) (end int, plain bool, err error) {
	plain = true
	for j := i + 1; j < len(data); j++ {
		c := data[j]
		switch {
		case c == '"':
			return j + 1, plain, nil
		case c < 0x20:
			return 0, false, syntaxErr(data, j, "control character in string")
		case c >= 0x80:
			plain = false // invalid UTF-8 is valid JSON; decoding repairs it
		case c == '\\':
			plain = false
			j++
			if j >= len(data) {
				break
			}
			switch data[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for k := 0; k < 4; k++ {
					j++
					if j >= len(data) || !isHex(data[j]) {
						return 0, false, syntaxErr(data, j, "in \\u hexadecimal character escape")
					}
				}
			default:
				return 0, false, syntaxErr(data, j, "in string escape code")
			}
		}
	}
	return 0, false, syntaxErr(data, len(data), "")
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// scanNumber checks the number starting at data[i] and returns the index
// just past it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func scanNumber(data []byte, i int) (int, error) {
	j := i
	if j < len(data) && data[j] == '-' {
		j++
	}
	switch {
	case j < len(data) && data[j] == '0':
		j++
	case j < len(data) && data[j] >= '1' && data[j] <= '9':
		for j < len(data) && data[j] >= '0' && data[j] <= '9' {
			j++
		}
	default:
		return 0, syntaxErr(data, j, "in numeric literal")
	}
	if j < len(data) && data[j] == '.' {
		j++
		if j >= len(data) || data[j] < '0' || data[j] > '9' {
			return 0, syntaxErr(data, j, "after decimal point in numeric literal")
		}
		for j < len(data) && data[j] >= '0' && data[j] <= '9' {
			j++
		}
	}
	if j < len(data) && (data[j] == 'e' || data[j] == 'E') {
		j++
		if j < len(data) && (data[j] == '+' || data[j] == '-') {
			j++
		}
		if j >= len(data) || data[j] < '0' || data[j] > '9' {
			return 0, syntaxErr(data, j, "in exponent of numeric literal")
		}
		for j < len(data) && data[j] >= '0' && data[j] <= '9' {
			j++
		}
	}
	return j, nil
}

// skipValue checks the value starting at data[i] and returns the index just
// past it. depth is the nesting depth of the value's container.
func skipValue(data []byte, i, depth int) (int, error) {
	if i >= len(data) {
		return 0, syntaxErr(data, i, "")
	}
	switch c := data[i]; c {
	case '"':
		end, _, err := scanString(data, i)
		return end, err
	case '{', '[':
		if depth+1 > maxNesting {
			return 0, syntaxErr(data, i, "exceeded max depth")
		}
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		j := skipSpace(data, i+1)
		if j < len(data) && data[j] == closing {
			return j + 1, nil
		}
		for {
			if c == '{' {
				if j >= len(data) || data[j] != '"' {
					return 0, syntaxErr(data, j, "looking for beginning of object key string")
				}
				end, _, err := scanString(data, j)
				if err != nil {
					return 0, err
				}
				j = skipSpace(data, end)
				if j >= len(data) || data[j] != ':' {
					return 0, syntaxErr(data, j, "after object key")
				}
				j = skipSpace(data, j+1)
			}
			end, err := skipValue(data, j, depth+1)
			if err != nil {
				return 0, err
			}
			j = skipSpace(data, end)
			if j >= len(data) {
				return 0, syntaxErr(data, j, "")
			}
			if data[j] == closing {
				return j + 1, nil
			}
			if data[j] != ',' {
				return 0, syntaxErr(data, j, "after value in object or array")
			}
			j = skipSpace(data, j+1)
		}
	case 't':
		return literal(data, i, "true")
	case 'f':
		return literal(data, i, "false")
	case 'n':
		return literal(data, i, "null")
	default:
		if c == '-' || c >= '0' && c <= '9' {
			return scanNumber(data, i)
		}
		return 0, syntaxErr(data, i, "looking for beginning of value")
	}
}

func literal(data []byte, i int, lit string) (int, error) {
	if len(data)-i < len(lit) || string(data[i:i+len(lit)]) != lit {
		return 0, syntaxErr(data, i, "in literal "+lit)
	}
	return i + len(lit), nil
}
