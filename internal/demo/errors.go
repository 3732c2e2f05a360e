package demo

import (
	"encoding/json"
	"net/http"
)

// ErrorBody returns Instantly's error body for status:
// {"statusCode":status,"error":"<reason phrase>","message":message}.
// Tests use it for instantlytest.Fault.Body, e.g. a 402 "Workspace does not
// have an active paid plan".
func ErrorBody(status int, message string) []byte {
	b, _ := json.Marshal(struct {
		StatusCode int    `json:"statusCode"`
		Error      string `json:"error"`
		Message    string `json:"message"`
	}{status, http.StatusText(status), message})
	return b
}

// validationError is the body of a 400 from Instantly's request validation
// (Fastify), e.g. message "querystring/limit must be <= 100".
func validationError(message string) []byte {
	b, _ := json.Marshal(struct {
		StatusCode int    `json:"statusCode"`
		Code       string `json:"code"`
		Error      string `json:"error"`
		Message    string `json:"message"`
	}{http.StatusBadRequest, "FST_ERR_VALIDATION", "Bad Request", message})
	return b
}

// Precomputed bodies of the common errors.
var (
	bodyMissingAuth        = ErrorBody(http.StatusUnauthorized, "Missing Authorization header")
	bodyInvalidKey         = ErrorBody(http.StatusUnauthorized, "Invalid API key")
	bodyCampaignNotFound   = ErrorBody(http.StatusNotFound, "Campaign not found")
	bodySubsequenceMissing = ErrorBody(http.StatusNotFound, "Subsequence not found")
	bodyBadUUID            = validationError(`params/id must match format "uuid"`)
)
