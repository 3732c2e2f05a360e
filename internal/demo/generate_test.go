package demo

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
)

// randomSpec's numbers stay in the ranges its code documents, for every
// code and 300 seeds each: accounts 2-10, 20/25/30 emails per account,
// updated 1-6 min ago, an issue of 10 min to 6 days whose last send came
// 0-9 min before it, a new-lead limit above what was contacted, and each
// code's own numbers.
func TestRandomSpecRanges(t *testing.T) {
	codes := []string{"", instantly.StatusHealthy, instantly.StatusCampaignDraft, instantly.StatusCampaignPaused,
		instantly.StatusCampaignCompleted, instantly.StatusCampaignRunningSubsequences, instantly.StatusCampaignBounceProtect,
		instantly.StatusCampaignAccountsUnhealthy, instantly.StatusAllAccountsUnhealthy, instantly.StatusCampaignAccountSuspended,
		instantly.StatusNoAccountsAvailable, instantly.StatusOutOfSchedule, instantly.StatusWaitingForLeads,
		instantly.StatusDailyLimitMet, instantly.StatusAccountDailyLimitMet, instantly.StatusNewLeadLimitMet,
		instantly.StatusWaitingForESPMatch, instantly.StatusDomainLimitReached, instantly.StatusFollowUpDelayNotMet, WarmupInProgress}
	allAbove := 0
	for _, code := range codes {
		var withLimit, withDomain, longIssue, lateSend, maxAbove int
		for seed := range uint64(300) {
			s := randomSpec(code, rand.New(rand.NewPCG(seed, 7)))
			fail := func(format string, args ...any) {
				t.Helper()
				t.Fatalf("%q seed %d: "+format+" (%+v)", append(append([]any{code, seed}, args...), s)...)
			}
			if code == instantly.StatusNoAccountsAvailable {
				if s.accounts != 0 || s.dailyLimit != 50 || s.lastSendAgo != -1 || s.sent != 0 {
					fail("no accounts: accounts %d limit %d lastSendAgo %v sent %d", s.accounts, s.dailyLimit, s.lastSendAgo, s.sent)
				}
			} else if s.accounts < 2 || s.accounts > 10 || s.dailyLimit%s.accounts != 0 ||
				!(s.dailyLimit/s.accounts == 20 || s.dailyLimit/s.accounts == 25 || s.dailyLimit/s.accounts == 30) {
				fail("accounts %d, daily limit %d", s.accounts, s.dailyLimit)
			}
			if s.updatedAgo < time.Minute || s.updatedAgo >= 6*time.Minute {
				fail("updated %v ago", s.updatedAgo)
			}
			if s.sent < 0 || s.newLeads < 0 || s.newLeads > max(s.sent, s.newLeadLimit) {
				fail("sent %d, new leads %d", s.sent, s.newLeads)
			}
			if code == instantly.StatusDailyLimitMet {
				if s.sent != s.dailyLimit {
					fail("daily limit met with %d of %d", s.sent, s.dailyLimit)
				}
			} else if s.sent >= s.dailyLimit && code != instantly.StatusNoAccountsAvailable {
				fail("sent %d of %d without daily_limit_met", s.sent, s.dailyLimit)
			}
			if s.newLeadLimit > 0 {
				withLimit++
				if code == instantly.StatusNewLeadLimitMet {
					// 10-79, below the daily limit (at least 40 here).
					if s.newLeads != s.newLeadLimit || s.newLeadLimit < 10 || s.newLeadLimit > 79 || s.newLeadLimit >= s.dailyLimit || s.followUps != 0 {
						fail("new lead limit met: %d of %d (daily %d)", s.newLeads, s.newLeadLimit, s.dailyLimit)
					}
				} else if s.newLeads >= s.newLeadLimit {
					fail("new leads %d, limit %d", s.newLeads, s.newLeadLimit)
				}
				// The limit is drawn 1-40 above the leads contacted (which
				// the idle codes then reset to 0).
				switch code {
				case instantly.StatusNewLeadLimitMet, instantly.StatusCampaignDraft, instantly.StatusCampaignCompleted,
					instantly.StatusCampaignRunningSubsequences, instantly.StatusNoAccountsAvailable, WarmupInProgress:
				default:
					if d := s.newLeadLimit - s.newLeads; d < 1 || d > 40 {
						fail("new-lead limit %d for %d contacted", s.newLeadLimit, s.newLeads)
					} else {
						maxAbove = max(maxAbove, d)
					}
				}
			}
			if s.domainLimiter {
				withDomain++
			}
			switch code {
			case instantly.StatusHealthy:
				if s.issueFor != 0 || s.lastSendAgo < time.Minute || s.lastSendAgo > 15*time.Minute || s.followUps < 0 || s.followUps >= 40 {
					fail("healthy: issue %v, last send %v ago", s.issueFor, s.lastSendAgo)
				}
			case instantly.StatusCampaignDraft, WarmupInProgress:
				if s.lastSendAgo != -1 || s.sent != 0 || s.followUps != 0 {
					fail("never sent: last send %v, sent %d", s.lastSendAgo, s.sent)
				}
			case instantly.StatusNoAccountsAvailable:
			default:
				if s.issueFor < 10*time.Minute || s.issueFor >= 10*time.Minute+6*24*time.Hour {
					fail("issue for %v", s.issueFor)
				}
				if d := s.lastSendAgo - s.issueFor; d < 0 || d > 9*time.Minute {
					fail("last send %v ago, issue for %v", s.lastSendAgo, s.issueFor)
				}
				if s.issueFor > 3*24*time.Hour {
					longIssue++
				}
				if s.lastSendAgo-s.issueFor >= 5*time.Minute {
					lateSend++
				}
			}
			switch code {
			case instantly.StatusCampaignAccountsUnhealthy:
				if s.disconnected < 1 || s.disconnected > s.accounts-1 || s.accountSkips < 0 || s.accountSkips >= 100 {
					fail("accounts unhealthy: %d disconnected", s.disconnected)
				}
			case instantly.StatusAllAccountsUnhealthy:
				if s.disconnected != s.accounts || s.available() != 0 {
					fail("all unhealthy: %d of %d disconnected", s.disconnected, s.accounts)
				}
			case instantly.StatusAccountDailyLimitMet:
				if s.dailyHit < 1 || s.rampHit > s.accounts/3 || s.dailyHit+s.rampHit+s.gapNotMet != s.accounts || s.available() != 0 ||
					s.accountSkips < 1 || s.accountSkips > 300 || s.followUps >= 80 {
					fail("accounts at their limits: %d/%d/%d of %d, skips %d", s.dailyHit, s.rampHit, s.gapNotMet, s.accounts, s.accountSkips)
				}
			case instantly.StatusDomainLimitReached:
				if !s.domainLimiter || s.domainsAtLimit < 1 || s.domainsAtLimit > 60 {
					fail("domains at limit %d", s.domainsAtLimit)
				}
			case instantly.StatusFollowUpDelayNotMet:
				if s.followUps < 5 || s.followUps > 124 || s.followUpWait < 600 || s.followUpWait >= 600+86_400 || s.delaySkip != s.followUps || !s.noLeadsReady {
					fail("follow-ups %d waiting %d s", s.followUps, s.followUpWait)
				}
			case WarmupInProgress:
				warming := `"warming_up":` + itoa(s.accounts) + `}`
				if body := string(buildStatus(s, "n", "c", "", testNow)); s.otherUnavailable != s.accounts || s.available() != 0 || !strings.Contains(body, warming) {
					fail("warmup: %d unavailable, status %s", s.otherUnavailable, body)
				}
			case instantly.StatusWaitingForESPMatch:
				if !s.espRouting || !reflect.DeepEqual(s.esps, []int{2}) {
					fail("ESP match: %v %v", s.espRouting, s.esps)
				}
			}
		}
		// About one in three has a new-lead limit; four in five a domain
		// limiter; issues spread over the six days, last sends over the nine
		// minutes.
		if code != instantly.StatusNewLeadLimitMet && (withLimit < 60 || withLimit > 140) {
			t.Errorf("%q: %d of 300 with a new-lead limit", code, withLimit)
		}
		switch code {
		case instantly.StatusNewLeadLimitMet, instantly.StatusCampaignDraft, instantly.StatusCampaignCompleted,
			instantly.StatusCampaignRunningSubsequences, instantly.StatusNoAccountsAvailable, WarmupInProgress:
		default:
			allAbove = max(allAbove, maxAbove)
			if maxAbove < 31 {
				t.Errorf("%q: new-lead limits at most %d above the leads contacted, want up to 40", code, maxAbove)
			}
		}
		if code != instantly.StatusDomainLimitReached && (withDomain < 200 || withDomain > 280) {
			t.Errorf("%q: %d of 300 with a domain limiter", code, withDomain)
		}
		switch code {
		case instantly.StatusHealthy, instantly.StatusCampaignDraft, WarmupInProgress, instantly.StatusNoAccountsAvailable:
		default:
			if longIssue < 50 || lateSend < 50 {
				t.Errorf("%q: %d issues over 3 days, %d sends 5+ min before the issue", code, longIssue, lateSend)
			}
		}
	}
	if allAbove != 40 {
		t.Errorf("new-lead limits at most %d above the leads contacted, want 40 (drawn 1-40 above)", allAbove)
	}
	// A generated campaign was created 1 h to 180 days ago.
	var old int
	for seed := range uint64(200) {
		w := NewWorkspace()
		w.AddGenerated("019a0000-0000-7000-8000-000000000001", "g", instantly.StatusHealthy, rand.New(rand.NewPCG(seed, 1)), testNow)
		c, _ := w.Campaign("019a0000-0000-7000-8000-000000000001")
		created, err := time.Parse(time.RFC3339, c.TimestampCreated)
		if err != nil {
			t.Fatal(err)
		}
		ago := testNow.Sub(created)
		if ago < time.Hour || ago > 180*24*time.Hour {
			t.Fatalf("seed %d: created %v ago", seed, ago)
		}
		if ago > 90*24*time.Hour {
			old++
		}
	}
	if old < 60 {
		t.Errorf("%d of 200 generated campaigns created over 90 days ago", old)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
