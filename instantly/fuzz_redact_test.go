package instantly

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// fuzzKeyForms are the pieces a reflecting server could send back: the key
// whole, in other cases, cut at either end, encoded, and JSON-escaped.
func fuzzKeyForms(key string) []string {
	b64 := base64.StdEncoding.EncodeToString
	return []string{
		key, strings.ToUpper(key), strings.ToLower(key), key[:20], key[5:], key[:len(key)-1], key[3:15],
		url.QueryEscape(key), url.PathEscape(key), b64([]byte(key)), base64.URLEncoding.EncodeToString([]byte(key)),
		b64([]byte("Bearer " + key)), b64([]byte(key))[:20], b64([]byte("x:" + key)),
		strings.ReplaceAll(key, "/", `\/`), `\u00` + fmt.Sprintf("%x", key[0]) + key[1:], strings.ReplaceAll(key, "+", `\u002b`),
	}
}

// FuzzKeyFormsNeverSurvive mixes random pieces of the key's forms with
// random text into the strings of an answer, served as a 2xx and as an
// error, and checks no run of the key reaches the typed view, Raw or the
// error text.
func FuzzKeyFormsNeverSurvive(f *testing.F) {
	f.Add("status message", []byte{0, 3, 9, 15}, uint16(200))
	f.Add("", []byte{1, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16}, uint16(500))
	f.Add("x\\\"", []byte{16, 16, 0}, uint16(404))
	f.Add("ai", []byte{255, 7}, uint16(401))
	forms := fuzzKeyForms(testKey)
	f.Fuzz(func(t *testing.T, filler string, picks []byte, status uint16) {
		if len(picks) > 64 {
			picks = picks[:64]
		}
		var mix strings.Builder
		for i, p := range picks {
			if p%5 == 4 {
				mix.WriteString(filler)
			}
			mix.WriteString(forms[int(p)%len(forms)])
			if i%3 == 0 {
				mix.WriteString(" ")
			}
		}
		// The mix goes in raw (so its JSON escapes stay escapes), filler
		// quoted: the body is valid JSON unless a piece breaks a string.
		q, _ := json.Marshal(filler)
		body := []byte(`{"diagnostics":{"campaign_id":"` + testID + `","status":"` + mix.String() + `"},` +
			`"summary":{"status":"healthy","status_message":"` + mix.String() + `","ai_summary":` + string(q) + `},` +
			`"statusCode":` + fmt.Sprint(status) + `,"message":"` + mix.String() + `","error":"` + mix.String() + `"}`)
		code := 200 + int(status)%400
		hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: code, Header: http.Header{"Content-Type": {"application/json"}},
				Body: readCloser{bytes.NewReader(body)}, ContentLength: -1}, nil
		})}
		c, err := NewClient(testKey, WithHTTPClient(hc), WithoutRateLimit(), WithMaxAttempts(1))
		if err != nil {
			t.Fatal(err)
		}
		st, err := c.GetCampaignSendingStatus(context.Background(), testID, nil)
		var outs []string
		if err != nil {
			outs = append(outs, err.Error())
			var er *ErrorResponse
			if errors.As(err, &er) {
				outs = append(outs, er.ErrorName, er.Message)
			}
		} else {
			typed, _ := json.Marshal(st)
			outs = append(outs, string(st.Raw), string(typed))
		}
		for _, out := range outs {
			if run, bad := leaks(out, testKey); bad {
				t.Fatalf("status %d: %q of the key survives in %.300q", code, run, out)
			}
		}
	})
}
