//go:build race

package servertest

// Race reports whether the tests run with the race detector.
const Race = true
