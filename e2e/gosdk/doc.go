// Package gosdk drives the built server with the official MCP Go SDK
// (github.com/modelcontextprotocol/go-sdk) as the client. It is a module of
// its own so that the server binary never links the SDK; .ci/run runs it.
//
//	cd e2e/gosdk && SERVER_BIN=/path/to/instantly-status-mcp go test ./...
//
// Without SERVER_BIN the test builds the server from ../.. itself.
package gosdk
