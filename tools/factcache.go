package tools

import (
	"sync"
	"time"
)

// FactCache keeps, for a short time, the facts of a deep diagnosis that
// change slowly and are the same for every campaign of a workspace: the DNS
// vitals of a sending domain, the name of a tag, the campaigns an account
// sends for, a campaign's subsequences, the audit log's recent pauses.
// Entries are kept per API key (by its hash), so workspaces never share
// them. What changes minute to minute and is the evidence itself (the
// sending status, account states, today's counts, the campaign's settings)
// is never cached. A nil *FactCache caches nothing.
type FactCache struct {
	mu sync.Mutex
	m  map[factKey]factEntry
}

type factKey struct {
	key  [32]byte
	name string
}

type factEntry struct {
	v  any
	at time.Time
}

// How long each kind of fact is reused.
const (
	vitalsTTL   = 10 * time.Minute // DNS records change rarely, and a fix takes time to propagate anyway
	tagTTL      = 10 * time.Minute // a tag's name
	mappingsTTL = 2 * time.Minute  // the campaigns of an account
	subsTTL     = 2 * time.Minute  // a campaign's subsequence list (not their statuses)
	auditTTL    = 2 * time.Minute  // the audit log's pauses (see loadPauseRecords for when it is not reused)
)

// maxFacts bounds the cache; past it, expired entries go, and if that is
// not enough, everything.
const maxFacts = 20000

// NewFactCache returns an empty cache.
func NewFactCache() *FactCache { return &FactCache{m: map[factKey]factEntry{}} }

// get returns the value stored under name for key, and when it was
// fetched, if it is younger than ttl at now.
func (c *FactCache) get(key [32]byte, name string, ttl time.Duration, now time.Time) (any, time.Time, bool) {
	if c == nil {
		return nil, time.Time{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[factKey{key, name}]
	if !ok || now.Sub(e.at) >= ttl || e.at.After(now) {
		return nil, time.Time{}, false
	}
	return e.v, e.at, true
}

func (c *FactCache) put(key [32]byte, name string, v any, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxFacts {
		for k, e := range c.m {
			if now.Sub(e.at) >= vitalsTTL {
				delete(c.m, k)
			}
		}
		if len(c.m) >= maxFacts {
			clear(c.m)
		}
	}
	c.m[factKey{key, name}] = factEntry{v: v, at: now}
}

// Len is the number of entries (for tests).
func (c *FactCache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

func (g *gather) cached(name string, ttl time.Duration) (any, time.Time, bool) {
	return g.cache.get(g.keyHash, name, ttl, g.now)
}

func (g *gather) store(name string, v any) { g.cache.put(g.keyHash, name, v, g.now) }

// noteCached records that a check reused facts read earlier.
func (g *gather) noteCached(check, what string, at time.Time) {
	g.note(check, true, "%s: read %s by an earlier diagnosis (reused for up to %s)", what, ago(at.UTC().Format(time.RFC3339Nano), g.now), cacheTTLText(check))
}

func cacheTTLText(check string) string {
	switch check {
	case "vitals", "tags":
		return "10 min"
	}
	return "2 min"
}
