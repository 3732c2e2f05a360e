package app

import (
	"log/slog"
	"reflect"
	"testing"
)

// scaleOut: nothing without its settings; /metrics only off stdio; the
// Redis budget (unreachable here) in the health info.
func TestScaleOutParts(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for _, c := range []struct {
		cfg             Config
		opts, mw        int
		metrics, budget bool
		health          map[string]string
	}{
		{Config{Transport: "stdio"}, 0, 0, false, false, nil},
		{Config{Transport: "stdio", Metrics: true}, 0, 0, false, false, nil},
		{Config{Transport: "http", Metrics: true}, 2, 1, true, false, nil},
		{Config{Transport: "sse", Metrics: true}, 2, 1, true, false, nil},
		{Config{Transport: "http", Demo: true, RedisURL: "redis://127.0.0.1:1"}, 0, 0, false, false, nil},
		{Config{Transport: "http", RedisURL: "redis://127.0.0.1:1", RedisKeySecret: testRedisKeySecret}, 1, 0, false, true, map[string]string{"rate_budget": "fallback"}},
		{Config{Transport: "http", RedisURL: "redis://127.0.0.1:1", RedisKeySecret: testRedisKeySecret, Metrics: true}, 2, 1, true, true, map[string]string{"rate_budget": "fallback"}},
	} {
		s, err := newScaleOut(c.cfg, log)
		if err != nil {
			t.Fatalf("%+v: %v", c.cfg, err)
		}
		if got := len(s.clientOptions()); got != c.opts {
			t.Errorf("%+v: %d client options, want %d", c.cfg, got, c.opts)
		}
		if got := len(s.toolMiddleware()); got != c.mw {
			t.Errorf("%+v: %d middlewares, want %d", c.cfg, got, c.mw)
		}
		if (s.metricsHandler() != nil) != c.metrics || (s.metrics != nil) != c.metrics {
			t.Errorf("%+v: metrics handler %v, want %v", c.cfg, s.metricsHandler() != nil, c.metrics)
		}
		if (s.budget != nil) != c.budget || !reflect.DeepEqual(s.healthInfo(), c.health) {
			t.Errorf("%+v: budget %v, health %v; want %v %v", c.cfg, s.budget != nil, s.healthInfo(), c.budget, c.health)
		}
		s.close()
	}
	if _, err := newScaleOut(Config{RedisURL: "redis://h/%zz", RedisKeySecret: testRedisKeySecret}, log); err == nil {
		t.Error("an unparsable REDIS_URL was accepted")
	}
}

const testRedisKeySecret = "replicas-share-this-secret-0123456789"
