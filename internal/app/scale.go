package app

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/mark3labs/mcp-go/server"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/redisbudget"
	"github.com/instantly-status/instantly-status-mcp/internal/metrics"
)

// scaleOut is what running several replicas adds, each part only when its
// setting is on: the budget shared on Redis (REDIS_URL) and /metrics
// (MCP_METRICS, HTTP transports). With neither, it is empty and nothing is
// started or registered.
type scaleOut struct {
	budget  *redisbudget.Limiter
	metrics *metrics.Metrics
}

func newScaleOut(cfg Config, logger *slog.Logger) (*scaleOut, error) {
	s := &scaleOut{}
	if cfg.RedisURL != "" && !cfg.Demo {
		secret, err := cfg.redisKeySecret()
		if err != nil {
			return nil, err
		}
		b, err := redisbudget.New(redisbudget.Options{
			URL:       cfg.RedisURL,
			Password:  cfg.RedisPassword,
			KeySecret: secret,
			Replicas:  cfg.Replicas,
			Logger:    logger,
		})
		if err != nil {
			return nil, err
		}
		s.budget = b
		if err := b.Probe(context.Background()); err == nil {
			logger.Info("rate budget shared on Redis", "replicas_fallback", max(1, cfg.Replicas))
		}
	}
	if cfg.Metrics && cfg.Transport != "stdio" {
		s.metrics = metrics.New()
		if s.budget != nil {
			b := s.budget
			s.metrics.RedisFallback(func() bool { return b.State() == "fallback" })
		}
	}
	return s, nil
}

func (s *scaleOut) close() {
	if s.budget != nil {
		_ = s.budget.Close()
	}
}

func (s *scaleOut) clientOptions() []instantly.Option {
	var lim instantly.Limiter
	if s.budget != nil {
		lim = s.budget
	}
	if s.metrics != nil {
		if lim == nil {
			lim = instantly.DefaultLimiter()
		}
		lim = s.metrics.Limiter(lim)
	}
	var opts []instantly.Option
	if lim != nil {
		opts = append(opts, instantly.WithLimiter(lim))
	}
	if s.metrics != nil {
		opts = append(opts, instantly.WithTransportWrapper(s.metrics.Transport))
	}
	return opts
}

func (s *scaleOut) toolMiddleware() []server.ToolHandlerMiddleware {
	if s.metrics == nil {
		return nil
	}
	return []server.ToolHandlerMiddleware{s.metrics.ToolMiddleware()}
}

func (s *scaleOut) metricsHandler() http.Handler {
	if s.metrics == nil {
		return nil
	}
	return s.metrics.Handler()
}

// healthInfo is what /healthz adds: the rate budget in use.
func (s *scaleOut) healthInfo() map[string]string {
	if s.budget == nil {
		return nil
	}
	return map[string]string{"rate_budget": s.budget.State()}
}
