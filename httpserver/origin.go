package httpserver

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

var errOriginForbidden = jsonRPCError(-32600, "origin not allowed (add it to the server's allowed origins)")

// originPolicy decides which Origin header values are accepted. Loopback
// origins are always accepted; others must be listed exactly (scheme, host
// and port, compared case-insensitively), or the list must contain "*".
type originPolicy struct {
	any     bool
	allowed []string // normalized "scheme://host[:port]"
}

func newOriginPolicy(list []string) (*originPolicy, error) {
	p := &originPolicy{}
	for _, o := range list {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o == "*" {
			p.any = true
			continue
		}
		o = strings.TrimSuffix(o, "/")
		u, err := url.Parse(o)
		if err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("httpserver: invalid allowed origin %q (want scheme://host[:port], e.g. https://app.example.com, or *)", o)
		}
		p.allowed = append(p.allowed, strings.ToLower(o))
	}
	return p, nil
}

// allows reports whether origin may talk to the server.
func (p *originPolicy) allows(origin string) bool {
	if p.any || isLoopbackOrigin(origin) {
		return true
	}
	for _, a := range p.allowed {
		if strings.EqualFold(a, origin) {
			return true
		}
	}
	return false
}

// isLoopbackOrigin reports whether origin is http(s)://localhost,
// 127.0.0.0/8 or [::1], with an optional port. It does not allocate.
func isLoopbackOrigin(origin string) bool {
	var rest string
	switch {
	case len(origin) > 7 && strings.EqualFold(origin[:7], "http://"):
		rest = origin[7:]
	case len(origin) > 8 && strings.EqualFold(origin[:8], "https://"):
		rest = origin[8:]
	default:
		return false
	}
	var host, port string
	if rest[0] == '[' {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return false
		}
		host, port = rest[1:end], rest[end+1:]
	} else if i := strings.IndexByte(rest, ':'); i >= 0 {
		host, port = rest[:i], rest[i:]
	} else {
		host = rest
	}
	if port != "" {
		if port[0] != ':' || len(port) < 2 || len(port) > 6 {
			return false
		}
		for i := 1; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return false
			}
		}
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}

// checkOrigin refuses, with 403 and before any MCP processing, a request
// whose Origin header is present but not allowed (MCP spec: servers MUST
// validate Origin to prevent DNS rebinding). Requests without Origin
// (non-browser clients) pass.
func checkOrigin(p *originPolicy, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, present := r.Header["Origin"]; present && (len(v) != 1 || !p.allows(v[0])) {
			writeJSON(w, http.StatusForbidden, errOriginForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
