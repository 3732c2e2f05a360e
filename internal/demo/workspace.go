package demo

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// noData is what Instantly answers for a campaign it has no sending data for
// yet, e.g. one launched a few minutes ago.
var noData = []byte(`{"diagnostics":null,"summary":null}`)

// Subsequence is a campaign subsequence: its own id, the campaign it belongs
// to, and its name.
type Subsequence struct {
	ID               string
	ParentCampaignID string
	Name             string
}

// Workspace is the data a Handler serves: campaigns (listed in ascending id
// order, which is creation order for UUIDv7 ids), subsequences, and the raw
// sending-status JSON of each. It is safe for concurrent use; a Handler sees
// changes immediately. The zero value is not usable: call NewWorkspace.
type Workspace struct {
	mu           sync.RWMutex
	campaigns    map[string]*campaignEntry // by lowercase id
	listed       []*campaignEntry          // campaigns with a Campaign object, ascending id
	subsequences map[string]*subsequenceEntry

	deepOnce sync.Once
	deep     *deepStore // the cross-check endpoints' data (deep.go)
}

// campaignEntry and subsequenceEntry are immutable once stored: changes
// replace the pointer, so a Handler may use one after releasing the lock.
type campaignEntry struct {
	id        string
	campaign  *instantly.Campaign // nil: only a sending status was set
	json      []byte              // the Campaign object as served
	nameLower string
	status    statusBodies
}

type subsequenceEntry struct {
	sub    Subsequence
	status statusBodies
}

// statusBodies are the precomputed sending-status responses of one id.
type statusBodies struct {
	withAI []byte // exactly as set
	plain  []byte // without summary.ai_summary
}

func newStatusBodies(raw []byte) statusBodies {
	if raw == nil {
		return statusBodies{withAI: noData, plain: noData}
	}
	raw = slices.Clone(raw)
	return statusBodies{withAI: raw, plain: withoutAISummary(raw)}
}

// withoutAISummary is raw without summary.ai_summary, what Instantly answers
// without with_ai_summary=true: every other byte stays as written. raw
// itself when it has none or is not a valid JSON object (tests serve broken
// bodies).
func withoutAISummary(raw []byte) []byte {
	d := jsontext.NewDecoder(bytes.NewReader(raw))
	if !jsontext.Value(raw).IsValid() || !enterMember(d, "summary") {
		return raw
	}
	first := true
	for d.PeekKind() == '"' {
		start := d.InputOffset() // after '{' or the previous value
		tok, err := d.ReadToken()
		if err != nil {
			return raw
		}
		name := tok.String()
		if d.SkipValue() != nil {
			return raw
		}
		if name != "ai_summary" {
			first = false
			continue
		}
		end := d.InputOffset()
		if first { // take the comma after it instead of the one before
			rest := bytes.TrimLeft(raw[end:], " \t\r\n")
			if len(rest) > 0 && rest[0] == ',' {
				end = int64(len(raw) - len(rest) + 1)
			}
		}
		return append(slices.Clip(raw[:start]), raw[end:]...)
	}
	return raw
}

// enterMember reads d up to the opening of the object that is the member
// name of the top-level object.
func enterMember(d *jsontext.Decoder, name string) bool {
	if tok, err := d.ReadToken(); err != nil || tok.Kind() != '{' {
		return false
	}
	for d.PeekKind() == '"' {
		n, err := d.ReadToken()
		if err != nil {
			return false
		}
		if n.String() == name { // before the next read voids n
			tok, err := d.ReadToken()
			return err == nil && tok.Kind() == '{'
		}
		if d.SkipValue() != nil {
			return false
		}
	}
	return false
}

// NewWorkspace returns an empty workspace.
func NewWorkspace() *Workspace {
	return &Workspace{
		campaigns:    map[string]*campaignEntry{},
		subsequences: map[string]*subsequenceEntry{},
	}
}

func normID(id string) string { return strings.ToLower(id) }

// AddCampaign adds c, or replaces the campaign with the same id, together
// with its sending-status response. sendingStatus is served byte for byte
// with with_ai_summary=true; without it, summary.ai_summary is removed. nil
// means Instantly has no data yet: {"diagnostics":null,"summary":null}.
func (w *Workspace) AddCampaign(c instantly.Campaign, sendingStatus []byte) {
	w.AddCampaignWithFields(c, nil, sendingStatus)
}

// AddCampaignWithFields is AddCampaign with more fields of Instantly's
// Campaign object (campaign_schedule, pl_value, ...), served beside c's own;
// c's fields win over fields of the same name.
func (w *Workspace) AddCampaignWithFields(c instantly.Campaign, fields map[string]any, sendingStatus []byte) {
	c.EmailList = slices.Clone(c.EmailList)
	c.EmailTagList = slices.Clone(c.EmailTagList)
	e := &campaignEntry{
		id:        normID(c.ID),
		campaign:  &c,
		json:      marshalCampaign(c, fields),
		nameLower: strings.ToLower(c.Name),
		status:    newStatusBodies(sendingStatus),
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.putLocked(e)
}

func (w *Workspace) putLocked(e *campaignEntry) {
	old := w.campaigns[e.id]
	w.campaigns[e.id] = e
	if e.campaign == nil {
		return
	}
	i, found := slices.BinarySearchFunc(w.listed, e.id, func(x *campaignEntry, id string) int {
		return strings.Compare(x.id, id)
	})
	switch {
	case found:
		w.listed[i] = e
	case old == nil || old.campaign == nil:
		w.listed = slices.Insert(w.listed, i, e)
	}
}

// addCampaignObject adds the campaign c whose whole Campaign object, as
// served, is raw.
func (w *Workspace) addCampaignObject(c instantly.Campaign, raw, sendingStatus []byte) {
	c.EmailList = slices.Clone(c.EmailList)
	c.EmailTagList = slices.Clone(c.EmailTagList)
	e := &campaignEntry{
		id:        normID(c.ID),
		campaign:  &c,
		json:      slices.Clone(raw),
		nameLower: strings.ToLower(c.Name),
		status:    newStatusBodies(sendingStatus),
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.putLocked(e)
}

// marshalCampaign encodes c and fields as one JSON object.
func marshalCampaign(c instantly.Campaign, fields map[string]any) []byte {
	obj := maps.Clone(fields)
	if obj == nil {
		obj = map[string]any{}
	}
	typed, _ := json.Marshal(c)
	var own map[string]json.RawMessage
	_ = json.Unmarshal(typed, &own)
	for k, v := range own {
		obj[k] = v
	}
	b, err := json.Marshal(obj)
	if err != nil {
		panic("demo: campaign fields: " + err.Error())
	}
	return b
}

// AddSubsequence adds s, or replaces the subsequence with the same id,
// together with its sending-status response (see AddCampaign).
func (w *Workspace) AddSubsequence(s Subsequence, sendingStatus []byte) {
	e := &subsequenceEntry{sub: s, status: newStatusBodies(sendingStatus)}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.subsequences[normID(s.ID)] = e
}

// SetSendingStatus replaces the sending-status response of a subsequence or
// campaign (see AddCampaign for raw). raw need not be valid JSON, so tests can
// serve malformed bodies. An id the workspace does not know yet becomes a
// campaign that has a sending status but is neither listed nor served by
// GET /api/v2/campaigns/{id}.
func (w *Workspace) SetSendingStatus(id string, raw []byte) {
	id = normID(id)
	st := newStatusBodies(raw)
	w.mu.Lock()
	defer w.mu.Unlock()
	if s, ok := w.subsequences[id]; ok {
		w.subsequences[id] = &subsequenceEntry{sub: s.sub, status: st}
		return
	}
	e := &campaignEntry{id: id, status: st}
	if old, ok := w.campaigns[id]; ok {
		e.campaign, e.json, e.nameLower = old.campaign, old.json, old.nameLower
	}
	w.putLocked(e)
}

// Remove deletes the campaign and the subsequence with this id. It reports
// whether there was one.
func (w *Workspace) Remove(id string) bool {
	id = normID(id)
	w.mu.Lock()
	defer w.mu.Unlock()
	_, sub := w.subsequences[id]
	delete(w.subsequences, id)
	e, camp := w.campaigns[id]
	if camp {
		delete(w.campaigns, id)
		if e.campaign != nil {
			w.listed = slices.DeleteFunc(w.listed, func(x *campaignEntry) bool { return x.id == id })
		}
	}
	return sub || camp
}

// Campaign returns the campaign with this id.
func (w *Workspace) Campaign(id string) (instantly.Campaign, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	e, ok := w.campaigns[normID(id)]
	if !ok || e.campaign == nil {
		return instantly.Campaign{}, false
	}
	return cloneCampaign(e.campaign), true
}

// cloneCampaign copies a stored campaign, so callers may change it.
func cloneCampaign(c *instantly.Campaign) instantly.Campaign {
	out := *c
	out.EmailList = slices.Clone(c.EmailList)
	out.EmailTagList = slices.Clone(c.EmailTagList)
	return out
}

// Campaigns returns the listed campaigns in list order.
func (w *Workspace) Campaigns() []instantly.Campaign {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]instantly.Campaign, len(w.listed))
	for i, e := range w.listed {
		out[i] = cloneCampaign(e.campaign)
	}
	return out
}

// Subsequences returns the subsequences, ordered by id.
func (w *Workspace) Subsequences() []Subsequence {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]Subsequence, 0, len(w.subsequences))
	for _, e := range w.subsequences {
		out = append(out, e.sub)
	}
	slices.SortFunc(out, func(a, b Subsequence) int { return strings.Compare(normID(a.ID), normID(b.ID)) })
	return out
}

// SendingStatus returns a copy of the sending-status response stored for a
// campaign or subsequence id (the with_ai_summary=true variant). A
// subsequence wins over a campaign with the same id.
func (w *Workspace) SendingStatus(id string) ([]byte, bool) {
	id = normID(id)
	w.mu.RLock()
	defer w.mu.RUnlock()
	if s, ok := w.subsequences[id]; ok {
		return slices.Clone(s.status.withAI), true
	}
	if e, ok := w.campaigns[id]; ok {
		return slices.Clone(e.status.withAI), true
	}
	return nil, false
}

// Len returns the number of listed campaigns.
func (w *Workspace) Len() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return len(w.listed)
}

// statusBody returns the sending-status body of a campaign id, or of a
// subsequence id when sub.
func (w *Workspace) statusBody(id string, sub, ai bool) ([]byte, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if s, ok := w.subsequences[id]; sub && ok {
		return s.status.pick(ai), true
	}
	if e, ok := w.campaigns[id]; !sub && ok {
		return e.status.pick(ai), true
	}
	return nil, false
}

func (s statusBodies) pick(ai bool) []byte {
	if ai {
		return s.withAI
	}
	return s.plain
}

func (w *Workspace) campaignJSON(id string) ([]byte, bool) {
	w.mu.RLock()
	e, ok := w.campaigns[id]
	w.mu.RUnlock()
	if !ok || e.campaign == nil {
		return nil, false
	}
	return e.json, true
}

// listFilter selects campaigns for GET /api/v2/campaigns.
type listFilter struct {
	startingAfter string // lowercase; "" from the start
	search        string // lowercase substring of the name; "" any
	status        *instantly.CampaignStatus
	excludeStatus *instantly.CampaignStatus
}

func (f *listFilter) match(e *campaignEntry) bool {
	if f.search != "" && !strings.Contains(e.nameLower, f.search) {
		return false
	}
	if f.status != nil && e.campaign.Status != *f.status {
		return false
	}
	if f.excludeStatus != nil && e.campaign.Status == *f.excludeStatus {
		return false
	}
	return true
}

// list returns up to limit campaign bodies after f.startingAfter, and the
// cursor of the next page ("" on the last page).
func (w *Workspace) list(f listFilter, limit int) (items [][]byte, next string) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	i := 0
	if f.startingAfter != "" {
		i, _ = slices.BinarySearchFunc(w.listed, f.startingAfter, func(x *campaignEntry, id string) int {
			if x.id <= id {
				return -1
			}
			return 1
		})
	}
	var last string
	for ; i < len(w.listed); i++ {
		e := w.listed[i]
		if !f.match(e) {
			continue
		}
		if len(items) == limit {
			return items, last
		}
		items = append(items, e.json)
		last = e.id
	}
	return items, ""
}
