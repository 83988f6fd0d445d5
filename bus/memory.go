package bus

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Memory is the in-process bus. Its streams live in memory, bounded by Limits, and end
// with the process: a receiver must not answer before its Receipt completes, which
// happens only once the durable consumers (the writer) have acknowledged the message
// after making it durable themselves.
type Memory struct {
	limits Limits

	mu      sync.Mutex
	streams map[string]*stream
	subs    map[string]map[chan []byte]struct{}
	closed  bool
}

type stream struct {
	lastSeq   uint64
	entries   map[uint64]*entry
	bytes     int64
	points    int64
	consumers map[string]*consumer
	wake      chan struct{} // closed and replaced when there is something new to deliver
}

type entry struct {
	msg     Message
	receipt *Receipt
	acked   map[string]bool // durable consumers that acknowledged it
}

type consumer struct {
	next      uint64   // the next sequence never delivered
	redeliver []uint64 // sequences to deliver again, sorted
}

// NewMemory returns an in-process bus whose every stream is bounded by limits.
func NewMemory(limits Limits) *Memory {
	return &Memory{limits: limits, streams: map[string]*stream{}, subs: map[string]map[chan []byte]struct{}{}}
}

func (b *Memory) stream(subject string) *stream {
	s := b.streams[subject]
	if s == nil {
		s = &stream{entries: map[uint64]*entry{}, consumers: map[string]*consumer{}, wake: make(chan struct{})}
		b.streams[subject] = s
	}
	return s
}

func (s *stream) signal() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// Publish implements Bus.
func (b *Memory) Publish(ctx context.Context, m Message) (*Receipt, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	s := b.stream(m.Subject)
	l := b.limits
	// A message alone larger than a limit still goes into an empty stream, or it could
	// never go at all; the receivers bound each message's size themselves.
	if len(s.entries) > 0 && (l.MaxMessages > 0 && len(s.entries)+1 > l.MaxMessages ||
		l.MaxBytes > 0 && s.bytes+int64(len(m.Data)) > l.MaxBytes ||
		l.MaxPoints > 0 && s.points+int64(m.Points) > l.MaxPoints) {
		return nil, ErrFull
	}
	s.lastSeq++
	r := &Receipt{done: make(chan struct{})}
	s.entries[s.lastSeq] = &entry{msg: m, receipt: r, acked: map[string]bool{}}
	s.bytes += int64(len(m.Data))
	s.points += int64(m.Points)
	s.signal()
	return r, nil
}

// Consume implements Bus.
func (b *Memory) Consume(ctx context.Context, subject, name string, opt ConsumeOptions, h Handler) error {
	if opt.MaxMessages <= 0 {
		opt.MaxMessages = 1000
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return ErrClosed
	}
	s := b.stream(subject)
	c := s.consumers[name]
	if c == nil {
		// A new durable consumer starts at the oldest message the stream holds.
		c = &consumer{next: s.lastSeq + 1}
		for seq := range s.entries {
			c.next = min(c.next, seq)
		}
		s.consumers[name] = c
	}
	b.mu.Unlock()

	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.mu.Lock()
		if b.closed {
			b.mu.Unlock()
			return ErrClosed
		}
		batch := b.take(s, c, name, opt)
		wake := s.wake
		b.mu.Unlock()
		if len(batch) == 0 {
			select {
			case <-wake:
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		h(ctx, batch)
		// A delivery the handler neither acknowledged nor gave back is given back.
		for _, d := range batch {
			d.ack(true, 0)
		}
	}
}

// take picks the next batch of c: redeliveries first, then new messages.
func (b *Memory) take(s *stream, c *consumer, name string, opt ConsumeOptions) []*Delivery {
	var batch []*Delivery
	points := 0
	add := func(seq uint64, redelivered bool) bool {
		e := s.entries[seq]
		if e == nil || e.acked[name] {
			return true // gone or done: skip
		}
		if len(batch) >= opt.MaxMessages || len(batch) > 0 && opt.MaxPoints > 0 && points+e.msg.Points > opt.MaxPoints {
			return false
		}
		points += e.msg.Points
		batch = append(batch, b.delivery(s, name, seq, e, redelivered))
		return true
	}
	for len(c.redeliver) > 0 {
		if !add(c.redeliver[0], true) {
			return batch
		}
		c.redeliver = c.redeliver[1:]
	}
	for c.next <= s.lastSeq {
		if !add(c.next, false) {
			return batch
		}
		c.next++
	}
	return batch
}

func (b *Memory) delivery(s *stream, name string, seq uint64, e *entry, redelivered bool) *Delivery {
	d := &Delivery{Message: e.msg, Seq: seq, Redelivered: redelivered}
	var once sync.Once
	d.ack = func(nak bool, delay time.Duration) {
		once.Do(func() {
			if nak {
				if delay <= 0 {
					b.requeue(s, name, seq)
				} else {
					time.AfterFunc(delay, func() { b.requeue(s, name, seq) })
				}
				return
			}
			b.mu.Lock()
			defer b.mu.Unlock()
			if b.closed {
				return // its receipt failed already
			}
			e.acked[name] = true
			if len(e.acked) < len(s.consumers) {
				return
			}
			for n := range s.consumers {
				if !e.acked[n] {
					return
				}
			}
			delete(s.entries, seq)
			s.bytes -= int64(len(e.msg.Data))
			s.points -= int64(e.msg.Points)
			close(e.receipt.done)
		})
	}
	return d
}

func (b *Memory) requeue(s *stream, name string, seq uint64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := s.consumers[name]
	if i, found := slices.BinarySearch(c.redeliver, seq); !found {
		c.redeliver = slices.Insert(c.redeliver, i, seq)
	}
	s.signal()
}

// Stats implements Bus.
func (b *Memory) Stats(subject string) Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.streams[subject]
	if s == nil {
		return Stats{}
	}
	return Stats{Messages: len(s.entries), Bytes: s.bytes, Points: s.points, LastSeq: s.lastSeq}
}

// Durable implements Bus: the memory bus forgets everything on exit.
func (b *Memory) Durable() bool { return false }

// Broadcast implements Bus.
func (b *Memory) Broadcast(subject string, data []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[subject] {
		select {
		case ch <- data:
		default: // a slow subscriber loses it
		}
	}
}

// Subscribe implements Bus.
func (b *Memory) Subscribe(subject string, buf int) (<-chan []byte, func()) {
	ch := make(chan []byte, max(buf, 1))
	b.mu.Lock()
	if b.subs[subject] == nil {
		b.subs[subject] = map[chan []byte]struct{}{}
	}
	b.subs[subject][ch] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs[subject], ch)
			b.mu.Unlock()
		})
	}
}

// Close ends the bus: receipts not yet complete fail with ErrClosed, consumers return.
func (b *Memory) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	b.closed = true
	for _, s := range b.streams {
		for _, e := range s.entries {
			e.receipt.err = ErrClosed
			close(e.receipt.done)
		}
		s.entries = map[uint64]*entry{}
		s.signal()
	}
	return nil
}

var _ Bus = (*Memory)(nil)
