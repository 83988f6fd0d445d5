package bus_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso/bus"
)

func publish(tb testing.TB, b bus.Bus, subject string, data string, points int) *bus.Receipt {
	tb.Helper()
	r, err := b.Publish(context.Background(), bus.Message{Subject: subject, Data: []byte(data), Points: points})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func done(r *bus.Receipt) bool {
	select {
	case <-r.Done():
		return true
	default:
		return false
	}
}

// consumeOnce runs one handler call of a durable consumer and returns what it got.
func consumeOnce(tb testing.TB, b bus.Bus, subject, name string, opt bus.ConsumeOptions, h func([]*bus.Delivery)) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	err := b.Consume(ctx, subject, name, opt, func(ctx context.Context, batch []*bus.Delivery) {
		h(batch)
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		tb.Fatal(err)
	}
}

// A receipt completes only when the durable consumer acknowledges; a Nak redelivers
// the message, marked, before newer ones.
func TestAckNak(t *testing.T) {
	t.Parallel()
	b := bus.NewMemory(bus.Limits{})
	defer b.Close()
	r1 := publish(t, b, "s", "one", 1)
	r2 := publish(t, b, "s", "two", 1)
	consumeOnce(t, b, "s", "w", bus.ConsumeOptions{}, func(batch []*bus.Delivery) {
		if len(batch) != 2 || string(batch[0].Data) != "one" || batch[0].Seq != 1 || batch[1].Seq != 2 {
			t.Fatalf("batch %+v", batch)
		}
		batch[0].Nak(0)
		batch[1].Ack()
	})
	if done(r1) || !done(r2) || r2.Err() != nil {
		t.Fatalf("receipts: one %v, two %v", done(r1), done(r2))
	}
	publish(t, b, "s", "three", 1)
	consumeOnce(t, b, "s", "w", bus.ConsumeOptions{}, func(batch []*bus.Delivery) {
		if len(batch) != 2 || batch[0].Seq != 1 || !batch[0].Redelivered || batch[1].Seq != 3 || batch[1].Redelivered {
			t.Fatalf("redelivery %+v", batch)
		}
		// Neither acknowledged: both come back.
	})
	consumeOnce(t, b, "s", "w", bus.ConsumeOptions{}, func(batch []*bus.Delivery) {
		if len(batch) != 2 || batch[0].Seq != 1 || batch[1].Seq != 3 {
			t.Fatalf("after a handler that acknowledged nothing %+v", batch)
		}
		for _, d := range batch {
			d.Ack()
		}
	})
	if err := r1.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := b.Stats("s"); st.Messages != 0 || st.Bytes != 0 || st.Points != 0 || st.LastSeq != 3 {
		t.Errorf("stats %+v", st)
	}
}

// Every durable consumer must acknowledge a message before its receipt completes, and
// each gets every message; a consumer that comes later starts at what the stream still
// holds.
func TestTwoConsumers(t *testing.T) {
	t.Parallel()
	b := bus.NewMemory(bus.Limits{})
	defer b.Close()
	// A Consume whose context has ended registers its consumer and returns.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range []string{"a", "b"} {
		if err := b.Consume(ctx, "s", name, bus.ConsumeOptions{}, nil); !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
	}
	r := publish(t, b, "s", "x", 1)
	consumeOnce(t, b, "s", "a", bus.ConsumeOptions{}, func(batch []*bus.Delivery) { batch[0].Ack() })
	if done(r) {
		t.Fatal("done with one consumer of two")
	}
	publish(t, b, "s", "y", 1)
	consumeOnce(t, b, "s", "b", bus.ConsumeOptions{}, func(batch []*bus.Delivery) {
		if len(batch) != 2 || string(batch[0].Data) != "x" || string(batch[1].Data) != "y" {
			t.Fatalf("b got %+v", batch)
		}
		batch[0].Ack()
	})
	if !done(r) {
		t.Fatal("not done after both acknowledged")
	}
	consumeOnce(t, b, "s", "c", bus.ConsumeOptions{}, func(batch []*bus.Delivery) {
		if len(batch) != 1 || string(batch[0].Data) != "y" {
			t.Fatalf("a late consumer got %+v", batch)
		}
		batch[0].Ack()
	})
}

// A consumer waits for messages published after it started.
func TestConsumeWaits(t *testing.T) {
	t.Parallel()
	b := bus.NewMemory(bus.Limits{})
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.Consume(ctx, "s", "w", bus.ConsumeOptions{}, func(ctx context.Context, batch []*bus.Delivery) {
			for _, d := range batch {
				d.Ack()
				got <- string(d.Data)
			}
		})
	}()
	r := publish(t, b, "s", "late", 1)
	if err := r.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "late" {
		t.Errorf("got %q", s)
	}
	cancel()
	wg.Wait()
	// Closing fails the receipts not yet complete.
	r2 := publish(t, b, "s", "never", 1)
	b.Close()
	if err := r2.Wait(context.Background()); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("after close: %v", err)
	}
	if _, err := b.Publish(context.Background(), bus.Message{Subject: "s"}); !errors.Is(err, bus.ErrClosed) {
		t.Errorf("publish after close: %v", err)
	}
}

// Limits of messages, bytes and points refuse a publish with ErrFull and take nothing;
// acknowledging makes room. A batch respects MaxPoints and MaxMessages.
func TestLimits(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		limits bus.Limits
	}{
		{"messages", bus.Limits{MaxMessages: 3}},
		{"bytes", bus.Limits{MaxBytes: 30}},
		{"points", bus.Limits{MaxPoints: 300}},
	} {
		b := bus.NewMemory(c.limits)
		for range 3 {
			publish(t, b, "s", "0123456789", 100)
		}
		if _, err := b.Publish(context.Background(), bus.Message{Subject: "s", Data: []byte("0123456789"), Points: 100}); !errors.Is(err, bus.ErrFull) {
			t.Errorf("%s: %v", c.name, err)
		}
		if st := b.Stats("s"); st.Messages != 3 {
			t.Errorf("%s: %+v", c.name, st)
		}
		// Another subject is another stream.
		publish(t, b, "other", "0123456789", 100)
		consumeOnce(t, b, "s", "w", bus.ConsumeOptions{MaxPoints: 250}, func(batch []*bus.Delivery) {
			if len(batch) != 2 {
				t.Errorf("%s: a batch of %d under MaxPoints 250", c.name, len(batch))
			}
			batch[0].Ack()
			batch[1].Nak(0)
		})
		publish(t, b, "s", "0123456789", 100)
		consumeOnce(t, b, "s", "w", bus.ConsumeOptions{MaxMessages: 1}, func(batch []*bus.Delivery) {
			if len(batch) != 1 || batch[0].Seq != 2 {
				t.Errorf("%s: %+v", c.name, batch)
			}
		})
		b.Close()
	}
}

// Nak with a delay holds the message back for that long.
func TestNakDelay(t *testing.T) {
	t.Parallel()
	b := bus.NewMemory(bus.Limits{})
	defer b.Close()
	publish(t, b, "s", "x", 1)
	consumeOnce(t, b, "s", "w", bus.ConsumeOptions{}, func(batch []*bus.Delivery) { batch[0].Nak(50 * time.Millisecond) })
	start := time.Now()
	consumeOnce(t, b, "s", "w", bus.ConsumeOptions{}, func(batch []*bus.Delivery) {
		if time.Since(start) < 40*time.Millisecond || !batch[0].Redelivered {
			t.Errorf("redelivered after %v", time.Since(start))
		}
		batch[0].Ack()
	})
}

// Broadcasts reach current subscribers at most once; a full subscriber loses them,
// others do not wait for it.
func TestBroadcast(t *testing.T) {
	t.Parallel()
	b := bus.NewMemory(bus.Limits{})
	defer b.Close()
	fast, cancelFast := b.Subscribe("live", 10)
	slow, cancelSlow := b.Subscribe("live", 1)
	defer cancelSlow()
	for _, s := range []string{"a", "b", "c"} {
		b.Broadcast("live", []byte(s))
	}
	if len(fast) != 3 || len(slow) != 1 || string(<-slow) != "a" {
		t.Errorf("fast %d, slow %d", len(fast), len(slow))
	}
	cancelFast()
	b.Broadcast("live", []byte("d"))
	if len(fast) != 3 {
		t.Errorf("a cancelled subscription received")
	}
}
