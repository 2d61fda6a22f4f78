package db

import "time"

// SetClock makes s meter requests at the times clock gives.
func SetClock(s *Store, clock func() time.Time) { s.clock = clock }
