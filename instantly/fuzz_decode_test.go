package instantly

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Fuzz targets of every decoder and parser of this package. Seed corpora are
// in testdata/fuzz/<Target>/; run one with
//
//	go test -run '^$' -fuzz '^FuzzDecodeSendingStatus$' -fuzztime 15s ./instantly

// maxErrLen bounds an error's text: errors must describe, never quote, input.
const maxErrLen = 600

func fuzzSeedsJSON(f *testing.F) {
	for _, s := range []string{
		`{"diagnostics":null,"summary":null}`,
		`{"diagnostics":{"campaign_id":"x","status":"daily_limit_met","issue_tracking":{"consecutive_loops_with_issue":3}},"summary":{"status":"daily_limit_met"}}`,
		`{"diagnostics":{"accounts_summary":{"total_connected":1e400}}}`,
		`{"diagnostics":{"esp_routing_status":{"connected_esps":[1,2,"x"]}}}`,
		`{"summary":{"status":"\ud800"},"new":{"a":[1,{"b":null}]}}`,
		`{"status":1,"items":[{"id":"a","name":"b","status":1,"x":[]}],"next_starting_after":"c"}`,
		"{\"diagnostics\":{\"status\":\"\xff\xfe\"}}",
		`[` + strings.Repeat(`[`, 100) + strings.Repeat(`]`, 100) + `]`,
		`{"diagnostics":{"last_updated":"2026-01-01T00:00:00Z","STATUS":"x"}} `,
		`null`, `1`, `"s"`, ``, `{`, `{"a":}`, `{"a":1,}`, `-0.0e+1`, `{"a":"\u00zz"}`,
	} {
		f.Add([]byte(s))
	}
}

// checkDecode checks the properties every Extra-keeping decoder must have on
// any input: it rejects exactly the invalid JSON (as encoding/json does), the
// client's zero-copy path and the json.Unmarshaler path agree, errors are
// short, and whatever decodes re-encodes to valid JSON that decodes to the
// same value (a fixed point after one round).
func checkDecode[T any](t *testing.T, data []byte, unmarshal func([]byte, *T) error) {
	var owned, copied T
	errOwned := decodeOwned(data, &owned)
	errCopied := unmarshal(data, &copied)
	valid := json.Valid(data)

	if !valid && errOwned == nil {
		t.Fatalf("accepted invalid JSON %q", data)
	}
	var se *SyntaxError
	if valid && errors.As(errOwned, &se) {
		t.Fatalf("rejected valid JSON %q as a syntax error: %v", data, errOwned)
	}
	if (errOwned == nil) != (errCopied == nil) {
		t.Fatalf("decodeOwned err=%v but UnmarshalJSON err=%v for %q", errOwned, errCopied, data)
	}
	for _, err := range []error{errOwned, errCopied} {
		if err != nil && len(err.Error()) > maxErrLen {
			t.Fatalf("error of %d bytes: %.200s", len(err.Error()), err)
		}
	}
	if errOwned != nil {
		return
	}
	a, err := json.Marshal(owned)
	if err != nil {
		t.Fatalf("decoded %q but cannot re-encode: %v", data, err)
	}
	b, err := json.Marshal(copied)
	if err != nil {
		t.Fatalf("re-encode of the Unmarshaler result: %v", err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("decodeOwned and UnmarshalJSON disagree on %q:\n%s\n%s", data, a, b)
	}
	if !json.Valid(a) {
		t.Fatalf("re-encoded to invalid JSON: %q -> %q", data, a)
	}
	var again T
	if err := decodeOwned(a, &again); err != nil {
		t.Fatalf("re-encoded %q does not decode: %v", a, err)
	}
	c, err := json.Marshal(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, c) {
		t.Fatalf("round trip is not stable:\n in  %q\n 1st %q\n 2nd %q", data, a, c)
	}
	// What this package encodes ends up in MCP answers, which must be UTF-8.
	if !utf8.Valid(a) {
		t.Fatalf("re-encoded to invalid UTF-8: %q", a)
	}
}

func FuzzDecodeSendingStatus(f *testing.F) {
	fuzzSeedsJSON(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data, func(b []byte, v *SendingStatus) error { return v.UnmarshalJSON(b) })
		// encoding/json's own entry point (validates first, then calls
		// UnmarshalJSON) must agree on acceptance.
		var viaJSON SendingStatus
		errJSON := json.Unmarshal(data, &viaJSON)
		var direct SendingStatus
		if errDirect := decodeOwned(data, &direct); (errJSON == nil) != (errDirect == nil) {
			t.Fatalf("json.Unmarshal err=%v, decodeOwned err=%v for %q", errJSON, errDirect, data)
		}
	})
}

func FuzzDecodeCampaign(f *testing.F) {
	fuzzSeedsJSON(f)
	f.Add([]byte(`{"id":"019a0000-0000-7000-8000-000000000001","name":"n","status":1,"daily_limit":30,"email_list":["a@b.c"],"not_sending_status":null,"extra":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data, func(b []byte, v *Campaign) error { return v.UnmarshalJSON(b) })
	})
}

// CampaignPage has no decoder of its own: encoding/json decodes it and calls
// Campaign's UnmarshalJSON for every item.
func FuzzDecodeCampaignPage(f *testing.F) {
	fuzzSeedsJSON(f)
	f.Add([]byte(`{"items":[{"id":"a","name":"b","status":2},{"id":"c","status":-99,"email_tag_list":null}],"next_starting_after":"c"}`))
	f.Add([]byte(`{"items":[null,{}],"next_starting_after":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p CampaignPage
		err := json.Unmarshal(data, &p)
		if err != nil {
			if len(err.Error()) > maxErrLen {
				t.Fatalf("error of %d bytes", len(err.Error()))
			}
			return
		}
		a, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("decoded %q but cannot re-encode: %v", data, err)
		}
		var again CampaignPage
		if err := json.Unmarshal(a, &again); err != nil {
			t.Fatalf("re-encoded %q does not decode: %v", a, err)
		}
		b, _ := json.Marshal(again)
		if !bytes.Equal(a, b) {
			t.Fatalf("round trip is not stable:\n 1st %q\n 2nd %q", a, b)
		}
	})
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{
		"019a0000-0000-7000-8000-000000000001", " 019A0000-0000-7000-8000-00000000000F\n",
		"{019a0000-0000-7000-8000-000000000001}", "urn:uuid:019a0000-0000-7000-8000-000000000001",
		"019a0000000070008000000000000001", "", "../../etc/passwd", "019a0000-0000-7000-8000-00000000000g",
		"sk_test_Zq8wV3mK1pR7tY2uX9eB4nL6", "ñ\x00\xff" + strings.Repeat("a", 100),
	} {
		f.Add(s)
	}
	const key = "sk_fuzz_Q7wE3rT9yU1iO5pA"
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s)
		if err == nil {
			if len(id) != 36 || id != strings.ToLower(id) {
				t.Fatalf("ParseID(%q) = %q: not canonical", s, id)
			}
			for i, c := range id {
				dash := i == 8 || i == 13 || i == 18 || i == 23
				if dash != (c == '-') || (!dash && !strings.ContainsRune("0123456789abcdef", c)) {
					t.Fatalf("ParseID(%q) = %q: not canonical", s, id)
				}
			}
			if again, err := ParseID(id); err != nil || again != id {
				t.Fatalf("ParseID(%q) = %q, %v: not idempotent", id, again, err)
			}
			return
		}
		var ie *InvalidIDError
		if !errors.As(err, &ie) {
			t.Fatalf("ParseID(%q): error %T, want *InvalidIDError", s, err)
		}
		if !isFixedIDMessage(err.Error()) {
			t.Fatalf("ParseID(%q): the error depends on the input beyond its kind: %s", s, err)
		}
		if len(err.Error()) > 200 {
			t.Fatalf("error too long: %s", err)
		}
		// A key pasted into the id is never echoed, not even in part.
		_, err = parseIDFor(key+s, key)
		if err == nil {
			t.Fatalf("parseIDFor accepted %q", key+s)
		}
		if leaksPart(err.Error(), key) {
			t.Fatalf("parseIDFor echoes part of the key: %s", err)
		}
	})
}

// FuzzErrorResponse feeds checkResponse (the parser of every non-2xx answer)
// arbitrary status, body, Content-Type and Retry-After. The result is always
// an *ErrorResponse whose text is short, free of control characters and of
// the key, with a Retry-After within a day.
func FuzzErrorResponse(f *testing.F) {
	const key = "sk_fuzz_Q7wE3rT9yU1iO5pA"
	f.Add(401, []byte(`{"statusCode":401,"error":"Unauthorized","message":"Invalid API key: sk_fuzz_Q7wE3rT9yU1iO5pA"}`), "application/json", "")
	f.Add(429, []byte(`{"statusCode":429,"error":"Too Many Requests","message":"Rate limit exceeded"}`), "application/json; charset=utf-8", "3")
	f.Add(503, []byte(`<html>Bad gateway</html>`), "text/html", "Wed, 21 Oct 2099 07:28:00 GMT")
	f.Add(400, []byte(`{"message":["a","b\u0000c"],"error":7}`), "", "-1")
	f.Add(500, []byte(""), "application/json; =bad", "99999999999999999999")
	f.Add(404, []byte(`{"message":"sk_fuzz_Q7wE3rT9yU1iO5pA%2F","error":"sk%5Ffuzz"}`), "x/"+strings.Repeat("y", 80), " 10 ")
	f.Fuzz(func(t *testing.T, status int, body []byte, ctype, retryAfter string) {
		if status < 100 || status > 999 {
			status = 400 + (status%200+200)%200
		}
		h := http.Header{}
		h.Set("Content-Type", ctype)
		h.Set("Retry-After", retryAfter)
		resp := &http.Response{StatusCode: status, Header: h, Body: readCloser{bytes.NewReader(body)}}
		err := checkResponse(resp, opCampaignSendingStatus, 4096, key)
		var er *ErrorResponse
		if !errors.As(err, &er) {
			t.Fatalf("checkResponse: %T %v, want *ErrorResponse", err, err)
		}
		msg := er.Error()
		if strings.Contains(msg, key) {
			t.Fatalf("key in error: %s", msg)
		}
		if utf8.RuneCountInString(er.Message) > 501 || utf8.RuneCountInString(er.ErrorName) > 101 {
			t.Fatalf("message too long: %d runes", utf8.RuneCountInString(er.Message))
		}
		if strings.IndexFunc(er.Message+er.ErrorName, unicode.IsControl) >= 0 {
			t.Fatalf("control character in %q / %q", er.ErrorName, er.Message)
		}
		if er.RetryAfter < 0 || er.RetryAfter > 24*60*60*1e9 {
			t.Fatalf("Retry-After %q gave %s", retryAfter, er.RetryAfter)
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("error text is not UTF-8: %q", msg)
		}
	})
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
