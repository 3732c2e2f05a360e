package app

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func TestIsRequestIsResponse(t *testing.T) {
	for msg, want := range map[string][2]bool{ // isRequest, isResponse
		`{"jsonrpc":"2.0","id":1,"method":"ping"}`:                      {true, false},
		`{"method":"ping","id":"a","jsonrpc":"2.0"}`:                    {true, false},
		`{"jsonrpc":"2.0","method":"notifications/initialized"}`:        {false, false},
		`{"jsonrpc":"2.0","id":null,"method":"ping"}`:                   {false, false},
		`{"jsonrpc":"2.0","id":1,"result":{"big":[1,2,3]}}`:             {false, true},
		`{"jsonrpc":"2.0","result":{},"id":"x"}`:                        {false, true},
		`{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":""}}`: {false, true},
		`{"jsonrpc":"2.0","id":null,"error":{"code":-32700}}`:           {false, false},
		`{"jsonrpc":"2.0","id":"a-1","result":{}}`:                      {false, true},
		`{"jsonrpc":"2.0","id":"a\"b","result":{}}`:                     {false, true},
		`{"jsonrpc":"2.0","id":-7,"error":{"code":1}}`:                  {false, true},
		`{"jsonrpc":"2.0","id":1.5,"result":{}}`:                        {false, true},
		`{"jsonrpc":"2.0","id":3,"method":"roots/list"}`:                {true, false},
		`{"jsonrpc":"2.0","id":4,"params":{},"method":"sampling/x"}`:    {true, false},
		`{"jsonrpc":"2.0","id":"unterminated`:                           {false, false},
		`{"jsonrpc":"2.0","id":,"result":{}}`:                           {false, false},
		`not json`:                                                      {false, false},
		`[]`:                                                            {false, false},
	} {
		if got := isRequest([]byte(msg)); got != want[0] {
			t.Errorf("isRequest(%s) = %v", msg, got)
		}
		if got := isResponse([]byte(msg + "\n")); got != want[1] {
			t.Errorf("isResponse(%s) = %v", msg, got)
		}
		if got := isResponseDecoded([]byte(msg + "\n")); got != want[1] {
			t.Errorf("isResponseDecoded(%s) = %v", msg, got)
		}
	}
}

// BenchmarkIsResponse: the check every answer passes on its way to stdout,
// on a tool result of the usual size, by its first bytes and by decoding.
func BenchmarkIsResponse(b *testing.B) {
	msg := []byte(`{"jsonrpc":"2.0","id":12,"result":{"content":[{"type":"text","text":"` +
		strings.Repeat("x", 1700) + `"}],"structuredContent":{"analysis":"` + strings.Repeat("y", 3000) + `"}}}` + "\n")
	for _, c := range []struct {
		name string
		fn   func([]byte) bool
	}{{"prefix", isResponse}, {"decoded", isResponseDecoded}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if !c.fn(msg) {
					b.Fatal("not a response")
				}
			}
		})
	}
}

// stdioDrain's counting: requests read (a last line without newline
// included, lines too long to be requests not), responses written, and the
// idle signal when the count drops to zero.
func TestStdioDrainCounts(t *testing.T) {
	d := newStdioDrain(time.Hour)
	idle := d.idle
	d.add(1)
	d.add(1)
	select {
	case <-idle:
		t.Fatal("idle with two pending")
	default:
	}
	d.add(-1)
	if d.pending != 1 {
		t.Fatalf("pending %d, want 1", d.pending)
	}
	d.add(-1)
	select {
	case <-idle:
	default:
		t.Fatal("not idle at zero pending")
	}
	if d.pending != 0 || d.idle == idle {
		t.Fatalf("pending %d, idle channel replaced %v", d.pending, d.idle != idle)
	}
	// A response with nothing pending (a notification's answer never
	// comes; a stray one) stays at zero.
	idle = d.idle
	d.add(-1)
	if d.pending != 0 {
		t.Fatalf("pending %d after an extra response", d.pending)
	}
	select {
	case <-idle:
	default:
		t.Fatal("zero pending is idle")
	}
	mustReturn(t, "wait with nothing pending", d.wait)

	in := `{"jsonrpc":"2.0","id":1,"method":"ping"}` + "\n" +
		`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n" +
		`{"jsonrpc":"2.0","id":"b","method":"ping"}`
	// DataErrReader gives the last bytes together with io.EOF.
	r := d.Reader(iotest.DataErrReader(strings.NewReader(in)))
	buf := make([]byte, 4096)
	n, err := r.Read(buf)
	if err != nil || string(buf[:n]) != in+"\n" || d.pending != 2 {
		t.Fatalf("read %q, %v, pending %d; want the input plus a newline, 2 pending", buf[:n], err, d.pending)
	}
	var w strings.Builder
	dw := d.Writer(&w)
	for _, resp := range []string{`{"jsonrpc":"2.0","id":1,"result":{}}` + "\n", `{"jsonrpc":"2.0","method":"notifications/message","params":{}}` + "\n", `{"jsonrpc":"2.0","id":"b","result":{}}` + "\n"} {
		if n, err := dw.Write([]byte(resp)); n != len(resp) || err != nil {
			t.Fatalf("write %d %v", n, err)
		}
	}
	if d.pending != 0 || strings.Count(w.String(), "\n") != 3 {
		t.Fatalf("pending %d after the answers, written %q", d.pending, w.String())
	}
	for range 2 {
		mustReturn(t, "read at EOF with every request answered", func() {
			if n, err := r.Read(buf); n != 0 || err != io.EOF {
				t.Errorf("after the answers: %d, %v; want EOF", n, err)
			}
		})
	}

	// Read in small pieces: lines split across reads are counted once.
	d2 := newStdioDrain(time.Hour)
	r2 := d2.Reader(strings.NewReader(`{"jsonrpc":"2.0","id":7,"method":"ping"}` + "\n" + `{"jsonrpc":"2.0","id":8,"method":"ping"}` + "\n"))
	small := make([]byte, 5)
	var read []byte
	for {
		n, err := r2.Read(small)
		read = append(read, small[:n]...)
		if err != nil || d2.pending == 2 && len(read) == 82 {
			break
		}
	}
	if d2.pending != 2 || len(read) != 82 {
		t.Fatalf("pieces: pending %d, %d bytes", d2.pending, len(read))
	}
	// A last line that fills the buffer exactly together with EOF is
	// still a request: its newline comes on the next read (it used to be
	// dropped, and mcp-go lost the request with the EOF).
	d3 := newStdioDrain(time.Hour)
	line := `{"jsonrpc":"2.0","id":9,"method":"ping"}`
	r3 := d3.Reader(iotest.DataErrReader(strings.NewReader(line)))
	exact := make([]byte, len(line))
	if n, err := r3.Read(exact); n != len(line) || err != nil || string(exact) != line || d3.pending != 1 {
		t.Fatalf("exact buffer: %d %v %q pending %d", n, err, exact, d3.pending)
	}
	if n, err := r3.Read(exact); n != 1 || err != nil || exact[0] != '\n' {
		t.Fatalf("after an exact buffer: %d %v %q, want its newline", n, err, exact[:n])
	}
	d3.Writer(io.Discard).Write([]byte(`{"jsonrpc":"2.0","id":9,"result":{}}` + "\n"))
	mustReturn(t, "EOF once the exact buffer's request is answered", func() {
		if n, err := r3.Read(exact); n != 0 || err != io.EOF {
			t.Errorf("then: %d %v, want EOF", n, err)
		}
	})
	// Input that ends with its newline gets nothing added.
	d6 := newStdioDrain(time.Hour)
	r6 := d6.Reader(iotest.DataErrReader(strings.NewReader(line + "\n")))
	if n, err := r6.Read(buf); n != len(line)+1 || err != nil || string(buf[:n]) != line+"\n" || d6.pending != 1 {
		t.Fatalf("complete input: %d %v %q pending %d", n, err, buf[:n], d6.pending)
	}
	// A line that grows past the counting limit before its newline comes is
	// not counted (a line that arrives whole with its newline is).
	d4 := newStdioDrain(time.Hour)
	long := `{"jsonrpc":"2.0","id":1,"method":"ping","pad":"` + strings.Repeat("x", maxCountedLine) + `"}`
	d4r := d4.Reader(io.MultiReader(strings.NewReader(long), strings.NewReader("\n")))
	big := make([]byte, len(long)+10)
	if n, err := d4r.Read(big); n != len(long) || err != nil || d4.pending != 0 {
		t.Fatalf("long line: %d %v pending %d", n, err, d4.pending)
	}
	if n, err := d4r.Read(big); n != 1 || err != nil || d4.pending != 0 {
		t.Fatalf("its newline: %d %v pending %d", n, err, d4.pending)
	}
	// At the limit exactly, the line is still counted.
	d5 := newStdioDrain(time.Hour)
	head := `{"jsonrpc":"2.0","id":1,"method":"ping","pad":"`
	atLimit := head + strings.Repeat("x", maxCountedLine-len(head)-2) + `"}`
	d5r := d5.Reader(io.MultiReader(strings.NewReader(atLimit), strings.NewReader("\n")))
	for range 2 {
		if _, err := d5r.Read(big); err != nil {
			t.Fatal(err)
		}
	}
	if len(atLimit) != maxCountedLine || d5.pending != 1 {
		t.Fatalf("line of %d bytes: pending %d, want 1", len(atLimit), d5.pending)
	}
}

// mustReturn fails the test when f has not returned within a minute: what
// it checks must not block at all (the drain's grace above is an hour), so
// this only turns a hang into a failure.
func mustReturn(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s: still blocked after a minute", what)
	}
}
