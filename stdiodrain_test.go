package main

import "testing"

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
		`not json`: {false, false},
		`[]`:       {false, false},
	} {
		if got := isRequest([]byte(msg)); got != want[0] {
			t.Errorf("isRequest(%s) = %v", msg, got)
		}
		if got := isResponse([]byte(msg + "\n")); got != want[1] {
			t.Errorf("isResponse(%s) = %v", msg, got)
		}
	}
}
