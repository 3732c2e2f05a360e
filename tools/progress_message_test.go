package tools

import "testing"

func TestProgressMessage(t *testing.T) {
	for _, c := range []struct {
		done, total, failed int
		want                string
	}{
		{3, 0, 0, "Checked 3 campaigns, still listing"},
		{3, 0, 1, "Checked 3 campaigns, 1 failed, still listing"},
		{7, 14, 0, "Checked 7 of 14 campaigns"},
		{7, 14, 1, "Checked 7 of 14 campaigns, 1 failed"},
		{14, 14, 14, "Checked 14 of 14 campaigns, 14 failed"},
	} {
		if got := progressMessage(c.done, c.total, c.failed); got != c.want {
			t.Errorf("progressMessage(%d, %d, %d) = %q, want %q", c.done, c.total, c.failed, got, c.want)
		}
	}
}
