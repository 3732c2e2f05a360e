package demo

import (
	"bytes"
	"io"
	"slices"

	"github.com/go-json-experiment/json/jsontext"
)

// This file edits the members of a JSON object in place: every member the
// edit does not touch keeps its order and its bytes (unknown fields, nulls,
// number spelling), so a body stays what the test or the demo wrote.

// member is one "key": value pair of a JSON object, as written.
type member struct {
	name       string // the key, unquoted
	key, value jsontext.Value
}

// members splits a JSON object into its members, in order. ok is false when
// doc is not exactly one JSON object.
func members(doc []byte) (ms []member, ok bool) {
	d := jsontext.NewDecoder(bytes.NewReader(doc), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if tok, err := d.ReadToken(); err != nil || tok.Kind() != '{' {
		return nil, false
	}
	for d.PeekKind() != '}' {
		k, err := d.ReadValue()
		if err != nil {
			return nil, false
		}
		m := member{key: bytes.Clone(k)}
		name, err := jsontext.AppendUnquote(nil, k)
		if err != nil {
			return nil, false
		}
		m.name = string(name)
		v, err := d.ReadValue()
		if err != nil {
			return nil, false
		}
		m.value = bytes.Clone(v)
		ms = append(ms, m)
	}
	if _, err := d.ReadToken(); err != nil {
		return nil, false
	}
	if _, err := d.ReadToken(); err != io.EOF {
		return nil, false
	}
	return ms, true
}

// editObject applies edit to the members of the object at path (keys from
// the top) and returns the new document, or doc itself when it is not valid
// JSON, path names no object, or edit reports no change.
func editObject(doc []byte, path []string, edit func([]member) ([]member, bool)) []byte {
	ms, ok := members(doc)
	if !ok {
		return doc
	}
	if len(path) == 0 {
		if ms, ok = edit(ms); !ok {
			return doc
		}
	} else {
		i := slices.IndexFunc(ms, func(m member) bool { return m.name == path[0] })
		if i < 0 {
			return doc
		}
		v := editObject(ms[i].value, path[1:], edit)
		if bytes.Equal(v, ms[i].value) {
			return doc
		}
		ms[i].value = v
	}
	out := []byte{'{'}
	for i, m := range ms {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(append(append(out, m.key...), ':'), m.value...)
	}
	return append(out, '}')
}

// removeMember returns doc without the members named key of the object at
// path, or doc itself when there is none.
func removeMember(doc []byte, path []string, key string) []byte {
	return editObject(doc, path, func(ms []member) ([]member, bool) {
		n := len(ms)
		ms = slices.DeleteFunc(ms, func(m member) bool { return m.name == key })
		return ms, len(ms) != n
	})
}

// insertMember returns doc with "key": value added as the last member of the
// object at path. value must be valid JSON.
func insertMember(doc []byte, path []string, key string, value []byte) []byte {
	return editObject(doc, path, func(ms []member) ([]member, bool) {
		k, _ := jsontext.AppendQuote(nil, key)
		return append(ms, member{name: key, key: k, value: value}), true
	})
}
