package tools

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/internal/stdx"
)

// safeResults is the last step of every tool result on its way out, whatever
// produced it (an answer, an error, a recovered panic): the text a model
// reads loses the characters that could drive a terminal or reorder what is
// shown (stdx.SafeText), and then every run of the server's key and of the
// request's own key, in every form the redactor knows, in the text and in
// structuredContent. Instantly's answers are already redacted when they
// arrive (instantly.Client); this catches what a caller's arguments or a
// future code path could bring. structuredContent keeps its raw characters:
// it is for programs, and its JSON encoding escapes control characters.
func safeResults(getClient ClientFunc) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			res, err := next(ctx, req)
			if res == nil {
				return res, err
			}
			r := resultRedactor(ctx, getClient)
			for i, c := range res.Content {
				switch tc := c.(type) {
				case mcp.TextContent:
					tc.Text = r.String(stdx.SafeText(tc.Text))
					res.Content[i] = tc
				case *mcp.TextContent:
					tc.Text = r.String(stdx.SafeText(tc.Text))
				}
			}
			if res.StructuredContent != nil && !r.Empty() {
				res.StructuredContent = redactStructured(res.StructuredContent, r)
			}
			return res, err
		}
	}
}

// resultRedactor is the redactor of the client that served the request (the
// server's key, and the request's own key if it brought one); nil when
// there is no key at all.
func resultRedactor(ctx context.Context, getClient ClientFunc) *instantly.Redactor {
	if getClient == nil {
		return nil
	}
	c, err := getClient(ctx)
	if err != nil || c == nil {
		return nil
	}
	return c.Redactor()
}

// redactStructured returns v, or, when its JSON holds a run of a secret, the
// same value decoded from the redacted JSON (numbers kept exact).
// The status tools' result is already JSON (json.RawMessage): it is scanned
// as it is, not encoded a second time, and stays bytes when redacted.
func redactStructured(v any, r *instantly.Redactor) any {
	b, raw := v.(json.RawMessage)
	if !raw {
		var err error
		if b, err = json.Marshal(v); err != nil {
			return v
		}
	}
	out := r.JSON(b)
	if len(out) == 0 || len(b) == 0 || &out[0] == &b[0] { // unchanged: JSON returns its input
		return v
	}
	if raw {
		if !json.Valid(out) {
			return map[string]any{"error": "this result held a secret and was withheld"}
		}
		return json.RawMessage(out)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var clean any
	if dec.Decode(&clean) != nil {
		return map[string]any{"error": "this result held a secret and was withheld"}
	}
	return clean
}
