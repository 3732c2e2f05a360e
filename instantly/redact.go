package instantly

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/go-json-experiment/json/jsontext"
)

// MinSecretLen is the shortest API key or access token the project accepts,
// and the shortest secret it redacts. A shorter one could not be redacted
// safely: "[REDACTED]" in place of an ordinary word ("http", "k") would give
// the secret away, and its runs would match ordinary text.
const MinSecretLen = 16

// RedactRun is the shortest run of a secret's characters (or of one of its
// encodings) that is redacted: any 12 consecutive characters of the key,
// compared without regard to ASCII case.
const RedactRun = 12

const redactedText = "[REDACTED]"

// Redactor takes secrets out of text: every run of RedactRun or more
// characters of a secret, in any ASCII case, in the secret itself, its URL
// query and path escapes, and its base64 encodings (standard and URL
// alphabets, at each of the three alignments a copy can start at). It is
// safe for concurrent use; the zero value and nil redact nothing.
type Redactor struct {
	windows map[[RedactRun]byte]struct{}
	// filter has the bit of the rolling hash of every window set, so that
	// most positions of a text are passed over without a map lookup.
	filter  *[1 << 10]uint64
	secrets []string
}

// NewRedactor returns the redactor of secrets. Secrets shorter than
// MinSecretLen (after trimming white space) are left out: see MinSecretLen.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{windows: map[[RedactRun]byte]struct{}{}, filter: new([1 << 10]uint64)}
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if len(s) < MinSecretLen || slices.Contains(r.secrets, s) {
			continue
		}
		r.secrets = append(r.secrets, s)
		for _, form := range secretForms(s) {
			r.addWindows(form)
		}
	}
	return r
}

// secretForms are the encodings of s a server may send back: s, its URL
// escapes, and base64 of s from each of its first three bytes, so that the
// base64 of any text holding s shows one of them (less a character or two at
// each end).
func secretForms(s string) []string {
	forms := []string{s, url.QueryEscape(s), url.PathEscape(s)}
	for shift := range 3 {
		b := []byte(s[shift:])
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			e := strings.TrimRight(enc.EncodeToString(b), "=")
			forms = append(forms, e, url.QueryEscape(e))
		}
	}
	return forms
}

func (r *Redactor) addWindows(form string) {
	for i := 0; i+RedactRun <= len(form); i++ {
		var w [RedactRun]byte
		for j := range RedactRun {
			w[j] = lowerASCII(form[i+j])
		}
		r.windows[w] = struct{}{}
		h := windowHash(w[:])
		r.filter[h>>6&(1<<10-1)] |= 1 << (h & 63)
	}
}

// Empty reports whether r redacts nothing.
func (r *Redactor) Empty() bool { return r == nil || len(r.windows) == 0 }

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// The rolling hash of RedactRun lowered bytes: h = sum c[j] * prime^(n-1-j).
const hashPrime = 1099511628211

var hashTop = func() uint64 { // prime^(RedactRun-1)
	p := uint64(1)
	for range RedactRun - 1 {
		p *= hashPrime
	}
	return p
}()

func windowHash(w []byte) uint64 {
	var h uint64
	for _, c := range w {
		h = h*hashPrime + uint64(c)
	}
	return mix(h)
}

func mix(h uint64) uint64 { return (h ^ h>>29) * 0x9E3779B97F4A7C15 >> 16 }

// covered returns the ranges [start, end) of s that are runs of a secret,
// merged where they touch or overlap; nil when there are none.
func (r *Redactor) covered(s []byte) [][2]int {
	if r.Empty() || len(s) < RedactRun {
		return nil
	}
	var out [][2]int
	var h uint64
	for i := range s {
		if i >= RedactRun {
			h -= uint64(lowerASCII(s[i-RedactRun])) * hashTop
		}
		h = h*hashPrime + uint64(lowerASCII(s[i]))
		start := i + 1 - RedactRun
		if start < 0 {
			continue
		}
		m := mix(h)
		if r.filter[m>>6&(1<<10-1)]&(1<<(m&63)) == 0 {
			continue
		}
		var w [RedactRun]byte
		for j := range RedactRun {
			w[j] = lowerASCII(s[start+j])
		}
		if _, ok := r.windows[w]; !ok {
			continue
		}
		if n := len(out); n > 0 && out[n-1][1] >= start {
			out[n-1][1] = i + 1
		} else {
			out = append(out, [2]int{start, i + 1})
		}
	}
	return out
}

// Bytes returns b with every run of a secret replaced by [REDACTED]; b
// itself when there is none.
func (r *Redactor) Bytes(b []byte) []byte {
	spans := r.covered(b)
	if spans == nil {
		return b
	}
	return r.replace(b, spans)
}

func spansHoldQuote(b []byte, spans [][2]int) bool {
	for _, sp := range spans {
		if bytes.IndexByte(b[sp[0]:sp[1]], '"') >= 0 {
			return true
		}
	}
	return false
}

// replace returns b with each span replaced by [REDACTED].
func (r *Redactor) replace(b []byte, spans [][2]int) []byte {
	out := make([]byte, 0, len(b))
	last := 0
	for _, sp := range spans {
		out = append(out, b[last:sp[0]]...)
		out = append(out, redactedText...)
		last = sp[1]
	}
	return append(out, b[last:]...)
}

// Redacts reports whether s holds a run of one of r's secrets.
func (r *Redactor) Redacts(s string) bool {
	return r.covered([]byte(s)) != nil
}

// String is Bytes for a string.
func (r *Redactor) String(s string) string {
	if r.Empty() || len(s) < RedactRun {
		return s
	}
	b := []byte(s)
	if r.covered(b) == nil {
		return s
	}
	return string(r.Bytes(b))
}

// JSON returns body, a JSON document, with the secrets redacted inside its
// strings (object names included), escapes decoded first so that a secret
// written with \u or \/ escapes is found too. Everything else stays byte for
// byte as Instantly sent it. A body that is not valid JSON is redacted as
// plain bytes.
func (r *Redactor) JSON(body []byte) []byte {
	if r.Empty() || len(body) < RedactRun {
		return body
	}
	if bytes.IndexByte(body, '\\') < 0 {
		// Without escapes, a string's bytes are its text: a run of a
		// secret that holds no quote lies inside one string, and the
		// bytes can be redacted as they are (five times faster).
		spans := r.covered(body)
		if spans == nil {
			return body
		}
		if !spansHoldQuote(body, spans) {
			return r.replace(body, spans)
		}
	}
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	var out []byte
	last := 0
	for {
		kind := dec.PeekKind()
		if kind == 0 {
			break
		}
		if kind != '"' {
			if _, err := dec.ReadToken(); err != nil {
				return r.Bytes(body)
			}
			continue
		}
		raw, err := dec.ReadValue()
		if err != nil {
			return r.Bytes(body)
		}
		clean, changed := r.jsonString(raw)
		if !changed {
			continue
		}
		end := int(dec.InputOffset())
		start := end - len(raw)
		out = append(append(out, body[last:start]...), clean...)
		last = end
	}
	if _, err := dec.ReadToken(); !errors.Is(err, io.EOF) {
		return r.Bytes(body) // not one valid JSON value
	}
	if out == nil {
		return body
	}
	return append(out, body[last:]...)
}

// jsonString redacts one quoted JSON string; changed is false when it holds
// no secret.
func (r *Redactor) jsonString(raw jsontext.Value) ([]byte, bool) {
	if bytes.IndexByte(raw, '\\') < 0 {
		if r.covered(raw) == nil {
			return raw, false
		}
		return r.Bytes(raw), true
	}
	plain, err := jsontext.AppendUnquote(nil, raw)
	if err != nil || r.covered(plain) == nil {
		return raw, false
	}
	q, err := jsontext.AppendQuote(nil, r.Bytes(plain))
	if err != nil {
		return []byte(`"` + redactedText + `"`), true
	}
	return q, true
}

// lastRedactor caches the redactor of the last Redact call: callers pass
// the same few secrets (the server's key, its token) over and over.
var lastRedactor atomic.Pointer[Redactor]

// Redact replaces every run of each secret in s, in the forms Redactor
// knows, with [REDACTED]. It is the one redactor of the project: the
// client's errors and bodies and the commands' logs and messages use it.
func Redact(s string, secrets ...string) string {
	r := lastRedactor.Load()
	if r == nil || !sameSecrets(r.secrets, secrets) {
		r = NewRedactor(secrets...)
		lastRedactor.Store(r)
	}
	return r.String(s)
}

// sameSecrets reports whether kept (a redactor's secrets) is what
// NewRedactor would keep of given.
func sameSecrets(kept, given []string) bool {
	i := 0
	for _, s := range given {
		s = strings.TrimSpace(s)
		if len(s) < MinSecretLen {
			continue
		}
		if i < len(kept) && kept[i] == s {
			i++
			continue
		}
		if !slices.Contains(kept[:i], s) {
			return false
		}
	}
	return i == len(kept)
}
