package tools

import (
	_ "embed"
	"encoding/json"
)

// The output schemas are what a client compiles (the TypeScript SDK with AJV)
// on every tools/list before the first call, so they say what agents rely on
// and no more: every field of our analysis, typed, and Instantly's
// diagnostics and summary as open objects whose documented members are
// named in their descriptions (they are Instantly's, passed through as
// sent, and described in the prompt and the codes resource). AJV's compile
// time grows with the number of typed members it generates code for: the
// full description of Instantly's nested blocks made each status schema
// ~5.8 KB and tools/list cost the SDK client about 100 ms.
//
// The sending-status schema is derived from diagnosis.Analysis (with
// jsonschema-go) by TestSendingStatusOutputSchema, which writes this file
// under UPDATE_TOOLSNAPS=1 and fails when it no longer matches the type: a
// field added to the analysis reaches the schema with no edit by hand.
// Deriving it at start instead cost every process ~1.2 MB of resident
// memory.
//
//go:embed sending_status.schema.json
var sendingStatusSchemaFile []byte

// sendingStatusOutputSchema is the output schema of both sending-status
// tools. Its "$id" names its content: the TypeScript SDK client compiles a
// schema with an $id once and takes it from AJV's cache after that, so the
// second sending-status tool costs a client nothing.
func sendingStatusOutputSchema() json.RawMessage { return sendingStatusSchemaFile }
