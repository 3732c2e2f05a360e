package instantly

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// This file gives every response object with an Extra field its JSON
// behaviour: typed fields are filled from their json tags and every other key
// is kept, byte for byte, in Extra, then written back out by MarshalJSON.
// Instantly's schema says additionalProperties: true, so fields it adds later
// must survive a round trip through this project.
//
// Decoding is a single pass: a small validating scanner (scan.go) splits each
// object into members, known keys go to their fields by an exact,
// case-sensitive match, nested objects are decoded as they are met, and the
// rest is sliced into Extra. Decoding with encoding/json into the struct and
// again into a map would validate and parse every byte at least twice per
// nesting level, and would also fill Status from a key "STATUS".

// rawMessageMapType is the type of every Extra field.
var rawMessageMapType = reflect.TypeFor[map[string]json.RawMessage]()

// structInfo says how one struct type maps to JSON, derived from its json tags
// once and cached.
type structInfo struct {
	fields []fieldInfo
	byKey  map[string]int // JSON key -> index into fields
	extra  int            // struct field index of Extra, -1 if none
}

type fieldInfo struct {
	key       string
	keyJSON   []byte // `"key":`, escaped as encoding/json would
	index     int
	omitEmpty bool
	// object is set for a pointer to a struct that has an Extra field: such
	// a field is decoded by this file too, in the same pass.
	object *structInfo
}

var (
	infoCache sync.Map // reflect.Type -> *structInfo
	infoMu    sync.Mutex
)

// infoFor returns the cached description of struct type t.
func infoFor(t reflect.Type) *structInfo {
	if v, ok := infoCache.Load(t); ok {
		return v.(*structInfo)
	}
	infoMu.Lock()
	defer infoMu.Unlock()
	if v, ok := infoCache.Load(t); ok {
		return v.(*structInfo)
	}
	pending := map[reflect.Type]*structInfo{}
	info := buildInfo(t, pending)
	// Publish only complete descriptions: a type that refers to itself got a
	// placeholder pointer in pending, filled before we get here.
	for pt, pi := range pending {
		infoCache.Store(pt, pi)
	}
	return info
}

func buildInfo(t reflect.Type, pending map[reflect.Type]*structInfo) *structInfo {
	if v, ok := infoCache.Load(t); ok {
		return v.(*structInfo)
	}
	if info, ok := pending[t]; ok {
		return info
	}
	info := &structInfo{byKey: map[string]int{}, extra: -1}
	pending[t] = info
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if sf.Name == "Extra" && sf.Type == rawMessageMapType {
			info.extra = i
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		key, opts, _ := strings.Cut(tag, ",")
		if key == "" {
			key = sf.Name
		}
		if _, dup := info.byKey[key]; dup {
			continue // first field wins; our types have no duplicates
		}
		f := fieldInfo{key: key, index: i, omitEmpty: slices.Contains(strings.Split(opts, ","), "omitempty")}
		f.keyJSON = append(appendString(nil, key), ':')
		if sf.Type.Kind() == reflect.Pointer && hasExtra(sf.Type.Elem()) {
			f.object = buildInfo(sf.Type.Elem(), pending)
		}
		info.byKey[key] = len(info.fields)
		info.fields = append(info.fields, f)
	}
	return info
}

func hasExtra(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	f, ok := t.FieldByName("Extra")
	return ok && f.Type == rawMessageMapType && len(f.Index) == 1
}

// unmarshalWithExtra is the UnmarshalJSON of every type with an Extra field.
// A JSON null leaves *v unchanged, as encoding/json does; any other value
// replaces all of *v. The bytes kept in Extra are copies, as the
// json.Unmarshaler contract requires.
func unmarshalWithExtra[T any](data []byte, v *T) error {
	return decodeTop(data, reflect.ValueOf(v).Elem(), infoFor(reflect.TypeFor[T]()), true)
}

// decodeOwned decodes a whole response body the client owns: Extra values
// alias data (capacity-capped, so an append cannot spill into a neighbour),
// saving a copy per unknown key.
func decodeOwned[T any](data []byte, v *T) error {
	return decodeTop(data, reflect.ValueOf(v).Elem(), infoFor(reflect.TypeFor[T]()), false)
}

// FieldError reports a JSON value whose type does not match the documented
// one, e.g. a string where Instantly documents a number. Path is the dotted
// key path from the decoded object, e.g. "diagnostics.campaign_daily_limit.limit".
type FieldError struct {
	Path string
	Got  string // JSON kind found: string, number, boolean, object, array
	Want string // what the field takes
	Err  error  // underlying error when the mismatch was found deeper
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("JSON value: got %s, want %s", e.Got, e.Want)
	}
	if e.Err != nil {
		return fmt.Sprintf("JSON field %q: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("JSON field %q: got %s, want %s", e.Path, e.Got, e.Want)
}

func (e *FieldError) Unwrap() error { return e.Err }

// prefixed puts key in front of the path of a FieldError from a nested value.
func prefixed(key string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		cp := *fe
		cp.Path = key
		if fe.Path != "" {
			cp.Path += "." + fe.Path
		}
		return &cp
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p := key
		if te.Field != "" {
			p += "." + te.Field
		}
		return &FieldError{Path: p, Got: te.Value, Want: goKindName(te.Type)}
	}
	return err // syntax errors carry their own offset
}

func goKindName(t reflect.Type) string {
	if t == nil {
		return "?"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Float32, reflect.Float64, reflect.Int, reflect.Int8, reflect.Int16,
		reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16,
		reflect.Uint32, reflect.Uint64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return t.String()
}

// kindOf names the JSON kind of a value by its first byte.
func kindOf(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// decoder is the state of one decode. The arenas hand out the *float64,
// *bool and *string of optional fields from shared chunks: one allocation
// per 16 values instead of one per value.
type decoder struct {
	data    []byte
	copyRaw bool
	depth   int // objects open around the current position
	floats  []float64
	bools   []bool
	strs    []string
}

const arenaChunk = 16

func (d *decoder) newFloat(v float64) *float64 {
	if len(d.floats) == cap(d.floats) {
		d.floats = make([]float64, 0, arenaChunk)
	}
	d.floats = append(d.floats, v)
	return &d.floats[len(d.floats)-1]
}

func (d *decoder) newBool(v bool) *bool {
	if len(d.bools) == cap(d.bools) {
		d.bools = make([]bool, 0, arenaChunk)
	}
	d.bools = append(d.bools, v)
	return &d.bools[len(d.bools)-1]
}

func (d *decoder) newString(v string) *string {
	if len(d.strs) == cap(d.strs) {
		d.strs = make([]string, 0, arenaChunk)
	}
	d.strs = append(d.strs, v)
	return &d.strs[len(d.strs)-1]
}

// decodeTop decodes a whole JSON text into the struct v. The text is
// validated as it is decoded (no separate pass): a syntax error anywhere
// fails the decode, exactly when encoding/json's Valid would.
func decodeTop(data []byte, v reflect.Value, info *structInfo, copyRaw bool) error {
	d := decoder{data: data, copyRaw: copyRaw}
	i := skipSpace(data, 0)
	if i >= len(data) {
		return syntaxErr(data, i, "unexpected end of JSON input")
	}
	var end int
	var err error
	if data[i] == '{' {
		end, err = d.object(i, v, info)
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			// A type mismatch stopped the decode: if the text is
			// broken further on (a truncated body), say that instead.
			if _, serr := skipValue(data, i, 0); serr != nil {
				return serr
			}
		}
	} else {
		// Not an object: validate all the same, so a broken text is
		// reported as such and not as a type mismatch.
		if end, err = skipValue(data, i, 0); err == nil {
			if j := skipSpace(data, end); j < len(data) {
				return syntaxErr(data, j, "invalid character after top-level value")
			}
			if data[i] == 'n' {
				return nil // null: leave v alone
			}
			return &FieldError{Got: kindOf(data[i]), Want: "object"}
		}
	}
	if err != nil {
		return err
	}
	if j := skipSpace(data, end); j < len(data) {
		return syntaxErr(data, j, "invalid character after top-level value")
	}
	return nil
}

// object decodes the object starting at data[i] ('{') into v and returns the
// index just past it. Nested objects of known fields are decoded in the same
// pass, so no byte is scanned twice.
func (d *decoder) object(i int, v reflect.Value, info *structInfo) (int, error) {
	data := d.data
	d.depth++
	defer func() { d.depth-- }()
	v.SetZero()
	var extra map[string]json.RawMessage
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return 0, syntaxErr(data, i, "looking for beginning of object key string")
		}
		kEnd, plain, err := scanString(data, i)
		if err != nil {
			return 0, err
		}
		keyRaw := data[i:kEnd]
		i = skipSpace(data, kEnd)
		if i >= len(data) || data[i] != ':' {
			return 0, syntaxErr(data, i, "after object key")
		}
		vStart := skipSpace(data, i+1)
		if vStart >= len(data) {
			return 0, syntaxErr(data, vStart, "unexpected end of JSON input")
		}

		var key string
		var fi int
		var known bool
		if plain {
			fi, known = info.byKey[string(keyRaw[1:len(keyRaw)-1])] // no allocation
		} else {
			if key, err = unquote(keyRaw); err != nil {
				return 0, err
			}
			fi, known = info.byKey[key]
		}
		var vEnd int
		if known {
			if vEnd, err = d.field(vStart, v, &info.fields[fi]); err != nil {
				return 0, err
			}
		} else {
			if vEnd, err = skipValue(data, vStart, d.depth); err != nil {
				return 0, err
			}
			if info.extra >= 0 {
				if plain {
					key = string(keyRaw[1 : len(keyRaw)-1])
				}
				if extra == nil {
					extra = make(map[string]json.RawMessage, 4)
				}
				raw := data[vStart:vEnd:vEnd]
				if !utf8.Valid(raw) {
					// Kept bytes end up in MCP answers, which must be
					// UTF-8: repair them as encoding/json repairs
					// decoded strings (invalid bytes only occur inside
					// strings, so the value stays valid JSON).
					raw = bytes.ToValidUTF8(raw, []byte("\uFFFD"))
				} else if d.copyRaw {
					raw = bytes.Clone(raw)
				}
				if !utf8.ValidString(key) {
					key = strings.ToValidUTF8(key, "\uFFFD")
				}
				extra[key] = json.RawMessage(raw)
			}
		}
		i = skipSpace(data, vEnd)
		if i >= len(data) {
			return 0, syntaxErr(data, i, "unexpected end of JSON input")
		}
		if data[i] == '}' {
			break
		}
		if data[i] != ',' {
			return 0, syntaxErr(data, i, "after object key:value pair")
		}
		i = skipSpace(data, i+1)
	}
	if extra != nil {
		v.Field(info.extra).Set(reflect.ValueOf(extra))
	}
	return i + 1, nil
}

// field stores the member value starting at data[i] into field f of v and
// returns the index just past it. The common leaf types take a fast path;
// anything else goes through encoding/json.
func (d *decoder) field(i int, v reflect.Value, f *fieldInfo) (int, error) {
	data := d.data
	fv := v.Field(f.index)
	if f.object != nil && data[i] == '{' {
		nv := reflect.New(fv.Type().Elem())
		end, err := d.object(i, nv.Elem(), f.object)
		if err != nil {
			return 0, prefixed(f.key, err)
		}
		fv.Set(nv)
		return end, nil
	}
	end, err := skipValue(data, i, d.depth)
	if err != nil {
		return 0, err
	}
	raw := data[i:end:end]
	if raw[0] == 'n' { // null: nil for pointers and slices, zero otherwise
		fv.SetZero()
		return end, nil
	}
	if f.object != nil {
		return 0, &FieldError{Path: f.key, Got: kindOf(raw[0]), Want: "object"}
	}
	switch p := fv.Addr().Interface().(type) {
	case *string:
		*p, err = decodeString(raw, f.key)
	case **string:
		var s string
		if s, err = decodeString(raw, f.key); err == nil {
			*p = d.newString(s)
		}
	case *float64:
		*p, err = decodeNumber(raw, f.key)
	case **float64:
		var n float64
		if n, err = decodeNumber(raw, f.key); err == nil {
			*p = d.newFloat(n)
		}
	case *bool:
		*p, err = decodeBool(raw, f.key)
	case **bool:
		var b bool
		if b, err = decodeBool(raw, f.key); err == nil {
			*p = d.newBool(b)
		}
	case *[]float64:
		*p, err = decodeArray(raw, f.key, decodeNumber)
	case *[]string:
		*p, err = decodeArray(raw, f.key, decodeString)
	default:
		if err = json.Unmarshal(raw, p); err != nil {
			err = prefixed(f.key, err)
		}
	}
	return end, err
}

// decodeArray decodes a valid JSON value that should be an array of leaves.
func decodeArray[E any](raw []byte, key string, elem func([]byte, string) (E, error)) ([]E, error) {
	if raw[0] != '[' {
		return nil, &FieldError{Path: key, Got: kindOf(raw[0]), Want: "array"}
	}
	out := []E{}
	i := skipSpace(raw, 1)
	for raw[i] != ']' {
		end, err := skipValue(raw, i, 0)
		if err != nil {
			return nil, err
		}
		if raw[i] == 'n' { // null element: zero, as encoding/json does
			var zero E
			out = append(out, zero)
		} else {
			e, err := elem(raw[i:end], key)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		i = skipSpace(raw, end)
		if raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return out, nil
}

// unquote decodes a valid JSON string with escapes or non-ASCII bytes. (A
// function of its own so that only this rare path pays for the heap string
// json.Unmarshal needs.)
func unquote(raw []byte) (string, error) {
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// decodeString decodes a valid JSON value that should be a string.
func decodeString(raw []byte, key string) (string, error) {
	if raw[0] != '"' {
		return "", &FieldError{Path: key, Got: kindOf(raw[0]), Want: "string"}
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), nil
	}
	s, err := unquote(raw) // escapes or invalid UTF-8: as encoding/json does
	if err != nil {
		return "", prefixed(key, err)
	}
	return s, nil
}

// decodeNumber decodes a valid JSON value that should be a number.
func decodeNumber(raw []byte, key string) (float64, error) {
	c := raw[0]
	if c != '-' && (c < '0' || c > '9') {
		return 0, &FieldError{Path: key, Got: kindOf(c), Want: "number"}
	}
	// Small integers (counts, limits) are most numbers here: parse them
	// without the string conversion strconv needs. 15 digits are exact.
	if len(raw) <= 15 {
		neg, digits := c == '-', raw
		if neg {
			digits = raw[1:]
		}
		var n int64
		ok := len(digits) > 0
		for _, c := range digits {
			if c < '0' || c > '9' {
				ok = false
				break
			}
			n = n*10 + int64(c-'0')
		}
		if ok {
			if neg {
				return -float64(n), nil
			}
			return float64(n), nil
		}
	}
	n, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, &FieldError{Path: key, Got: "number " + truncate(string(raw), 32), Want: "number within float64 range"}
	}
	return n, nil
}

// decodeBool decodes a valid JSON value that should be a boolean.
func decodeBool(raw []byte, key string) (bool, error) {
	switch raw[0] {
	case 't':
		return true, nil
	case 'f':
		return false, nil
	}
	return false, &FieldError{Path: key, Got: kindOf(raw[0]), Want: "boolean"}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
