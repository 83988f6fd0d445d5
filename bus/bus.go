// Package bus carries messages between tinhso's receivers and its workers: ingest
// batches from the HTTP and MQTT receivers to the writer, and committed points to live
// subscribers. Memory is the in-process bus of one node; the scale-out issue puts NATS
// JetStream behind the same interface, so the semantics here are JetStream's:
//
//   - A subject is a stream. Publish appends a message and assigns it the next
//     sequence number of the stream (1, 2, …); it refuses with ErrFull, taking
//     nothing, when the stream holds as many messages, bytes or points as its Limits
//     allow (JetStream's discard-new policy). The publisher answers 429 then.
//   - A durable consumer (a name, such as "writer") reads a stream in sequence order
//     and acknowledges each message it has dealt with. Delivery is at least once: a
//     message that is not acknowledged — the handler Nak'ed it, or the consumer went
//     away — is delivered again, before newer ones, to the next consumer of that name.
//     A message stays in the stream until every durable consumer of the stream has
//     acknowledged it (JetStream's interest retention); with no consumer it waits.
//   - A consumer that must not apply a message twice records the sequence of the last
//     one it applied in the same transaction as its effect and skips older sequences
//     on redelivery (see Durable: the memory bus forgets its streams on exit, so its
//     sequences start again at 1 and there is nothing to skip).
//   - The Receipt of a publish completes when the message is durable end to end: on
//     the memory bus when every durable consumer has acknowledged it (the writer does
//     so after its commit is fsynced), so a receiver answers only then; on JetStream
//     when the stream, stored with sync_always, has acknowledged the publish.
//   - Broadcast and Subscribe are plain fan-out (core NATS): at most once, no
//     acknowledgement, a slow subscriber loses messages rather than holding others.
package bus

import (
	"context"
	"errors"
	"time"
)

// ErrFull refuses a publish when the stream is at one of its limits: back-pressure.
var ErrFull = errors.New("bus: stream full")

// ErrClosed is returned once the bus is closed.
var ErrClosed = errors.New("bus: closed")

// Message is what is published.
type Message struct {
	Subject string
	Data    []byte
	// Points is the number of points the message carries, counted against
	// Limits.MaxPoints (a header on JetStream).
	Points int
}

// Delivery is a message handed to a durable consumer. Exactly one of Ack or Nak must be
// called for it.
type Delivery struct {
	Message
	// Seq is the message's sequence in its stream.
	Seq uint64
	// Redelivered is true when the message was delivered before and not acknowledged.
	Redelivered bool

	ack func(nak bool, delay time.Duration)
}

// Ack acknowledges the message: the consumer is done with it.
func (d *Delivery) Ack() { d.ack(false, 0) }

// Nak gives the message back, to be delivered again after delay.
func (d *Delivery) Nak(delay time.Duration) { d.ack(true, delay) }

// ConsumeOptions bound what one call of a handler receives.
type ConsumeOptions struct {
	// MaxMessages and MaxPoints bound a delivery batch (zero: 1,000 messages, no bound
	// on points); a single message larger than MaxPoints is delivered alone.
	MaxMessages int
	MaxPoints   int
}

// Handler deals with a batch of deliveries, in sequence order, acknowledging each.
type Handler func(ctx context.Context, batch []*Delivery)

// Receipt tells a publisher when its message is durable.
type Receipt struct {
	done chan struct{}
	err  error
}

// Done is closed when the message is durable (or failed: see Err).
func (r *Receipt) Done() <-chan struct{} { return r.done }

// Err returns why a message could not be made durable (nil: it is), once Done is closed.
func (r *Receipt) Err() error { return r.err }

// Wait waits for Done or for ctx, returning Err or ctx's error.
func (r *Receipt) Wait(ctx context.Context) error {
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Limits bound a stream. Zero fields mean no bound.
type Limits struct {
	MaxMessages int
	MaxBytes    int64
	MaxPoints   int64
}

// Stats describe a stream: what it holds now.
type Stats struct {
	Messages int
	Bytes    int64
	Points   int64
	LastSeq  uint64
}

// Bus is a message bus of streams with durable consumers and of plain fan-out.
type Bus interface {
	// Publish appends a message to the stream of its subject, or refuses it with ErrFull.
	Publish(ctx context.Context, m Message) (*Receipt, error)
	// Consume reads the stream of subject as the durable consumer name, calling h with
	// batches of deliveries, until ctx ends. Two Consume calls with one name share the
	// messages (a queue); different names each get every message.
	Consume(ctx context.Context, subject, name string, opt ConsumeOptions, h Handler) error
	// Stats returns what the stream of subject holds.
	Stats(subject string) Stats
	// Durable reports whether streams survive a restart of the process (JetStream's file
	// storage does; memory does not).
	Durable() bool

	// Broadcast sends data to the current subscribers of subject, at most once.
	Broadcast(subject string, data []byte)
	// Subscribe receives broadcasts of subject on a channel of buf messages; when it is
	// full, broadcasts to it are dropped. cancel ends the subscription.
	Subscribe(subject string, buf int) (ch <-chan []byte, cancel func())

	Close() error
}
