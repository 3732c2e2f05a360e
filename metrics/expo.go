package metrics

// A small registry that writes the Prometheus text format (version 0.0.4)
// exactly as client_golang's promhttp does for the same metrics: families
// sorted by name, label pairs by label name, series by label values, floats
// as strconv 'g' -1 with 0, 1, -1, ±Inf and NaN spelled out.
//
// Why not client_golang: linking its prometheus package runs its init, which
// builds a default registry with the Go and process collectors and pulls in
// protobuf, procfs and runtime/metrics, in every process, stdio included
// (measured: +35 package inits, ~+2.8 MB peak RSS, +6 MB binary for a
// feature only the HTTP transports can turn on). client_golang stays a test
// dependency: expo_test.go checks this output against it byte for byte.

import (
	"bufio"
	"compress/gzip"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

type metricType string

const (
	counterType   metricType = "counter"
	gaugeType     metricType = "gauge"
	histogramType metricType = "histogram"
	summaryType   metricType = "summary"
)

// atomicFloat is a float64 updated atomically.
type atomicFloat struct{ bits atomic.Uint64 }

func (a *atomicFloat) add(d float64) {
	for {
		old := a.bits.Load()
		if a.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+d)) {
			return
		}
	}
}

func (a *atomicFloat) load() float64 { return math.Float64frombits(a.bits.Load()) }

// series is one label-value combination of a family.
type series struct {
	values []string
	val    atomicFloat     // counter, gauge
	counts []atomic.Uint64 // histogram: per bucket, not cumulative
	sum    atomicFloat
	count  atomic.Uint64
	bounds []float64 // histogram bucket upper bounds (without +Inf)
}

func (s *series) inc() { s.val.add(1) }
func (s *series) dec() { s.val.add(-1) }

// observe counts v in the first bucket whose upper bound is >= v (the last,
// +Inf, when none is), as client_golang does. counts has one more entry
// than bounds, so the index SearchFloat64s returns (at most len(bounds)) is
// always in range.
func (s *series) observe(v float64) {
	s.counts[sort.SearchFloat64s(s.bounds, v)].Add(1)
	s.sum.add(v)
	s.count.Add(1)
}

// family is one metric name: its help, type, label names and series.
type family struct {
	name, help string
	typ        metricType
	labels     []string  // label names, in the order values are given
	bounds     []float64 // histogram bucket upper bounds (without +Inf)
	fn         func() float64

	mu     sync.Mutex
	series map[string]*series
}

func newFamily(name, help string, typ metricType, labels ...string) *family {
	f := &family{name: name, help: help, typ: typ, labels: labels, series: map[string]*series{}}
	if len(labels) == 0 {
		f.with() // a metric without labels is always exported, as in client_golang
	}
	return f
}

func newHistogram(name, help string, bounds []float64, labels ...string) *family {
	f := &family{name: name, help: help, typ: histogramType, labels: labels, bounds: bounds, series: map[string]*series{}}
	if len(labels) == 0 {
		f.with()
	}
	return f
}

// with returns the series for these label values, making it on first use.
func (f *family) with(values ...string) *series {
	if len(values) != len(f.labels) {
		panic("metrics: " + f.name + ": wrong number of label values")
	}
	key := strings.Join(values, "\xff")
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.series[key]
	if !ok {
		s = &series{values: slices.Clone(values)}
		if f.typ == histogramType {
			s.counts = make([]atomic.Uint64, len(f.bounds)+1)
			s.bounds = f.bounds
		}
		f.series[key] = s
	}
	return s
}

// sample is one line of the exposition.
type sample struct {
	suffix string
	labels [][2]string // sorted by name; the extra label (le, quantile) last
	value  float64
}

// snapshot is a family as written.
type snapshot struct {
	name, help string
	typ        metricType
	samples    []sample
}

func (f *family) snapshot() (snapshot, bool) {
	out := snapshot{name: f.name, help: f.help, typ: f.typ}
	if f.fn != nil {
		out.samples = []sample{{value: f.fn()}}
		return out, true
	}
	// Label names sorted, with the position of each in the values.
	order := make([]int, len(f.labels))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return f.labels[order[a]] < f.labels[order[b]] })
	f.mu.Lock()
	all := make([]*series, 0, len(f.series))
	for _, s := range f.series {
		all = append(all, s)
	}
	f.mu.Unlock()
	if len(all) == 0 {
		return out, false
	}
	sort.Slice(all, func(a, b int) bool {
		for _, i := range order {
			if all[a].values[i] != all[b].values[i] {
				return all[a].values[i] < all[b].values[i]
			}
		}
		return false
	})
	for _, s := range all {
		pairs := make([][2]string, 0, len(order)+1)
		for _, i := range order {
			pairs = append(pairs, [2]string{f.labels[i], s.values[i]})
		}
		if f.typ != histogramType {
			out.samples = append(out.samples, sample{labels: pairs, value: s.val.load()})
			continue
		}
		var cum uint64
		for i := range s.counts {
			cum += s.counts[i].Load()
			le := math.Inf(1)
			if i < len(f.bounds) {
				le = f.bounds[i]
			}
			out.samples = append(out.samples, sample{suffix: "_bucket",
				labels: append(slices.Clip(pairs), [2]string{"le", formatFloat(le)}), value: float64(cum)})
		}
		out.samples = append(out.samples,
			sample{suffix: "_sum", labels: pairs, value: s.sum.load()},
			sample{suffix: "_count", labels: pairs, value: float64(s.count.Load())})
	}
	return out, true
}

// registry is the families this process exports, plus collectors called
// at each scrape (the Go runtime and the process).
type registry struct {
	mu         sync.Mutex
	families   []*family
	collectors []func() []snapshot
}

func (r *registry) register(fs ...*family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range fs {
		for _, g := range r.families {
			if g.name == f.name {
				panic("metrics: " + f.name + " registered twice")
			}
		}
	}
	r.families = append(r.families, fs...)
}

func (r *registry) gather() []snapshot {
	r.mu.Lock()
	fs := slices.Clone(r.families)
	cs := slices.Clone(r.collectors)
	r.mu.Unlock()
	var out []snapshot
	for _, f := range fs {
		if s, ok := f.snapshot(); ok {
			out = append(out, s)
		}
	}
	for _, c := range cs {
		out = append(out, c()...)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].name < out[b].name })
	return out
}

// write writes the families in the text format.
func write(w io.Writer, fams []snapshot) error {
	bw := bufio.NewWriter(w)
	for _, f := range fams {
		bw.WriteString("# HELP ")
		bw.WriteString(f.name)
		bw.WriteByte(' ')
		helpEscaper.WriteString(bw, f.help)
		bw.WriteString("\n# TYPE ")
		bw.WriteString(f.name)
		bw.WriteByte(' ')
		bw.WriteString(string(f.typ))
		bw.WriteByte('\n')
		for _, s := range f.samples {
			bw.WriteString(f.name)
			bw.WriteString(s.suffix)
			if len(s.labels) > 0 {
				bw.WriteByte('{')
				for i, p := range s.labels {
					if i > 0 {
						bw.WriteByte(',')
					}
					bw.WriteString(p[0])
					bw.WriteString(`="`)
					valueEscaper.WriteString(bw, p[1])
					bw.WriteByte('"')
				}
				bw.WriteByte('}')
			}
			bw.WriteByte(' ')
			bw.WriteString(formatFloat(s.value))
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

var (
	helpEscaper  = strings.NewReplacer("\\", `\\`, "\n", `\n`)
	valueEscaper = strings.NewReplacer("\\", `\\`, "\n", `\n`, "\"", `\"`)
)

// formatFloat is expfmt's writeFloat.
func formatFloat(f float64) string {
	switch {
	case f == 1:
		return "1"
	case f == 0:
		return "0"
	case f == -1:
		return "-1"
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, +1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// contentType is what promhttp answers when OpenMetrics is not enabled
// (its default, and what this server served before).
const contentType = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores"

// handler serves r like promhttp.HandlerFor(reg, promhttp.HandlerOpts{}):
// the text format, gzip when the client accepts it.
func (r *registry) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Add("Vary", "Accept")
		h.Add("Vary", "Accept-Encoding")
		fams := r.gather()
		if acceptsGzip(req.Header.Get("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			gz := gzip.NewWriter(w)
			_ = write(gz, fams)
			_ = gz.Close()
			return
		}
		_ = write(w, fams)
	})
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}
