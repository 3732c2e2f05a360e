// Package rpcerr gives handler errors the JSON-RPC code the MCP spec asks
// for. mcp-go v1.2.1 answers every error a prompt or resource handler
// returns with -32603 (internal error), and has no way for a handler to pick
// the code. So a handler returns InvalidParams or ResourceNotFound, whose
// message starts with a fixed prefix, and the transports' output passes
// through Fix (Writer for stdio, Handler for HTTP), which rewrites the code
// of exactly those error responses: -32602 for bad params; for a resource
// that does not exist, -32002 up to protocol 2025-11-25 (its resources page:
// "Resource not found: -32002") and -32602 from 2026-07-28 on (its changelog:
// "Change resource not found error code from -32002 to -32602 (Invalid
// Params)"), the same choice mcp-go makes for a URI no handler matches.
// Internal error stays for bugs.
//
// The rewrite is byte-for-byte the same length, so Content-Length and
// framing hold; it matches only mcp-go's own encoding of an error object
// ({"code":-32603,"message":"<prefix>...), which a tool's text cannot
// produce unescaped inside a JSON string.
package rpcerr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Message prefixes: part of what the client reads, so plain words.
const (
	paramsPrefix   = "invalid params: "
	notFoundPrefix = "resource not found: "
)

// InvalidParams is an error answered with -32602.
func InvalidParams(format string, args ...any) error {
	return errors.New(paramsPrefix + fmt.Sprintf(format, args...))
}

// ResourceNotFound is the error for a resource that does not exist, answered
// with the resource-not-found code of the request's protocol version: -32002
// up to 2025-11-25; from 2026-07-28 on -32602, with the message
// "invalid params: resource not found: …". (2026-07-28 also says the error's
// data SHOULD carry the uri; mcp-go v1.2.1 gives a handler's error no data.)
func ResourceNotFound(ctx context.Context, format string, args ...any) error {
	msg := notFoundPrefix + fmt.Sprintf(format, args...)
	if mcp.IsModernProtocol(server.RequestProtocolVersion(ctx)) {
		return errors.New(paramsPrefix + msg)
	}
	return errors.New(msg)
}

var rules = []struct{ from, to []byte }{
	{[]byte(`"code":-32603,"message":"` + paramsPrefix), []byte(`"code":-32602,"message":"` + paramsPrefix)},
	{[]byte(`"code":-32603,"message":"` + notFoundPrefix), []byte(`"code":-32002,"message":"` + notFoundPrefix)},
}

// Fix returns p with the codes of InvalidParams and ResourceNotFound errors
// rewritten; p itself when there is nothing to rewrite.
func Fix(p []byte) []byte {
	if !bytes.Contains(p, []byte(`"code":-32603,`)) {
		return p
	}
	for _, r := range rules {
		if bytes.Contains(p, r.from) {
			p = bytes.ReplaceAll(p, r.from, r.to)
		}
	}
	return p
}

// Writer applies Fix to every write (mcp-go's stdio server writes one
// message per write).
type Writer struct{ W io.Writer }

func (w Writer) Write(p []byte) (int, error) {
	if _, err := w.W.Write(Fix(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Handler applies Fix to what next writes: JSON bodies and SSE events alike
// (mcp-go writes each message in one write).
func Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&responseWriter{ResponseWriter: w}, r)
	})
}

type responseWriter struct{ http.ResponseWriter }

func (w *responseWriter) Write(p []byte) (int, error) { return Writer{w.ResponseWriter}.Write(p) }

func (w *responseWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
