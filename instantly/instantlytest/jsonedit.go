package instantlytest

import (
	"bytes"
	"encoding/json"
)

// This file edits JSON documents at the byte level, so that everything the
// edit does not touch (key order, unknown fields, nulls, number spelling)
// stays exactly as it was.

// member is one "key": value pair of a JSON object, as offsets into the
// document: start is the key's opening quote, valStart the value's first byte,
// end the byte after the value.
type member struct {
	key                  string
	start, valStart, end int
}

// objectAt returns the members of the JSON object that spans doc[from:to]
// (surrounding space allowed), and the offset of its closing brace. ok is
// false if it is not an object. doc must be valid JSON; objectAt never
// panics when it is not.
func objectAt(doc []byte, from, to int) (members []member, closing int, ok bool) {
	doc = doc[:to]
	i := skipSpace(doc, from)
	if i >= len(doc) || doc[i] != '{' {
		return nil, 0, false
	}
	i = skipSpace(doc, i+1)
	if i < len(doc) && doc[i] == '}' {
		return nil, i, true
	}
	for i < len(doc) && doc[i] == '"' {
		keyEnd := skipString(doc, i)
		if keyEnd < 0 {
			return nil, 0, false
		}
		key := string(doc[i+1 : keyEnd-1])
		if bytes.IndexByte(doc[i:keyEnd], '\\') >= 0 {
			if json.Unmarshal(doc[i:keyEnd], &key) != nil {
				return nil, 0, false
			}
		}
		colon := skipSpace(doc, keyEnd)
		if colon >= len(doc) || doc[colon] != ':' {
			return nil, 0, false
		}
		valStart := skipSpace(doc, colon+1)
		end := skipValue(doc, valStart)
		if end < 0 {
			return nil, 0, false
		}
		members = append(members, member{key: key, start: i, valStart: valStart, end: end})
		i = skipSpace(doc, end)
		if i >= len(doc) {
			break
		}
		switch doc[i] {
		case '}':
			return members, i, true
		case ',':
			i = skipSpace(doc, i+1)
			continue
		}
		break
	}
	return nil, 0, false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// skipString returns the offset after the string that starts at b[i], or -1.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the offset after the value that starts at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				k := skipString(b, j)
				if k < 0 {
					return -1
				}
				j = k - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i // number, true, false, null
	for j < len(b) && !isSpace(b[j]) && b[j] != ',' && b[j] != '}' && b[j] != ']' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// findObject follows path (object keys) from the top-level object of doc and
// returns the span of the object it names.
func findObject(doc []byte, path []string) (from, to int, ok bool) {
	from, to = 0, len(doc)
	for _, key := range path {
		members, _, ok := objectAt(doc, from, to)
		if !ok {
			return 0, 0, false
		}
		found := false
		for _, m := range members {
			if m.key == key {
				from, to, found = m.valStart, m.end, true
				break
			}
		}
		if !found {
			return 0, 0, false
		}
	}
	// Trim surrounding whitespace of the top-level document.
	for from < to && isSpace(doc[from]) {
		from++
	}
	for to > from && isSpace(doc[to-1]) {
		to--
	}
	if from >= to || doc[from] != '{' {
		return 0, 0, false
	}
	return from, to, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// removeMember returns a copy of doc without the members named key of the
// object at path. It returns doc itself when there is nothing to remove or doc
// is not valid JSON.
func removeMember(doc []byte, path []string, key string) []byte {
	if !json.Valid(doc) {
		return doc
	}
	for {
		from, to, ok := findObject(doc, path)
		if !ok {
			return doc
		}
		members, _, ok := objectAt(doc, from, to)
		if !ok {
			return doc
		}
		i := -1
		for j, m := range members {
			if m.key == key {
				i = j
				break
			}
		}
		if i < 0 {
			return doc
		}
		var cutFrom, cutTo int
		switch {
		case i > 0: // from the end of the previous value: drops the comma before
			cutFrom, cutTo = members[i-1].end, members[i].end
		case len(members) > 1: // first of several: drops the comma after
			cutFrom, cutTo = members[0].start, members[1].start
		default:
			cutFrom, cutTo = members[0].start, members[0].end
		}
		out := make([]byte, 0, len(doc)-(cutTo-cutFrom))
		out = append(out, doc[:cutFrom]...)
		doc = append(out, doc[cutTo:]...)
	}
}

// insertMember returns a copy of doc with "key": value added as the last
// member of the object at path. value must be valid JSON. It returns doc
// itself when path does not name an object.
func insertMember(doc []byte, path []string, key string, value []byte) []byte {
	from, to, ok := findObject(doc, path)
	if !ok {
		return doc
	}
	members, closing, ok := objectAt(doc, from, to)
	if !ok {
		return doc
	}
	k, _ := json.Marshal(key)
	var add []byte
	if len(members) > 0 {
		add = append(add, ',')
	}
	add = append(add, k...)
	add = append(add, ':')
	add = append(add, value...)
	out := make([]byte, 0, len(doc)+len(add))
	out = append(out, doc[:closing]...)
	out = append(out, add...)
	return append(out, doc[closing:]...)
}

// mergeMissing adds to the JSON object obj every member of extra whose key it
// does not have yet, in sorted key order.
func mergeMissing(obj []byte, extra map[string]json.RawMessage) []byte {
	if len(extra) == 0 {
		return obj
	}
	members, _, ok := objectAt(obj, 0, len(obj))
	if !ok {
		return obj
	}
	have := make(map[string]bool, len(members))
	for _, m := range members {
		have[m.key] = true
	}
	for _, k := range sortedKeys(extra) {
		v := extra[k]
		if have[k] || !json.Valid(v) {
			continue
		}
		obj = insertMember(obj, nil, k, v)
	}
	return obj
}
