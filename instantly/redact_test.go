package instantly

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// redactKey looks like an Instantly v2 key: base64 with + and /.
const redactKey = "MjU0ZDYx+NzQtNGE5Ny1hYjQ2LWQ4Y2YwYmQ3/ZmE2OnRmWkxhdmVyc2lvbg=="

// keyForms are the copies of key a server was seen to send back, each a
// form the redactor must catch.
func keyForms(key string) map[string]string {
	return map[string]string{
		"exact":         key,
		"upper":         strings.ToUpper(key),
		"lower":         strings.ToLower(key),
		"prefix 20":     key[:20],
		"minus last":    key[:len(key)-1],
		"middle 12":     key[7:19],
		"query escaped": url.QueryEscape(key),
		"path escaped":  url.PathEscape(key),
		"base64":        base64.StdEncoding.EncodeToString([]byte(key)),
		"base64 prefix": base64.StdEncoding.EncodeToString([]byte(key))[:16],
		"base64url":     base64.URLEncoding.EncodeToString([]byte(key)),
		"base64 inside": base64.StdEncoding.EncodeToString([]byte("Bearer " + key)),
		"basic auth":    base64.StdEncoding.EncodeToString([]byte("user:" + key)),
	}
}

// leaks reports a run of RedactRun characters of a form of key in text.
func leaks(text, key string) (string, bool) {
	lower := strings.ToLower(text)
	for _, form := range secretForms(key) {
		form = strings.ToLower(form)
		for i := 0; i+RedactRun <= len(form)-2; i++ { // a base64 form's last chars depend on what follows
			if strings.Contains(lower, form[i:i+RedactRun]) {
				return form[i : i+RedactRun], true
			}
		}
	}
	return "", false
}

func TestRedactorForms(t *testing.T) {
	r := NewRedactor(redactKey)
	for name, form := range keyForms(redactKey) {
		got := r.String("Invalid API key: " + form + " (try again)")
		if run, bad := leaks(got, redactKey); bad {
			t.Errorf("%s: %q survives in %q", name, run, got)
		}
		// Inside a longer base64 text, the characters that also encode
		// what precedes the key stay.
		if !strings.HasPrefix(got, "Invalid API key: ") || !strings.Contains(got, "[REDACTED]") || !strings.Contains(got, " (try again)") {
			t.Errorf("%s: %q, want the text around the key kept", name, got)
		}
	}
	// 11 characters of the key are not a run; ordinary text is untouched.
	for _, s := range []string{"a " + redactKey[:RedactRun-1] + " b", "Black Friday outreach, 2026 Q1", ""} {
		if got := r.String(s); got != s {
			t.Errorf("%q became %q", s, got)
		}
	}
}

// A secret too short to redact safely is not redacted at all: "[REDACTED]"
// in place of "http" would give the secret away.
func TestRedactorShortSecrets(t *testing.T) {
	for _, short := range []string{"http", "k", strings.Repeat("x", MinSecretLen-1)} {
		r := NewRedactor(short)
		if !r.Empty() {
			t.Errorf("%q: redactor not empty", short)
		}
		if got := Redact("transport=http key="+short, short); got != "transport=http key="+short {
			t.Errorf("%q: %q", short, got)
		}
	}
}

// In a JSON body, only strings that hold the key change; the rest stays byte
// for byte, and escaped copies are found too.
func TestRedactorJSON(t *testing.T) {
	r := NewRedactor(redactKey)
	esc := strings.ReplaceAll(redactKey, "/", `\/`)
	esc = strings.Replace(esc, "M", `\u004d`, 1)
	body := []byte(`{"id":"019e18e2-a52f-78e7-96f2-b33ee19bb50a",  "n": 1.50e3,` +
		`"status_message":"key ` + redactKey + ` echoed","ai_summary":"` + esc + `",` +
		`"` + strings.ToUpper(redactKey) + `":[true,null,"plain"]}`)
	got := r.JSON(body)
	if !json.Valid(got) {
		t.Fatalf("invalid JSON: %s", got)
	}
	if run, bad := leaks(string(got), redactKey); bad {
		t.Fatalf("%q survives in %s", run, got)
	}
	want := `{"id":"019e18e2-a52f-78e7-96f2-b33ee19bb50a",  "n": 1.50e3,"status_message":"key [REDACTED] echoed",` +
		`"ai_summary":"[REDACTED]","[REDACTED]":[true,null,"plain"]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	clean := []byte(`{"a": "b" , "c":[1, 2]}`)
	if out := r.JSON(clean); &out[0] != &clean[0] {
		t.Error("a body without the key was copied")
	}
	broken := []byte(`{"a":"` + redactKey + `"`)
	if out := r.JSON(broken); bytes.Contains(out, []byte(redactKey[:RedactRun])) {
		t.Errorf("invalid JSON kept the key: %s", out)
	}
}

// A copy made for a per-request key redacts the server's key too.
func TestWithAPIKeyRedactsBothKeys(t *testing.T) {
	const other = "per-request-key-4Hq8Zr2Lx9Wm"
	c, err := NewClient(redactKey, WithSecrets("access-token-0123456789abcdef0123"))
	if err != nil {
		t.Fatal(err)
	}
	cp := c.WithAPIKey(other)
	for _, s := range []string{redactKey, other, "access-token-0123456789abcdef0123"} {
		if got := cp.Redactor().String("x " + s + " y"); got != "x [REDACTED] y" {
			t.Errorf("%.8s…: %q", s, got)
		}
	}
	if got := c.Redactor().String(other); got != other {
		t.Errorf("the server's client redacts a per-request key: %q", got)
	}
}

func BenchmarkRedactorJSON(b *testing.B) {
	r := NewRedactor(redactKey)
	body := bytes.Repeat([]byte(`{"name":"Black Friday outreach 2026","status":1,"id":"019e18e2-a52f-78e7-96f2-b33ee19bb50a"},`), 10000)
	body = append(append([]byte("["), body[:len(body)-1]...), ']')
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		r.JSON(body)
	}
}
