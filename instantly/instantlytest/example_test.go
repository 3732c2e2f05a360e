package instantlytest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/instantly-status/instantly-status-mcp/instantly"
	"github.com/instantly-status/instantly-status-mcp/instantly/instantlytest"
)

// The -demo mode: the demo workspace served in process, without network.
func ExampleNewTransport() {
	h := instantlytest.NewHandler(instantlytest.DemoWorkspace(time.Now()))
	client := &http.Client{Transport: instantlytest.NewTransport(h)}

	id := instantlytest.DemoCampaigns[0].ID
	req, _ := http.NewRequest(http.MethodGet, "http://demo.invalid/api/v2/campaigns/"+id+"/sending-status", nil)
	req.Header.Set("Authorization", "Bearer "+instantlytest.DemoAPIKey)
	resp, err := client.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var st instantly.SendingStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, id, *st.Diagnostics.Status)
	// Output: 200 019a0000-0000-7000-8000-000000000001 account_daily_limit_met
}

// Tests: a loopback server that fails the first two requests for a campaign.
func ExampleNewServer() {
	srv := instantlytest.NewServer(instantlytest.DemoWorkspace(time.Now()))
	defer srv.Close()
	id := instantlytest.DemoID(instantly.StatusHealthy)
	srv.Handler.SetFault(id, instantlytest.Fault{Status: http.StatusServiceUnavailable, Times: 2})

	for range 3 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v2/campaigns/"+id+"/sending-status", nil)
		req.Header.Set("Authorization", "Bearer test-key")
		resp, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	fmt.Println(srv.Handler.RequestsFor(id), "requests")
	// Output:
	// 503
	// 503
	// 200
	// 3 requests
}
