package httpserver

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
)

var errBadBody = jsonRPCError(-32700, "could not read request body")

// bufferedBody replaces a request body once it has been read in full and
// checked against the size limit. Pooled: reused after the handler returns
// (mcp-go copies what it keeps).
type bufferedBody struct {
	buf bytes.Buffer
	rd  bytes.Reader
}

func (b *bufferedBody) Read(p []byte) (int, error)         { return b.rd.Read(p) }
func (b *bufferedBody) WriteTo(w io.Writer) (int64, error) { return b.rd.WriteTo(w) }
func (b *bufferedBody) Close() error                       { return nil }

// maxPooledBody: larger buffers are dropped instead of pinned in the pool.
const maxPooledBody = 64 << 10

var bodyPool = sync.Pool{New: func() any { return new(bufferedBody) }}

// limitBody reads the request body in full, refusing with 413 (and a
// JSON-RPC error body) anything over MaxBodyBytes: at once when
// Content-Length says so, otherwise (chunked) as soon as the stream passes
// the limit. The server's ReadTimeout bounds the read (slow bodies); net/http
// lifts that deadline once the body is consumed, so it cannot cancel a long
// tool call.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > s.maxBody {
			// Not read: net/http closes the connection after the reply
			// (lingering close, so the client gets the 413).
			writeJSON(w, http.StatusRequestEntityTooLarge, s.tooLargeMsg)
			return
		}

		b := bodyPool.Get().(*bufferedBody)
		defer releaseBody(b)
		var src io.Reader = r.Body // a Content-Length body cannot overrun
		if r.ContentLength < 0 {
			// MaxBytesReader on net/http's own writer also makes the server
			// close the connection after the reply.
			src = http.MaxBytesReader(unwrapResponseWriter(w), r.Body, s.maxBody)
			b.buf.Grow(bytes.MinRead)
		} else {
			b.buf.Grow(int(r.ContentLength) + bytes.MinRead)
		}
		if _, err := b.buf.ReadFrom(src); err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				writeJSON(w, http.StatusRequestEntityTooLarge, s.tooLargeMsg)
				return
			}
			writeJSON(w, http.StatusBadRequest, errBadBody)
			return
		}
		b.rd.Reset(b.buf.Bytes())
		r.Body = b
		next.ServeHTTP(w, r)
	})
}

func releaseBody(b *bufferedBody) {
	if b.buf.Cap() > maxPooledBody {
		return
	}
	b.buf.Reset()
	b.rd.Reset(nil)
	bodyPool.Put(b)
}
