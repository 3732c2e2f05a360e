package instantly

// JSON methods of every response object with an Extra field; the work is done
// by unmarshalWithExtra (extra.go) and marshalWithExtra (encode.go).
// MarshalJSON has a value receiver so values, pointers and slice elements all
// use it.

// UnmarshalJSON fills the typed fields of SendingStatus and keeps every other key in Extra.
func (s *SendingStatus) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, s) }

// MarshalJSON writes the typed fields of SendingStatus, then the members of Extra.
func (s SendingStatus) MarshalJSON() ([]byte, error) { return marshalWithExtra(&s) }

// UnmarshalJSON fills the typed fields of Diagnostics and keeps every other key in Extra.
func (d *Diagnostics) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, d) }

// MarshalJSON writes the typed fields of Diagnostics, then the members of Extra.
func (d Diagnostics) MarshalJSON() ([]byte, error) { return marshalWithExtra(&d) }

// UnmarshalJSON fills the typed fields of IssueTracking and keeps every other key in Extra.
func (i *IssueTracking) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, i) }

// MarshalJSON writes the typed fields of IssueTracking, then the members of Extra.
func (i IssueTracking) MarshalJSON() ([]byte, error) { return marshalWithExtra(&i) }

// UnmarshalJSON fills the typed fields of AccountsSummary and keeps every other key in Extra.
func (a *AccountsSummary) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, a) }

// MarshalJSON writes the typed fields of AccountsSummary, then the members of Extra.
func (a AccountsSummary) MarshalJSON() ([]byte, error) { return marshalWithExtra(&a) }

// UnmarshalJSON fills the typed fields of UnavailableAccounts and keeps every other key in Extra.
func (u *UnavailableAccounts) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, u) }

// MarshalJSON writes the typed fields of UnavailableAccounts, then the members of Extra.
func (u UnavailableAccounts) MarshalJSON() ([]byte, error) { return marshalWithExtra(&u) }

// UnmarshalJSON fills the typed fields of CampaignDailyLimit and keeps every other key in Extra.
func (c *CampaignDailyLimit) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, c) }

// MarshalJSON writes the typed fields of CampaignDailyLimit, then the members of Extra.
func (c CampaignDailyLimit) MarshalJSON() ([]byte, error) { return marshalWithExtra(&c) }

// UnmarshalJSON fills the typed fields of NewLeadLimit and keeps every other key in Extra.
func (n *NewLeadLimit) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, n) }

// MarshalJSON writes the typed fields of NewLeadLimit, then the members of Extra.
func (n NewLeadLimit) MarshalJSON() ([]byte, error) { return marshalWithExtra(&n) }

// UnmarshalJSON fills the typed fields of ScheduleStatus and keeps every other key in Extra.
func (s *ScheduleStatus) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, s) }

// MarshalJSON writes the typed fields of ScheduleStatus, then the members of Extra.
func (s ScheduleStatus) MarshalJSON() ([]byte, error) { return marshalWithExtra(&s) }

// UnmarshalJSON fills the typed fields of SendOneByOne and keeps every other key in Extra.
func (s *SendOneByOne) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, s) }

// MarshalJSON writes the typed fields of SendOneByOne, then the members of Extra.
func (s SendOneByOne) MarshalJSON() ([]byte, error) { return marshalWithExtra(&s) }

// UnmarshalJSON fills the typed fields of FollowUpsWaiting and keeps every other key in Extra.
func (f *FollowUpsWaiting) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, f) }

// MarshalJSON writes the typed fields of FollowUpsWaiting, then the members of Extra.
func (f FollowUpsWaiting) MarshalJSON() ([]byte, error) { return marshalWithExtra(&f) }

// UnmarshalJSON fills the typed fields of ESPRoutingStatus and keeps every other key in Extra.
func (e *ESPRoutingStatus) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, e) }

// MarshalJSON writes the typed fields of ESPRoutingStatus, then the members of Extra.
func (e ESPRoutingStatus) MarshalJSON() ([]byte, error) { return marshalWithExtra(&e) }

// UnmarshalJSON fills the typed fields of DomainLimiter and keeps every other key in Extra.
func (d *DomainLimiter) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, d) }

// MarshalJSON writes the typed fields of DomainLimiter, then the members of Extra.
func (d DomainLimiter) MarshalJSON() ([]byte, error) { return marshalWithExtra(&d) }

// UnmarshalJSON fills the typed fields of LeadsStatus and keeps every other key in Extra.
func (l *LeadsStatus) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, l) }

// MarshalJSON writes the typed fields of LeadsStatus, then the members of Extra.
func (l LeadsStatus) MarshalJSON() ([]byte, error) { return marshalWithExtra(&l) }

// UnmarshalJSON fills the typed fields of Summary and keeps every other key in Extra.
func (s *Summary) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, s) }

// MarshalJSON writes the typed fields of Summary, then the members of Extra.
func (s Summary) MarshalJSON() ([]byte, error) { return marshalWithExtra(&s) }

// UnmarshalJSON fills the typed fields of Campaign and keeps every other key in Extra.
func (c *Campaign) UnmarshalJSON(data []byte) error { return unmarshalWithExtra(data, c) }

// MarshalJSON writes the typed fields of Campaign, then the members of Extra.
func (c Campaign) MarshalJSON() ([]byte, error) { return marshalWithExtra(&c) }
