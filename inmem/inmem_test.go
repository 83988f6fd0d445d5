package inmem_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/inmem"
)

// Three failures within a minute make a fourth attempt wait until the oldest is a
// minute old; a reset forgets them.
func TestThrottle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	th := inmem.NewThrottle()
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if w, _ := th.Wait(ctx, "k", t0.Add(time.Duration(i)*time.Second), 3, time.Minute); w != 0 {
			t.Fatalf("attempt %d waits %v", i, w)
		}
		th.Fail(ctx, "k", t0.Add(time.Duration(i)*time.Second), 3, time.Minute)
	}
	if w, _ := th.Wait(ctx, "k", t0.Add(10*time.Second), 3, time.Minute); w != 50*time.Second {
		t.Errorf("after 3 failures: wait %v, want 50s", w)
	}
	if w, _ := th.Wait(ctx, "other", t0.Add(10*time.Second), 3, time.Minute); w != 0 {
		t.Errorf("another key waits %v", w)
	}
	if w, _ := th.Wait(ctx, "k", t0.Add(time.Minute), 3, time.Minute); w != 0 {
		t.Errorf("once the oldest aged out: wait %v", w)
	}
	th.Reset(ctx, "k")
	if w, _ := th.Wait(ctx, "k", t0.Add(10*time.Second), 3, time.Minute); w != 0 {
		t.Errorf("after a reset: wait %v", w)
	}
}

// Take counts every key or none; Give takes back a use that came to nothing.
func TestQuota(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	q := inmem.NewQuota()
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	keys, limits := []string{"company:1", "address:a"}, []int{2, 3}
	for i := 0; i < 2; i++ {
		if w, _, _ := q.Take(ctx, t0.Add(time.Duration(i)*time.Minute), time.Hour, keys, limits); w != 0 {
			t.Fatalf("use %d refused", i)
		}
	}
	w, which, _ := q.Take(ctx, t0.Add(2*time.Minute), time.Hour, keys, limits)
	if w != 58*time.Minute || which != 0 {
		t.Errorf("third use of the company: wait %v, key %d", w, which)
	}
	// The refused use counted nothing: the address has room for one more.
	if w, _, _ := q.Take(ctx, t0.Add(3*time.Minute), time.Hour, []string{"company:2", "address:a"}, limits); w != 0 {
		t.Errorf("another company from the address: wait %v", w)
	}
	if w, which, _ := q.Take(ctx, t0.Add(4*time.Minute), time.Hour, []string{"company:3", "address:a"}, limits); w == 0 || which != 1 {
		t.Errorf("the address's fourth use: wait %v key %d", w, which)
	}
	q.Give(ctx, t0.Add(3*time.Minute), []string{"company:2", "address:a"})
	if w, _, _ := q.Take(ctx, t0.Add(5*time.Minute), time.Hour, []string{"company:3", "address:a"}, limits); w != 0 {
		t.Errorf("after giving one back: wait %v", w)
	}
}

// Every subscriber gets every event, in order; one that panics does not stop the others.
func TestBus(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	b := &inmem.Bus{}
	b.Subscribe(func(context.Context, tinhso.Event) { panic("a broken subscriber") })
	b.Subscribe(func(_ context.Context, e tinhso.Event) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, e.Kind+" "+e.ID)
	})
	b.Publish(context.Background(), tinhso.Event{Kind: tinhso.EventSubmissionApproved, ID: "7"})
	b.Publish(context.Background(), tinhso.Event{Kind: tinhso.EventPeriodClosed, ID: "2"})
	if len(got) != 2 || got[0] != "submission.approved 7" || got[1] != "period.closed 2" {
		t.Errorf("events: %v", got)
	}
}
