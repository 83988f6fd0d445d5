package engine

import (
	"time"

	"github.com/tinhso/tinhso"
)

// SessionExpiry is when a session created at created and last used at seen ends: idle
// after its last use, and max after sign-in at the latest.
func SessionExpiry(created, seen time.Time, idle, max time.Duration) time.Time {
	i, m := seen.Add(idle), created.Add(max)
	if i.Before(m) {
		return i
	}
	return m
}

// SessionLive reports whether a session may still be used at now.
func SessionLive(s *tinhso.Session, now time.Time, idle, max time.Duration) bool {
	return now.Before(s.ExpiresAt) && now.Before(s.LastSeenAt.Add(idle)) && now.Before(s.CreatedAt.Add(max))
}
