// Package drills holds Mend's reliability drills that need a whole seeded
// database and many people at once, rather than one test app: the load
// drill (many couples and their therapists doing their daily routine at the
// same time, with every answer checked for another couple's words, every
// acknowledged write looked up afterwards, and the latency reported).
//
// They live here, not in internal/bench, because they are tests that pass
// or fail and run in `go test ./...` (a short version; MEND_DRILLS=1 runs
// the full one), while internal/bench holds benchmarks that only measure
// and never run unasked. The drills of one test app (double submit, faults
// between two writes) stay in internal/server beside its test helpers.
//
// The package has no code outside its tests.
package drills
