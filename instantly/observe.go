package instantly

import (
	"errors"
	"net/http"
)

// WithTransportWrapper wraps the transport of the HTTP client set so far
// (the default one, or WithHTTPClient's if given earlier), e.g. to count
// requests. Give it after WithHTTPClient.
func WithTransportWrapper(wrap func(http.RoundTripper) http.RoundTripper) Option {
	return func(c *Client) error {
		if wrap == nil {
			return errors.New("instantly: nil transport wrapper")
		}
		hc := *c.httpClient
		rt := hc.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
		hc.Transport = wrap(rt)
		c.httpClient = &hc
		return nil
	}
}
