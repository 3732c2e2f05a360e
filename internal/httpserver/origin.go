package httpserver

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// originRefusal is the body of the 403 for a refused Origin; setting names
// where the allowed origins are listed.
func originRefusal(setting string) []byte {
	if setting == "" {
		setting = "the server's allowed origins"
	}
	return jsonRPCError(-32600, "origin not allowed: browser origins other than loopback must be listed in "+setting+
		" (scheme://host[:port], e.g. https://app.example.com)")
}

// originPolicy decides which Origin header values are accepted. Loopback
// origins are always accepted; others must be listed exactly (scheme, host
// and port, compared case-insensitively), or the list must contain "*". It is
// not http.CrossOriginProtection, which compares Origin with Host and so does
// not stop DNS rebinding.
type originPolicy struct {
	any     bool
	allowed []string // normalized "scheme://host[:port]"
	refusal []byte   // the 403's body
}

func newOriginPolicy(list []string) (*originPolicy, error) {
	p := &originPolicy{refusal: originRefusal("")}
	for _, o := range list {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		if o == "*" {
			p.any = true
			continue
		}
		u, ok := parseOrigin(strings.TrimSuffix(o, "/"))
		if !ok {
			return nil, fmt.Errorf("httpserver: invalid allowed origin %q (want http(s)://host[:port], e.g. https://app.example.com, or *)", o)
		}
		p.allowed = append(p.allowed, u.Scheme+"://"+strings.ToLower(u.Host))
	}
	return p, nil
}

// allows reports whether origin may talk to the server.
func (p *originPolicy) allows(origin string) bool {
	if p.any {
		return true
	}
	u, ok := parseOrigin(origin)
	if !ok {
		return false
	}
	if isLoopback(u.Hostname()) {
		return true
	}
	o := u.Scheme + "://" + strings.ToLower(u.Host)
	return slices.Contains(p.allowed, o)
}

// parseOrigin parses an Origin header value: scheme://host[:port] with http
// or https, a port in 1..65535, and nothing else (no user, path, query or
// fragment, not even an empty one).
func parseOrigin(origin string) (*url.URL, bool) {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		!strings.EqualFold(u.Scheme+"://"+u.Host, origin) || strings.HasSuffix(u.Host, ":") {
		return nil, false
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.ParseUint(p, 10, 16); err != nil || n == 0 {
			return nil, false
		}
	}
	return u, true
}

// isLoopback reports whether host is localhost, in 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
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
			writeJSON(w, http.StatusForbidden, p.refusal)
			return
		}
		next.ServeHTTP(w, r)
	})
}
