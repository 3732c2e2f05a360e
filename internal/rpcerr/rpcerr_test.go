package rpcerr

import "testing"

func TestFix(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"invalid params: unknown status"}}`,
			`{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid params: unknown status"}}`},
		{`{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"resource not found: x"}}`,
			`{"jsonrpc":"2.0","id":1,"error":{"code":-32002,"message":"resource not found: x"}}`},
		// A bug stays an internal error.
		{`{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"boom"}}`,
			`{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"boom"}}`},
		// Text inside a result is escaped JSON: never rewritten.
		{`{"result":{"text":"\"code\":-32603,\"message\":\"invalid params: "}}`,
			`{"result":{"text":"\"code\":-32603,\"message\":\"invalid params: "}}`},
	} {
		if got := string(Fix([]byte(c.in))); got != c.want {
			t.Errorf("Fix(%s) = %s, want %s", c.in, got, c.want)
		}
		if InvalidParams("a %d", 1).Error() != "invalid params: a 1" || ResourceNotFound("b").Error() != "resource not found: b" {
			t.Fatal("prefixes")
		}
	}
}
