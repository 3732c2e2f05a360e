// Command fakeinstantly serves the demo workspace (internal/demo) as a fake
// Instantly API on a loopback address, with no added latency, for the
// client-side benchmark (e2e/firstanswer.bench.mjs): every server measured
// there talks to the same fake. It prints its base URL on stdout and serves
// until it is killed or its stdin closes.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/instantly-status/instantly-status-mcp/internal/demo"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	go func() {
		// The benchmark holds stdin open; when it goes, so do we.
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	srv := &http.Server{Handler: demo.NewHandler(demo.DemoWorkspace(time.Now())), ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.Serve(ln))
}
