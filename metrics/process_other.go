//go:build !linux

package metrics

// processCollector: the process_* metrics are read from /proc, on Linux
// only (where the HTTP transports are deployed). client_golang also had them
// on Windows and macOS; they are not exported there.
func processCollector() []snapshot { return nil }
