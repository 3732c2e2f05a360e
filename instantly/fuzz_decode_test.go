package instantly

import (
	"bytes"
	"context"
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

// getBody serves body with status 200 to a client call and returns the
// call's result.
func getBody[T any](t testing.TB, body []byte, call func(*Client) (T, error)) (T, error) {
	t.Helper()
	hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: readCloser{bytes.NewReader(body)}, ContentLength: -1}, nil
	})}
	c, err := NewClient(testKey, WithHTTPClient(hc), WithoutRateLimit(), WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	return call(c)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// FuzzDecodeSendingStatus feeds hostile 2xx bodies to the client: what it
// accepts is valid JSON kept exactly as Raw (invalid UTF-8 repaired), what it
// refuses is a short *ResponseError, and nothing panics.
func FuzzDecodeSendingStatus(f *testing.F) {
	fuzzSeedsJSON(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := getBody(t, data, func(c *Client) (*SendingStatus, error) {
			return c.GetCampaignSendingStatus(context.Background(), testID, nil)
		})
		repaired := bytes.ToValidUTF8(data, []byte("\uFFFD"))
		if err != nil {
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("err %T %v, want *ResponseError", err, err)
			}
			if len(err.Error()) > maxErrLen {
				t.Fatalf("error of %d bytes: %.200s", len(err.Error()), err)
			}
			return
		}
		if !json.Valid(repaired) || !bytes.Equal(st.Raw, repaired) || !utf8.Valid(st.Raw) {
			t.Fatalf("accepted %q, Raw %q", data, st.Raw)
		}
	})
}

// FuzzDecodeCampaignPage does the same for the campaign list.
func FuzzDecodeCampaignPage(f *testing.F) {
	fuzzSeedsJSON(f)
	f.Add([]byte(`{"items":[{"id":"a","name":"b","status":2},{"id":"c","status":-99,"email_tag_list":null}],"next_starting_after":"c"}`))
	f.Add([]byte(`{"items":[null,{}],"next_starting_after":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		page, err := getBody(t, data, func(c *Client) (*CampaignPage, error) {
			return c.ListCampaigns(context.Background(), nil)
		})
		if err != nil {
			if len(err.Error()) > maxErrLen {
				t.Fatalf("error of %d bytes", len(err.Error()))
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		for _, c := range page.Items {
			if !utf8.ValidString(c.ID + c.Name + c.TimestampCreated + strings.Join(c.EmailList, "")) {
				t.Fatalf("invalid UTF-8 in %+v", c)
			}
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
		_, err = parseIDFor(key+s, NewRedactor(key))
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
		err := checkResponse(resp, opCampaignSendingStatus, 4096, NewRedactor(key))
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
