package main

import (
	"strings"
	"testing"
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
