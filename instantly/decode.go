package instantly

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// decodeStrict decodes body, one JSON value, into v with encoding/json/v2
// semantics: an object key fills a field only on an exact, case-sensitive
// match (encoding/json would fill Status from "STATUS"), unknown keys are
// skipped, and a duplicate key, trailing data or malformed JSON fail the
// decode. body must be valid UTF-8 (get repairs it first). The work is linear
// in the body, which the client caps; nesting is capped at 10,000 levels.
//
// Errors never quote the body: a *SyntaxError gives the byte offset, a
// *FieldError the key path and the JSON kinds.
func decodeStrict(body []byte, v any) error {
	err := json.Unmarshal(body, v)
	if _, ok := errors.AsType[*json.SemanticError](err); ok {
		// A type mismatch stopped the decode: if the body is broken
		// further on (cut short), say that instead.
		var whole jsontext.Value
		if serr := json.Unmarshal(body, &whole); serr != nil {
			err = serr
		}
	}
	if se, ok := errors.AsType[*jsontext.SyntacticError](err); ok {
		return &SyntaxError{Offset: se.ByteOffset}
	}
	if me, ok := errors.AsType[*json.SemanticError](err); ok {
		fe := &FieldError{Path: dottedPath(me.JSONPointer), Got: kindName(me.JSONKind), Want: goKindName(me.GoType)}
		if fe.Got == fe.Want { // 1e400 into a float64, 1.5 into a CampaignStatus
			fe.Want = "number within range"
			if k := me.GoType; k != nil && k.Kind() >= reflect.Int && k.Kind() <= reflect.Uint64 {
				fe.Want = "whole number within range"
			}
		}
		return fe
	}
	return err
}

// SyntaxError is malformed JSON, with the byte offset where it was found.
// The message never quotes the input.
type SyntaxError struct {
	Offset int64
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d", e.Offset)
}

// FieldError reports a JSON value whose type does not match the documented
// one, e.g. a string where Instantly documents a number. Path is the key path
// from the decoded object, e.g. "diagnostics.campaign_daily_limit.limit" or
// "items[0].status".
type FieldError struct {
	Path string
	Got  string // JSON kind found: string, number, boolean, object, array
	Want string // what the field takes
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("JSON value: got %s, want %s", e.Got, e.Want)
	}
	return fmt.Sprintf("JSON field %q: got %s, want %s", e.Path, e.Got, e.Want)
}

// dottedPath turns a JSON Pointer (/items/0/status) into items[0].status. A
// type mismatch is always at a field this package names, so the path is short.
func dottedPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.ParseUint(tok, 10, 32); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "?"
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
