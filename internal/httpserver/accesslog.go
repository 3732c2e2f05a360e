package httpserver

import (
	"log/slog"
	"net/http"
	"time"
)

// responseRecorder records status and size for the access log and bounds
// every write with a deadline of writeTimeout from the time of the write
// (per write, not per response, so long-lived SSE streams stay open while a
// client that stops reading is cut off).
type responseRecorder struct {
	http.ResponseWriter
	status   int
	bytes    int64
	deadline time.Time // current write deadline, zero if none set yet
	dl       interface{ SetWriteDeadline(time.Time) error }
}

func (rw *responseRecorder) WriteHeader(code int) {
	if rw.status == 0 && code >= 200 {
		rw.status = code
	}
	rw.ResponseWriter.WriteHeader(code)
}

func (rw *responseRecorder) Write(p []byte) (int, error) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	rw.extendDeadline()
	n, err := rw.ResponseWriter.Write(p)
	rw.bytes += int64(n)
	return n, err
}

func (rw *responseRecorder) Flush() {
	if f, ok := rw.ResponseWriter.(http.Flusher); ok {
		if rw.status == 0 {
			rw.status = http.StatusOK
		}
		rw.extendDeadline()
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach net/http's writer.
func (rw *responseRecorder) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

// extendDeadline moves the write deadline to now+writeTimeout, skipping the
// (cheap but not free) update while more than half the window is left.
func (rw *responseRecorder) extendDeadline() {
	if rw.dl == nil {
		return
	}
	now := time.Now()
	if !rw.deadline.IsZero() && rw.deadline.Sub(now) > writeTimeout/2 {
		return
	}
	rw.deadline = now.Add(writeTimeout)
	_ = rw.dl.SetWriteDeadline(rw.deadline)
}

// accessLog writes one line per request when it ends (for SSE streams: when
// the stream closes): method, path, status, duration, bytes, remote address.
// Deliberately never headers, the query string (SSE session IDs) or
// credentials.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &responseRecorder{ResponseWriter: w}
		rec.dl, _ = w.(interface{ SetWriteDeadline(time.Time) error })
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "http request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
			slog.Int64("bytes", rec.bytes),
			slog.String("remote", r.RemoteAddr),
		)
	})
}
