package instantly

import (
	"errors"
	"testing"
)

func TestLooksLikeSecret(t *testing.T) {
	secrets := []string{
		redactKey, testKey, "sk_live_abc123def456ghi789",
		"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
		"3f9a1c0b7e4d2a6f8b1c9e0d7a3b5c2e4f6a8b0c", "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
		"Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk",
	}
	names := []string{
		"Black Friday", "Q1_Agency_Outreach_2026_v2", "BlackFridayOutreach2026", "webinar-follow-up-2026-03",
		"SaaS-founders-EU-Q3-2026", "019e18e2-a52f-78e7-96f2-b33ee19bb50a", "short1a2b3c", "Outreach/EU/2026/Q1-v2",
		"re-engagement_campaign_for_dormant_leads", "CTO-outreach-NYC-2026", "",
	}
	for _, s := range secrets {
		if !LooksLikeSecret(s) {
			t.Errorf("%.12s… not taken for a secret", s)
		}
		if _, err := CheckSearch(s); !errors.Is(err, ErrSecretSearch) {
			t.Errorf("CheckSearch(%.12s…): %v", s, err)
		}
	}
	for _, s := range names {
		if LooksLikeSecret(s) {
			t.Errorf("%q taken for a secret", s)
		}
	}
}
