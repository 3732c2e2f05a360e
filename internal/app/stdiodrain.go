package app

import (
	"bytes"
	"encoding/json"
	"io"
	"sync"
	"time"
)

// stdioDrain lets the stdio server finish what it has read when its input
// ends. mcp-go's StdioServer cancels every request still running as soon as
// stdin reaches EOF, so `instantly-status-mcp -demo < requests.jsonl` lost
// its answers. The input side counts the requests read, the output side the
// responses written; at EOF the reader holds the EOF back until every
// request read has its answer, or until grace passes, and only then lets
// the server stop.
type stdioDrain struct {
	mu      sync.Mutex
	pending int           // requests read and not yet answered
	idle    chan struct{} // closed (and replaced) when pending drops to 0
	grace   time.Duration
}

func newStdioDrain(grace time.Duration) *stdioDrain {
	return &stdioDrain{idle: make(chan struct{}), grace: grace}
}

// Reader wraps stdin.
func (d *stdioDrain) Reader(r io.Reader) io.Reader { return &drainReader{d: d, r: r} }

// Writer wraps stdout; mcp-go writes one message per write.
func (d *stdioDrain) Writer(w io.Writer) io.Writer { return drainWriter{d: d, w: w} }

func (d *stdioDrain) add(n int) {
	d.mu.Lock()
	d.pending += n
	if d.pending <= 0 {
		d.pending = 0
		close(d.idle)
		d.idle = make(chan struct{})
	}
	d.mu.Unlock()
}

// wait returns once nothing is pending, or after grace.
func (d *stdioDrain) wait() {
	d.mu.Lock()
	if d.pending == 0 {
		d.mu.Unlock()
		return
	}
	idle := d.idle
	d.mu.Unlock()
	t := time.NewTimer(d.grace)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	}
}

type drainReader struct {
	d    *stdioDrain
	r    io.Reader
	line []byte // the current, incomplete line
	eof  bool
	nl   bool // a newline ending the last line is still to be given
}

func (r *drainReader) Read(p []byte) (int, error) {
	if r.eof {
		if r.nl && len(p) > 0 {
			r.nl = false
			p[0] = '\n'
			return 1, nil
		}
		r.d.wait()
		return 0, io.EOF
	}
	n, err := r.r.Read(p)
	r.scan(p[:n])
	if err != io.EOF {
		return n, err
	}
	r.eof = true
	if len(r.line) > 0 {
		// A last line without its newline is still a request: end it,
		// or mcp-go drops it along with the EOF. When these bytes fill
		// p, the newline comes on the next read.
		r.count(r.line)
		r.line = nil
		if n < len(p) {
			p[n] = '\n'
			n++
		} else {
			r.nl = true
		}
	}
	if n > 0 {
		return n, nil // EOF on the next read, after these bytes
	}
	r.d.wait()
	return 0, io.EOF
}

func (r *drainReader) scan(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			if len(r.line)+len(b) <= maxCountedLine {
				r.line = append(r.line, b...)
			} else {
				r.line = append(r.line[:0], '!') // too long to be counted: not a request we can answer
			}
			return
		}
		r.count(append(r.line, b[:i]...))
		r.line = r.line[:0]
		b = b[i+1:]
	}
}

const maxCountedLine = 4 << 20

func (r *drainReader) count(line []byte) {
	if isRequest(line) {
		r.d.add(1)
	}
}

type drainWriter struct {
	d *stdioDrain
	w io.Writer
}

func (w drainWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if isResponse(p) {
		w.d.add(-1)
	}
	return n, err
}

func isRequest(line []byte) bool {
	var h struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	return json.Unmarshal(line, &h) == nil && h.Method != "" && len(h.ID) > 0 && string(h.ID) != "null"
}

// isResponse reports whether msg is a response (a result or an error for a
// non-null id). Every answer passes through here, so mcp-go's own encoding
// of a response, {"jsonrpc":"2.0","id":ID,"result" or "error", is
// recognised from its first bytes; any other message is read by
// isResponseDecoded.
func isResponse(msg []byte) bool {
	if rest, ok := bytes.CutPrefix(msg, []byte(`{"jsonrpc":"2.0","id":`)); ok {
		if n := plainIDLen(rest); n > 0 {
			rest = rest[n:]
			if bytes.HasPrefix(rest, []byte(`,"result":`)) || bytes.HasPrefix(rest, []byte(`,"error":`)) {
				return true
			}
		}
	}
	if bytes.HasPrefix(msg, []byte(`{"jsonrpc":"2.0","method":`)) {
		return false // a notification
	}
	return isResponseDecoded(msg)
}

// plainIDLen is the length of the id at the start of b when it is a number
// or a string without escapes; 0 otherwise (null, or anything the decoder
// should read).
func plainIDLen(b []byte) int {
	if len(b) > 0 && b[0] == '"' {
		for i := 1; i < len(b); i++ {
			switch b[i] {
			case '"':
				return i + 1
			case '\\':
				return 0
			}
		}
		return 0
	}
	i := 0
	for i < len(b) && (b[i] == '-' || b[i] >= '0' && b[i] <= '9') {
		i++
	}
	return i
}

// isResponseDecoded reads the top-level keys in order and stops as soon as
// it knows, so a large result that follows the id is never decoded.
func isResponseDecoded(msg []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(msg))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	hasID, hasAnswer := false, false
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		switch k {
		case "method":
			return false
		case "id":
			var id json.RawMessage
			if dec.Decode(&id) != nil {
				return false
			}
			hasID = string(id) != "null"
		case "result", "error":
			hasAnswer = true
			if hasID {
				return true
			}
			fallthrough
		default:
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return false
			}
		}
		if hasID && hasAnswer {
			return true
		}
	}
	return false
}
