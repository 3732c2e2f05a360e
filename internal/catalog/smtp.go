package catalog

import (
	"regexp"
	"strconv"
	"strings"
)

// ErrorClass is what a sending account's SMTP or IMAP error means for the
// person who fixes it: the remedy follows the class, not the account.
type ErrorClass string

const (
	// ErrorCredentials: the provider rejected the login (password changed,
	// app password revoked, OAuth grant gone). Reconnecting fixes it.
	ErrorCredentials ErrorClass = "credentials"
	// ErrorQuota: the provider's own daily sending limit is used up. It
	// resets by itself; reconnecting does nothing.
	ErrorQuota ErrorClass = "provider_quota"
	// ErrorThrottle: the provider slows the sender down for a while (rate,
	// bounces, too many logins).
	ErrorThrottle ErrorClass = "throttled"
	// ErrorPolicy: the provider refuses the mail by policy (spam,
	// authentication of the domain, reputation).
	ErrorPolicy ErrorClass = "policy_block"
	// ErrorDisabled: the mailbox itself is disabled or blocked at the
	// provider.
	ErrorDisabled ErrorClass = "account_disabled"
	// ErrorUnknown: an error the table does not know; a generic step.
	ErrorUnknown ErrorClass = "unknown"
)

// SMTPReply is one row of the reply table: a provider's reply code,
// enhanced status code and a phrase of its text, and what they mean.
type SMTPReply struct {
	Code     int    // SMTP reply code (535); 0: any
	Enhanced string // enhanced status code (5.7.8); "": any
	Phrase   string // lower-case words the reply holds; "": any
	Class    ErrorClass
}

// smtpReplies maps providers' replies to a class, most specific first.
// Sources, public references of the two providers most senders use:
//   - Google Workspace, "SMTP error reference"
//     (https://support.google.com/a/answer/3726730): 535 5.7.8 "Username and
//     Password not accepted", 534 5.7.9 "Application-specific password
//     required", 550 5.4.5 "Daily user sending limit exceeded", 421 4.7.0
//     "Try again later" / "Temporary System Problem", 421 4.7.28 "unusual
//     rate of unsolicited mail", 454 4.7.0 "Too many login attempts",
//     550 5.7.1 "likely unsolicited mail", 550 5.7.26 "unauthenticated"
//     (SPF/DKIM/DMARC), 550 5.7.27 SPF.
//   - Microsoft 365, "Email non-delivery reports and SMTP errors in
//     Exchange Online" (https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online):
//     535 5.7.139 "Authentication unsuccessful" (the user account is
//     disabled, or SMTP AUTH is disabled), 535 5.7.3 "Authentication
//     unsuccessful", 5.1.8 "bad outbound sender", 5.7.501-5.7.503 "spam
//     abuse detected" / "banned sender", 5.1.90 "reached your daily limit
//     for message recipients", 5.2.2 "submission quota exceeded", 5.7.708
//     "traffic not accepted from this IP", 554 5.7.1 policy rejections.
//   - SMTP AUTH (RFC 4954): 535, authentication credentials invalid.
//   - IMAP (RFC 5530): AUTHENTICATIONFAILED, a rejected login.
var smtpReplies = []SMTPReply{
	{535, "5.7.139", "account is disabled", ErrorDisabled},
	{535, "5.7.139", "", ErrorCredentials},
	{535, "5.7.8", "", ErrorCredentials},
	{535, "5.7.3", "", ErrorCredentials},
	{534, "5.7.9", "", ErrorCredentials},
	{534, "5.7.14", "", ErrorCredentials},
	{535, "", "", ErrorCredentials}, // RFC 4954: authentication credentials invalid
	{0, "5.4.5", "", ErrorQuota},
	{0, "5.1.90", "", ErrorQuota},
	{0, "5.2.2", "submission quota", ErrorQuota},
	{421, "4.7.28", "", ErrorThrottle},
	{421, "4.7.0", "", ErrorThrottle},
	{454, "4.7.0", "", ErrorThrottle},
	{0, "5.1.8", "", ErrorDisabled},
	{0, "5.7.501", "", ErrorDisabled},
	{0, "5.7.502", "", ErrorDisabled},
	{0, "5.7.503", "", ErrorDisabled},
	{0, "5.7.26", "", ErrorPolicy},
	{0, "5.7.27", "", ErrorPolicy},
	{0, "5.7.708", "", ErrorPolicy},
	{550, "5.7.1", "", ErrorPolicy},
	{554, "5.7.1", "", ErrorPolicy},
	{0, "", "invalid credentials", ErrorCredentials},
	{0, "", "authenticationfailed", ErrorCredentials},
	{0, "", "username and password not accepted", ErrorCredentials},
	{0, "", "daily user sending limit", ErrorQuota},
	{0, "", "too many bounces", ErrorThrottle},
}

var enhancedCode = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}\b`)
var replyCode = regexp.MustCompile(`^\s*([245]\d\d)\b`)

// ClassifyReply reads an account's error (the SMTP reply code when
// Instantly stores it, and the error's texts) into a class. An error the
// table does not know is ErrorUnknown.
func ClassifyReply(code int, texts ...string) ErrorClass {
	all := strings.ToLower(strings.Join(texts, " "))
	if code == 0 {
		for _, t := range texts {
			if m := replyCode.FindStringSubmatch(t); m != nil {
				code, _ = strconv.Atoi(m[1])
				break
			}
		}
	}
	enh := enhancedCode.FindAllString(all, -1)
	for _, r := range smtpReplies {
		if r.Code != 0 && r.Code != code {
			continue
		}
		if r.Enhanced != "" && !containsString(enh, r.Enhanced) {
			continue
		}
		if r.Phrase != "" && !strings.Contains(all, r.Phrase) {
			continue
		}
		return r.Class
	}
	return ErrorUnknown
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ClassWords is the class in a few words, for the evidence.
func ClassWords(c ErrorClass) string {
	switch c {
	case ErrorCredentials:
		return "login rejected"
	case ErrorQuota:
		return "the provider's daily sending limit is used up"
	case ErrorThrottle:
		return "the provider is slowing it down"
	case ErrorPolicy:
		return "the provider blocks its mail by policy"
	case ErrorDisabled:
		return "the mailbox is disabled at the provider"
	}
	return "in error"
}

// ClassStep is the step for accounts (who: their addresses) with an error
// of class c, in Instantly's words.
func ClassStep(c ErrorClass, who string) string {
	switch c {
	case ErrorCredentials:
		return `In "Email Accounts", reconnect ` + who + `: sign in again, with a new app password if the password was changed.`
	case ErrorQuota:
		return who + `: wait for the provider's daily limit to reset (reconnecting does nothing), and lower the account's "Daily Campaign limit" ("Email Accounts" -> account -> "Settings") to stay under it.`
	case ErrorThrottle:
		return `Let ` + who + ` rest until the provider stops slowing it down, and verify the lead list before it sends again.`
	case ErrorPolicy:
		return who + `: the provider refuses its mail: check the domain's SPF, DKIM and DMARC and the copy; reconnecting does nothing.`
	case ErrorDisabled:
		return `Re-enable ` + who + ` in the provider's admin console and reconnect it in "Email Accounts", or remove it from the campaign under "Options".`
	}
	return `In "Email Accounts", open ` + who + `, read the error shown, and reconnect or fix it.`
}
