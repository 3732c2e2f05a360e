package servertest

import "testing"

func TestLiveHeaps(t *testing.T) {
	s := &Server{Log: &Buf{}}
	if len(s.liveHeaps()) != 0 {
		t.Fatal("no GC yet")
	}
	s.Log.Write([]byte("instantly-status-mcp: listening on 127.0.0.1:1\n" +
		"gc 1 @0.010s 1%: 0.012+0.81+0.003 ms clock, 0.024+0.10/0.32/0.66+0.007 ms cpu, 3->3->1 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 2 P\n" +
		"gc 2 @0.420s 2%: 0.01+1.2+0.01 ms clock, 0.02+0.5/1.1/0.2+0.02 ms cpu, 40->52->37 MB, 41 MB goal, 0 MB stacks, 0 MB globals, 2 P\n" +
		"gc 3 @0.900s 2%: 0.01+1.2+0.01 ms clock, 0.02+0.5/1.1/0.2+0.02 ms cpu, 60->61->5 MB, 74 MB goal, 0 MB stacks, 0 MB globals, 2 P (forced)\n"))
	if got := s.liveHeaps(); len(got) != 3 || got[0] != 1<<20 || got[1] != 37<<20 || got[2] != 5<<20 {
		t.Errorf("live heaps %v", got)
	}
	if m := s.Messages(); m != "instantly-status-mcp: listening on 127.0.0.1:1\n" {
		t.Errorf("Messages %q", m)
	}
}
