package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"sync"
	"syscall"
)

// NewTransport returns a RoundTripper that serves every request with h in
// process, without any network: the URL's scheme and host do not matter
// (the demo mode uses DemoBaseURL). The response body streams
// from the handler as it writes. Cancelling the request's context fails the
// round trip, or a body read in progress, with the context's error and
// cancels the handler's request context; so does closing the body early.
// A handler that aborts (panics with http.ErrAbortHandler, as
// instantlytest's Hijack fault does here) fails the round trip with a "connection reset by peer"
// *net.OpError.
func NewTransport(h http.Handler) http.RoundTripper {
	return &transport{h: h}
}

type transport struct{ h http.Handler }

// fakeRemote is the client address the handler sees (TEST-NET-1).
var fakeRemote = &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 49152}

func connReset() error {
	return &net.OpError{Op: "read", Net: "tcp", Addr: fakeRemote, Err: os.NewSyscallError("read", syscall.ECONNRESET)}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil {
		closeBody(req)
		return nil, errors.New("demo: nil Request.URL")
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		closeBody(req)
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	sreq := serverRequest(sctx, req)

	pr, pw := io.Pipe()
	rw := &pipeWriter{header: http.Header{}, pw: pw, head: req.Method == http.MethodHead, ready: make(chan struct{})}
	go func() {
		defer cancel() // as a server does when ServeHTTP returns
		defer closeBody(req)
		defer func() {
			if p := recover(); p != nil {
				err := connReset()
				if p != http.ErrAbortHandler {
					err = fmt.Errorf("demo: handler panic: %v", p)
				}
				rw.abort(err)
				return
			}
			// A client that gave up must not see a clean end of a cut body.
			rw.finish(ctx.Err())
		}()
		t.h.ServeHTTP(rw, sreq)
	}()

	select {
	case <-rw.ready:
	case <-ctx.Done():
		pr.CloseWithError(ctx.Err()) // unblocks the handler's writes
		cancel()
		return nil, ctx.Err()
	}
	if rw.abortErr != nil {
		return nil, rw.abortErr
	}
	body := &pipeBody{pr: pr, cancel: cancel}
	body.stop = context.AfterFunc(ctx, func() { pw.CloseWithError(ctx.Err()) }) // reads fail with ctx's error
	text := http.StatusText(rw.status)
	if text == "" {
		text = "status code " + strconv.Itoa(rw.status)
	}
	resp := &http.Response{
		Status:        strconv.Itoa(rw.status) + " " + text,
		StatusCode:    rw.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rw.sent,
		Body:          body,
		ContentLength: -1,
		Request:       req,
	}
	if n, err := strconv.ParseInt(rw.sent.Get("Content-Length"), 10, 64); err == nil && n >= 0 {
		resp.ContentLength = n
	}
	return resp, nil
}

// serverRequest is req as a server would see it.
func serverRequest(ctx context.Context, req *http.Request) *http.Request {
	s := req.Clone(ctx)
	s.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	if s.URL.Path == "" {
		s.URL.Path = "/"
	}
	s.RequestURI = s.URL.RequestURI()
	s.Proto, s.ProtoMajor, s.ProtoMinor = "HTTP/1.1", 1, 1
	if s.Host == "" {
		s.Host = req.URL.Host
	}
	s.RemoteAddr = fakeRemote.String()
	if req.Body == nil {
		s.Body = http.NoBody
	}
	return s
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// pipeWriter is the ResponseWriter of NewTransport. Until ready is closed
// only the handler goroutine touches it; after, RoundTrip reads status,
// sent and abortErr, which no longer change.
type pipeWriter struct {
	header      http.Header
	pw          *io.PipeWriter
	head        bool
	wroteHeader bool
	status      int
	sent        http.Header
	abortErr    error
	ready       chan struct{}
}

func (w *pipeWriter) Header() http.Header { return w.header }

func (w *pipeWriter) WriteHeader(code int) {
	if w.wroteHeader {
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code)) // as net/http
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		return // informational: not the response
	}
	w.wroteHeader, w.status, w.sent = true, code, w.header.Clone()
	close(w.ready)
}

func (w *pipeWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		if w.header.Get("Content-Type") == "" && len(p) > 0 {
			w.header.Set("Content-Type", http.DetectContentType(p))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.head {
		return len(p), nil
	}
	return w.pw.Write(p)
}

// Flush sends the header; the body is unbuffered.
func (w *pipeWriter) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
}

// finish ends the body: at EOF, or with err.
func (w *pipeWriter) finish(err error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	_ = w.pw.CloseWithError(err) // nil: EOF
}

func (w *pipeWriter) abort(err error) {
	if !w.wroteHeader {
		w.wroteHeader, w.abortErr = true, err
		close(w.ready)
	}
	_ = w.pw.CloseWithError(err)
}

// pipeBody is the response body of NewTransport.
type pipeBody struct {
	pr     *io.PipeReader
	stop   func() bool
	cancel context.CancelFunc
	once   sync.Once
}

func (b *pipeBody) Read(p []byte) (int, error) { return b.pr.Read(p) }

func (b *pipeBody) Close() error {
	b.once.Do(func() {
		b.stop()
		_ = b.pr.Close()
		b.cancel()
	})
	return nil
}
