package instantly

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func BenchmarkDecodeSendingStatus(b *testing.B) {
	body := readFixture(b, "sending_status_full.json")
	b.Run("client", func(b *testing.B) { // the path GetCampaignSendingStatus takes
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var ss SendingStatus
			if err := decodeOwned(body, &ss); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var ss SendingStatus
			if err := json.Unmarshal(body, &ss); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkEncodeSendingStatus(b *testing.B) {
	var ss SendingStatus
	if err := json.Unmarshal(readFixture(b, "sending_status_full.json"), &ss); err != nil {
		b.Fatal(err)
	}
	b.Run("MarshalJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ss.MarshalJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Marshal", func(b *testing.B) { // adds encoding/json's compaction pass
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&ss); err != nil {
				b.Fatal(err)
			}
		}
	})
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
