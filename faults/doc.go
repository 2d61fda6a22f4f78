// Package faults holds Hark's fault suite (`make faults`): each case runs `hark serve` as child
// processes against a Typesense, and for the Postgres case a PostgreSQL, of its own, breaks one
// part mid-work (SIGKILL, a restart, an outage, a full disk) and reports how long Hark takes,
// once the fault is cleared, until everything is exact again: every feed's stored episodes
// equal its items, no episode is stored twice, and the index holds exactly the live episodes.
//
// The cases are tests behind the build tag faults, so that `go test ./...` does not run them:
//
//	go test -tags faults -count=1 -v ./faults
package faults
