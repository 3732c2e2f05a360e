package main

import "strings"

// redact replaces every secret in s. Empty and very short secrets are skipped:
// replacing "a" everywhere would only mangle the text, and no real key is
// that short.
func redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 6 && strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	return s
}
