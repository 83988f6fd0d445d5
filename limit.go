package tinhso

import (
	"context"
	"time"
)

// Throttle counts failed attempts (sign-ins, password checks) per key: an account or
// a client address. Nodes that share one see each other's failures; a memory one
// counts each node's own.
type Throttle interface {
	// Wait returns how long key must wait before another attempt: 0 while it has had
	// fewer than limit failures within window (a limit of zero or less: no limit).
	Wait(ctx context.Context, key string, now time.Time, limit int, window time.Duration) (time.Duration, error)
	// Fail records a failure of key at now; only the newest limit are kept.
	Fail(ctx context.Context, key string, now time.Time, limit int, window time.Duration) error
	// Reset forgets key's failures (after a success).
	Reset(ctx context.Context, key string) error
}

// Quota counts uses per key (a company, a client address) within a window, to bound
// how often something may be done (proposals).
type Quota interface {
	// Take records one use of every key at now unless a key has had its limit of uses
	// within window; then it records nothing and returns how long until that key has
	// room, and its index in keys. A limit of zero or less is no limit.
	Take(ctx context.Context, now time.Time, window time.Duration, keys []string, limits []int) (wait time.Duration, which int, err error)
	// Give takes back the uses Take recorded at now, for something that was not done.
	Give(ctx context.Context, now time.Time, keys []string) error
}
