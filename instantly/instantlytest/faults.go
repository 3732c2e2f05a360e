package instantlytest

import (
	"bytes"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fault replaces the Handler's answer, for testing how a client copes with
// failures. The zero value changes nothing.
type Fault struct {
	// Status is the status to answer; 0 with Body nil and BodySize 0 answers
	// normally (after Delay, with Header), 0 otherwise means 200.
	Status int
	// Body is the body to answer. nil with a Status answers Instantly's error
	// body for Status (see ErrorBody); use []byte{} for an empty body.
	Body []byte
	// ContentType defaults to "application/json; charset=utf-8".
	ContentType string
	// Header is added to the response (also when answering normally), e.g.
	// Retry-After.
	Header http.Header
	// Times is how many requests get the fault before the Handler answers
	// normally again; 0 means every request until ClearFaults.
	Times int
	// Delay is waited before answering (cut short when the client gives up).
	Delay time.Duration
	// BodySize, when > 0, streams a body of exactly that many bytes: Body,
	// then filler that looks like the start of a JSON document that never
	// ends. For testing that a client caps what it reads.
	BodySize int64
	// Hijack resets the connection (TCP RST) instead of answering. Through
	// NewTransport the round trip fails with "connection reset by peer";
	// with a ResponseWriter that cannot be hijacked the Handler panics with
	// http.ErrAbortHandler, which net/http servers turn into an abort.
	// Note that Go's http.Transport silently retries an idempotent request
	// whose reused keep-alive connection was reset: with Times 1 such a
	// client sees only the retry's answer.
	Hijack bool
}

type faultState struct {
	f    Fault
	left int // requests left; 0 means forever
}

// SetFault makes requests for the campaign or subsequence id (any endpoint)
// get f; id "" applies to every request. A fault for the id of a request
// wins over the "" one. Setting a fault replaces the previous one for id.
func (h *Handler) SetFault(id string, f Fault) {
	f.Body = bytes.Clone(f.Body) // keeps nil nil
	f.Header = f.Header.Clone()
	h.fmu.Lock()
	defer h.fmu.Unlock()
	h.faults[strings.ToLower(id)] = &faultState{f: f, left: max(f.Times, 0)}
	h.nfaults.Store(int32(len(h.faults)))
}

// ClearFaults removes every fault.
func (h *Handler) ClearFaults() {
	h.fmu.Lock()
	defer h.fmu.Unlock()
	clear(h.faults)
	h.nfaults.Store(0)
}

// takeFault returns the fault for a request naming id, consuming one of its
// Times.
func (h *Handler) takeFault(id string) (Fault, bool) {
	if h.nfaults.Load() == 0 {
		return Fault{}, false
	}
	h.fmu.Lock()
	defer h.fmu.Unlock()
	for _, k := range [2]string{id, ""} {
		st, ok := h.faults[k]
		if !ok {
			continue
		}
		if st.left > 0 {
			st.left--
			if st.left == 0 {
				delete(h.faults, k)
				h.nfaults.Store(int32(len(h.faults)))
			}
		}
		return st.f, true
	}
	return Fault{}, false
}

// serveFault answers with f. handled is false when f only delays and adds
// headers, and the request must be answered normally.
func (h *Handler) serveFault(w http.ResponseWriter, r *http.Request, f Fault) (handled bool) {
	if f.Delay > 0 && !sleep(r.Context(), f.Delay) {
		return true
	}
	if f.Hijack {
		resetConnection(w)
		return true
	}
	hd := w.Header()
	for k, vs := range f.Header {
		hd[http.CanonicalHeaderKey(k)] = slices.Clone(vs)
	}
	if f.Status == 0 && f.Body == nil && f.BodySize <= 0 {
		return false
	}
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	body := f.Body
	if body == nil && f.BodySize <= 0 {
		body = ErrorBody(status, http.StatusText(status))
	}
	switch {
	case f.ContentType != "":
		hd.Set("Content-Type", f.ContentType)
	case hd.Get("Content-Type") == "":
		hd.Set("Content-Type", contentTypeJSON)
	}
	if f.BodySize > 0 {
		streamFiller(w, r, status, body, f.BodySize)
		return true
	}
	if hd.Get("Content-Length") == "" {
		hd.Set("Content-Length", strconv.Itoa(len(body)))
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return true
}

// filler is what streamFiller repeats: JSON string content.
var filler = bytes.Repeat([]byte("instantlytest-filler-0123456789-"), 1024)

// fillerPrefix starts a JSON document that the filler never finishes.
var fillerPrefix = []byte(`{"diagnostics":{"filler":"`)

// streamFiller writes a body of exactly size bytes: prefix (or the start of
// a JSON document), then filler, flushing as it goes, until the client goes.
func streamFiller(w http.ResponseWriter, r *http.Request, status int, prefix []byte, size int64) {
	if len(prefix) == 0 {
		prefix = fillerPrefix
	}
	rc := http.NewResponseController(w)
	w.WriteHeader(status)
	var written int64
	chunk := prefix
	for written < size && r.Context().Err() == nil {
		n := min(int64(len(chunk)), size-written)
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		written += n
		_ = rc.Flush()
		chunk = filler
	}
}

// resetConnection drops the client's connection without an answer.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST rather than FIN
	}
	_ = conn.Close()
}
