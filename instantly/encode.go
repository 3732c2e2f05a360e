package instantly

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

// marshalWithExtra is the MarshalJSON of every type with an Extra field: the
// typed fields in struct order (honouring omitempty), then the members of
// Extra sorted by key so the output is deterministic. Extra values are
// written with their bytes unchanged. A key in Extra that names a typed field
// is skipped: the typed field wins, and decoding never puts one there.
//
// Nested objects are written here too, in one pass; going through
// encoding/json would validate and re-compact each nested MarshalJSON output
// once per nesting level.
func marshalWithExtra[T any](v *T) ([]byte, error) {
	return appendObject(make([]byte, 0, 1024), reflect.ValueOf(v).Elem(), infoFor(reflect.TypeFor[T]()))
}

func appendObject(b []byte, v reflect.Value, info *structInfo) ([]byte, error) {
	b = append(b, '{')
	first := true
	for i := range info.fields {
		f := &info.fields[i]
		fv := v.Field(f.index)
		if f.omitEmpty && isEmpty(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.keyJSON...)
		var err error
		if b, err = appendField(b, fv, f); err != nil {
			return nil, err
		}
	}
	if info.extra >= 0 {
		extra := v.Field(info.extra).Interface().(map[string]json.RawMessage)
		if len(extra) > 0 {
			keys := make([]string, 0, len(extra))
			for k := range extra {
				if _, known := info.byKey[k]; !known {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			for _, k := range keys {
				raw := extra[k]
				if len(raw) == 0 {
					raw = json.RawMessage("null")
				} else if !validValue(raw) {
					return nil, fmt.Errorf("instantly: Extra[%q] is not valid JSON", truncate(k, 64))
				}
				if !first {
					b = append(b, ',')
				}
				first = false
				b = appendString(b, k)
				b = append(b, ':')
				b = append(b, raw...)
			}
		}
	}
	return append(b, '}'), nil
}

func appendField(b []byte, fv reflect.Value, f *fieldInfo) ([]byte, error) {
	if f.object != nil {
		if fv.IsNil() {
			return append(b, "null"...), nil
		}
		return appendObject(b, fv.Elem(), f.object)
	}
	switch p := fv.Addr().Interface().(type) {
	case *string:
		return appendString(b, *p), nil
	case **string:
		if *p == nil {
			return append(b, "null"...), nil
		}
		return appendString(b, **p), nil
	case *float64:
		return appendFloat(b, *p)
	case **float64:
		if *p == nil {
			return append(b, "null"...), nil
		}
		return appendFloat(b, **p)
	case *bool:
		return strconv.AppendBool(b, *p), nil
	case **bool:
		if *p == nil {
			return append(b, "null"...), nil
		}
		return strconv.AppendBool(b, **p), nil
	case *[]float64:
		if *p == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, n := range *p {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendFloat(b, n); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case *[]string:
		if *p == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, s := range *p {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), nil
	}
	out, err := json.Marshal(fv.Interface())
	if err != nil {
		return nil, err
	}
	return append(b, out...), nil
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// appendFloat writes f as encoding/json does (shortest form, exponent only
// below 1e-6 or from 1e21).
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("instantly: cannot encode %v as JSON", f)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 -> e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does with
// HTML escaping: <, > and & as \u00XX, invalid UTF-8 as \ufffd, U+2028 and
// U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// validValue reports whether raw is exactly one JSON value (white space
// around it allowed).
func validValue(raw []byte) bool {
	i := skipSpace(raw, 0)
	end, err := skipValue(raw, i, 0)
	return err == nil && skipSpace(raw, end) == len(raw)
}
