package instantly

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
)

func BenchmarkDecodeSendingStatus(b *testing.B) {
	body := readFixture(b, "sending_status_full.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var ss SendingStatus
		if err := decodeStrict(body, &ss); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetCampaignSendingStatus(b *testing.B) {
	body := readFixture(b, "sending_status_full.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, err := NewClient(testKey, WithBaseURL(srv.URL), WithoutRateLimit())
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetCampaignSendingStatus(ctx, testID, nil); err != nil {
			b.Fatal(err)
		}
	}
}
