package app

import (
	"context"
	"sync"
)

// The read models that cost most at scale (the board's) are computed from stored facts
// that change far less often than they are read: each is kept, by the question asked
// (its key, which holds the day), until the store's data version moves on or a change
// is published (the same signals as the statuses', monitoring.go). Readers of a key
// being computed wait for that one computation instead of starting their own.

// readCacheEntries bounds the kept read models (filters are many); past it the cache
// starts again empty.
const readCacheEntries = 256

type readCache struct {
	mu      sync.Mutex
	version int64  // the data version the entries were computed at or after
	gen     uint64 // the generation of published changes they were computed under
	entries map[string]*readEntry
}

type readEntry struct {
	done chan struct{}
	v    any
	err  error
}

// cachedRead returns the read model of key, computing it with compute when the data
// changed since it was kept (or it never was).
func cachedRead[T any](ctx context.Context, a *App, key string, compute func() (T, error)) (T, error) {
	var zero T
	ver, err := a.store.DataVersion(ctx)
	if err != nil {
		return zero, err
	}
	a.mon.mu.Lock()
	gen := a.mon.gen
	a.mon.mu.Unlock()
	c := &a.reads
	c.mu.Lock()
	if c.entries == nil || ver > c.version || gen != c.gen || len(c.entries) >= readCacheEntries {
		c.entries, c.version, c.gen = map[string]*readEntry{}, ver, gen
	}
	e, ok := c.entries[key]
	if !ok && ver == c.version {
		e = &readEntry{done: make(chan struct{})}
		c.entries[key] = e
	}
	c.mu.Unlock()
	if e == nil {
		// Older than what is kept (another reader saw a newer version): compute, keep nothing.
		return compute()
	}
	if ok {
		select {
		case <-e.done:
		case <-ctx.Done():
			return zero, ctx.Err()
		}
		if e.err == nil {
			return e.v.(T), nil
		}
		return compute() // that computation failed: try once more, for this reader
	}
	// The version was read before the facts: they are at least as new as it, and a
	// change committed in between moves it on again.
	v, err := compute()
	e.v, e.err = v, err
	close(e.done)
	if err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return v, err
}

// Keep returns the read model of key as compute makes it, kept until the data changes
// (the data version moves on or a change is published): for the edges' own costly
// views of the data (a rendered board). The key must hold everything the model depends
// on besides the stored data (the day, the language, the reader's rights); callers must
// not change what it returns.
func (a *App) Keep(ctx context.Context, key string, compute func() (any, error)) (any, error) {
	return cachedRead(ctx, a, "keep\x00"+key, compute)
}
