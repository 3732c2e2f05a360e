package instantly

// WithoutRetries returns a shallow copy of c whose calls make one request
// each, for optional calls such as the cross-checks of a deep diagnosis:
// when Instantly is refusing (429) or failing (5xx), retrying a call the
// answer can do without only spends the workspace's rate budget, which the
// call that matters needs. The copy shares c's HTTP client, rate-limit
// budgets and key.
func (c *Client) WithoutRetries() *Client {
	cp := *c
	cp.maxAttempts = 1
	return &cp
}
