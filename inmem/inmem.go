// Package inmem holds in-process implementations of the root package's interfaces that
// need no storage: the sign-in throttle, the proposal quota and the event publisher.
// Each node keeps its own: behind a load balancer spreading requests over n nodes, a
// client gets up to n times the attempts, and events reach only the node's own
// subscribers (the scale-out issue adds shared ones).
package inmem

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
)

// Throttle counts failures per key in memory.
type Throttle struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

// NewThrottle returns an empty throttle.
func NewThrottle() *Throttle { return &Throttle{fails: map[string][]time.Time{}} }

// Wait returns how long key must wait before another attempt (0: go ahead).
func (t *Throttle) Wait(_ context.Context, key string, now time.Time, limit int, window time.Duration) (time.Duration, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := prune(t.fails, key, now, window)
	if limit <= 0 || len(f) < limit {
		return 0, nil
	}
	return f[len(f)-limit].Add(window).Sub(now), nil
}

// Fail records a failure of key, keeping at most limit of them.
func (t *Throttle) Fail(_ context.Context, key string, now time.Time, limit int, window time.Duration) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := append(prune(t.fails, key, now, window), now)
	if limit > 0 && len(f) > limit {
		f = f[len(f)-limit:]
	}
	t.fails[key] = f
	if len(t.fails) > 100000 {
		for k := range t.fails {
			prune(t.fails, k, now, window)
		}
	}
	return nil
}

// Reset forgets key's failures.
func (t *Throttle) Reset(_ context.Context, key string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
	return nil
}

// Quota counts recent uses per key in memory.
type Quota struct {
	mu   sync.Mutex
	used map[string][]time.Time
}

// NewQuota returns an empty quota.
func NewQuota() *Quota { return &Quota{used: map[string][]time.Time{}} }

// Take records one use of every key at now, unless a key has had its limit of uses
// within window: then it records nothing and returns how long until that key has room,
// and which key it is.
func (q *Quota) Take(_ context.Context, now time.Time, window time.Duration, keys []string, limits []int) (time.Duration, int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, k := range keys {
		u := prune(q.used, k, now, window)
		if limits[i] > 0 && len(u) >= limits[i] {
			return u[len(u)-limits[i]].Add(window).Sub(now), i, nil
		}
	}
	for _, k := range keys {
		q.used[k] = append(q.used[k], now)
	}
	if len(q.used) > 100000 {
		for k := range q.used {
			prune(q.used, k, now, window)
		}
	}
	return 0, -1, nil
}

// Give takes back the uses Take recorded at now.
func (q *Quota) Give(_ context.Context, now time.Time, keys []string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, k := range keys {
		u := q.used[k]
		for i := len(u) - 1; i >= 0; i-- {
			if u[i].Equal(now) {
				q.used[k] = append(u[:i:i], u[i+1:]...)
				break
			}
		}
		if len(q.used[k]) == 0 {
			delete(q.used, k)
		}
	}
	return nil
}

// prune drops key's times older than window; call with the owner's lock held.
func prune(m map[string][]time.Time, key string, now time.Time, window time.Duration) []time.Time {
	u := m[key]
	i := 0
	for i < len(u) && !u[i].Add(window).After(now) {
		i++
	}
	if i == len(u) {
		delete(m, key)
		return nil
	}
	u = u[i:]
	m[key] = u
	return u
}

// Bus delivers events to the subscribers of this process, synchronously and in order;
// a subscriber that panics is logged and the others still get the event.
type Bus struct {
	mu   sync.RWMutex
	subs []func(context.Context, tinhso.Event)
	Log  *slog.Logger
}

// Subscribe adds a subscriber for every event published from now on.
func (b *Bus) Subscribe(fn func(context.Context, tinhso.Event)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.subs = append(b.subs, fn)
}

// Publish delivers an event to every subscriber.
func (b *Bus) Publish(ctx context.Context, e tinhso.Event) {
	b.mu.RLock()
	subs := b.subs
	b.mu.RUnlock()
	for _, fn := range subs {
		func() {
			defer func() {
				if v := recover(); v != nil && b.Log != nil {
					b.Log.Error("event subscriber panicked", "event", e.Kind, "panic", v)
				}
			}()
			fn(ctx, e)
		}()
	}
}

var (
	_ tinhso.Throttle  = (*Throttle)(nil)
	_ tinhso.Quota     = (*Quota)(nil)
	_ tinhso.Publisher = (*Bus)(nil)
)
