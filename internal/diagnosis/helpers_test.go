package diagnosis_test

import "time"

// fixedNow pins the analysis clock; the demo workspace is built at the same
// instant (as in the tools tests).
var fixedNow = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)
