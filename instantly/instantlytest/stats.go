package instantlytest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Request is one request the Handler received.
type Request struct {
	Method   string
	Path     string // decoded URL path
	RawQuery string
	APIKey   string    // the bearer token presented ("" if none)
	Time     time.Time // arrival, on the Handler's clock
	// Status is the status answered; 0 while in flight, or when nothing was
	// answered (connection reset, client gone).
	Status int
}

// Stats counts the requests a Handler received since it was made or Reset.
type Stats struct {
	Requests int // every request, whatever the answer
	// PeakPerSecond and PeakPerMinute are the most requests that arrived
	// within any sliding 1 s and 60 s window (half-open: a request exactly
	// 1 s after another is in a different window).
	PeakPerSecond   int
	PeakPerMinute   int
	TooManyRequests int // answers with status 429 (rate limit or Fault)
}

// window is the arrival times within the last d, oldest first.
type window struct {
	d     time.Duration
	times []time.Time
	head  int
}

func (w *window) expire(now time.Time) {
	for w.head < len(w.times) && now.Sub(w.times[w.head]) >= w.d {
		w.head++
	}
	if w.head > 64 && w.head*2 > len(w.times) {
		n := copy(w.times, w.times[w.head:])
		clear(w.times[n:])
		w.times, w.head = w.times[:n], 0
	}
}

func (w *window) add(t time.Time) int {
	w.expire(t)
	w.times = append(w.times, t)
	return w.len()
}

func (w *window) len() int { return len(w.times) - w.head }

// nth returns the i-th oldest time in the window.
func (w *window) nth(i int) time.Time { return w.times[w.head+i] }

func (w *window) reset() { w.times, w.head = nil, 0 }

// arrive records a request and returns its sequence number and generation
// for done.
func (h *Handler) arrive(r *http.Request, key, id string) (seq int, gen uint64) {
	req := Request{Method: r.Method, APIKey: key}
	if r.URL != nil {
		req.Path, req.RawQuery = r.URL.Path, r.URL.RawQuery
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	req.Time = h.clock()
	seq, gen = h.total, h.gen
	h.total++
	h.peak1 = max(h.peak1, h.win1.add(req.Time))
	h.peak60 = max(h.peak60, h.win60.add(req.Time))
	if id != "" {
		h.perID[id]++
	}
	if h.maxRecorded > 0 {
		if len(h.ring) < h.maxRecorded {
			h.ring = append(h.ring, req)
		} else {
			h.ring[seq%h.maxRecorded] = req
		}
	}
	return seq, gen
}

// done records the status answered to request seq.
func (h *Handler) done(seq int, gen uint64, status int) {
	if status == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if gen != h.gen {
		return
	}
	if status == http.StatusTooManyRequests {
		h.tooMany++
	}
	if seq >= h.total-len(h.ring) && len(h.ring) > 0 {
		h.ring[seq%h.maxRecorded].Status = status
	}
}

// Stats returns the counts since the Handler was made or Reset.
func (h *Handler) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return Stats{Requests: h.total, PeakPerSecond: h.peak1, PeakPerMinute: h.peak60, TooManyRequests: h.tooMany}
}

// Requests returns the recorded requests, oldest first (see WithMaxRecorded).
func (h *Handler) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.total <= len(h.ring) {
		return slices.Clone(h.ring)
	}
	start := h.total % len(h.ring)
	return append(slices.Clone(h.ring[start:]), h.ring[:start]...)
}

// RequestsFor returns how many requests named this campaign or subsequence
// id in their path, on any endpoint.
func (h *Handler) RequestsFor(id string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.perID[strings.ToLower(id)]
}

// Reset forgets every request: Stats, Requests, RequestsFor and the rate
// limit windows start over. Faults and the workspace are kept.
func (h *Handler) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gen++
	h.total, h.peak1, h.peak60, h.tooMany = 0, 0, 0, 0
	h.win1.reset()
	h.win60.reset()
	h.adm1.reset()
	h.adm60.reset()
	h.ring = nil
	h.perID = map[string]int{}
}

// admit applies the rate limits to a request arriving now. When it is
// refused, wait is how long until the windows have room.
func (h *Handler) admit() (ok bool, wait time.Duration) {
	if h.perSecond == 0 && h.perMinute == 0 {
		return true, 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.clock()
	check := func(w *window, limit int) {
		w.expire(now)
		if limit > 0 && w.len() >= limit {
			ok = false
			// Room comes when the request that makes the window full leaves.
			wait = max(wait, w.nth(w.len()-limit).Add(w.d).Sub(now))
		}
	}
	ok = true
	check(&h.adm1, h.perSecond)
	check(&h.adm60, h.perMinute)
	if ok {
		h.adm1.add(now)
		h.adm60.add(now)
	}
	return ok, wait
}
