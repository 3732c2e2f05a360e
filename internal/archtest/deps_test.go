package archtest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinaryLinksNoPrometheusClient: the server binary does not link
// client_golang (nor protobuf or procfs, which it brings): linking its
// prometheus package runs an init that builds a default registry with Go
// and process collectors in every process, the stdio one included, which
// never serves /metrics (measured: ~4.7 million instructions of init and
// ~2.1 MB of peak RSS). package metrics uses VictoriaMetrics/metrics, whose
// init (with runtime/metrics', which it needs) is about a quarter of that
// and ~0.3 MB.
func TestBinaryLinksNoPrometheusClient(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/prometheus/", "google.golang.org/protobuf/", "expvar"} {
			if strings.HasPrefix(dep, banned) || dep == strings.TrimSuffix(banned, "/") {
				t.Errorf("the server binary links %s", dep)
			}
		}
	}
}
