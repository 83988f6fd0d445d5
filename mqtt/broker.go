// Package mqtt is tinhso's MQTT receiver: an embedded broker (MQTT 3.1.1 and 5, the
// mochi-mqtt server behind the small surface of this package, so that it can be
// replaced) that takes points published on tinhso/series/{key} and hands them to the
// ingest path — the same receivers → bus → writer path as HTTP — through a Sink.
//
//   - CONNECT: any user name, an API token with the scope series:write (or all) as the
//     password; anything else is refused in the CONNACK (bad user name or password).
//   - PUBLISH on tinhso/series/{key}: the payload is a plain number (the server's clock
//     gives the time) or the JSON object {"time", "value"}, time as RFC 3339 or epoch
//     milliseconds. QoS 0 and 1 (a QoS 2 publish is taken as QoS 1, as the CONNACK of
//     MQTT 5 says).
//   - QoS 1: the PUBACK is sent only once the point is durable, in the order the
//     publishes came. A refused message is answered, in MQTT 5, by a PUBACK with a
//     reason code (0x90 topic name invalid, 0x99 payload format invalid, 0x87 not
//     authorized, 0x80) and a reason string naming what is wrong; MQTT 3.1.1 has no
//     refusal, so the connection is closed without the PUBACK (the point was not
//     taken). QoS 0 refusals are logged.
//   - Back-pressure: a connection has at most MaxInFlight points waiting for
//     durability (MQTT 5's Receive Maximum); past it, and while the writer's queue is
//     full, the broker stops reading from that connection, holding its PUBACKs. Memory
//     is bounded by MaxClients × (MaxInFlight points + MaxPacketBytes).
//   - PUBLISH on another topic: mapped to a series by the admins' topic rules
//     (Config.Topics: a pattern with + and #, a key template, the value as the number
//     or at a JSON path), else refused as an invalid topic name.
//   - Subscriptions are refused: live points are served by the SSE streams.
package mqtt

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	mochi "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/bus"
	"github.com/tinhso/tinhso/locale"
)

// english renders refusals: MQTT has no Accept-Language, and the clients' logs are
// read by whoever runs the sensors (the reason string names the message's content).
var english = locale.For(locale.EN)

// TopicPrefix is the topic of a series without its key: tinhso/series/{key}.
const TopicPrefix = "tinhso/series/"

// Sink is where points go: the ingest receivers (ingest.Handlers).
type Sink interface {
	// Authorize checks an ingest token.
	Authorize(ctx context.Context, token string) error
	// PublishPoint parses a payload for the series key and puts it on the bus; the
	// receipt completes once it is durable. bus.ErrFull: the writer is behind.
	PublishPoint(ctx context.Context, key string, payload []byte) (*bus.Receipt, error)
}

// Topics maps topics other than tinhso/series/{key} to series by the admins' rules
// (app.MapTopic): the series key and the payload as tinhso/series/{key} takes it; ok
// false when no rule matches.
type Topics interface {
	MapTopic(ctx context.Context, topic string, payload []byte) (key string, out []byte, ok bool, err error)
}

// Config configures a Broker. Zero fields take the defaults.
type Config struct {
	// Addr is the TCP address to listen on (":1883"; ":0" picks a port).
	Addr string
	Sink Sink
	// Topics, when set, maps other topics to series.
	Topics Topics
	// MaxInFlight bounds the points of one connection waiting for durability
	// (default 128); MaxClients the connections (default 10,000); MaxPacketBytes a
	// packet (default 64 KiB; larger ones close the connection, with reason 0x95 in
	// MQTT 5).
	MaxInFlight    int
	MaxClients     int
	MaxPacketBytes int
	// Timeout bounds the wait for one point's durability (default 30 s); past it a
	// QoS 1 publish is refused (MQTT 5: 0x80; 3.1.1: the connection is closed), and
	// sending it again is safe.
	Timeout time.Duration
	Logger  *slog.Logger
}

// Broker is a running MQTT receiver.
type Broker struct {
	cfg    Config
	srv    *mochi.Server
	ln     net.Listener
	ctx    context.Context
	cancel context.CancelFunc
	conns  sync.Map // *mochi.Client → *conn
	wg     sync.WaitGroup
	once   sync.Once
}

// Start listens on cfg.Addr and serves until Close.
func Start(cfg Config) (*Broker, error) {
	if cfg.Sink == nil {
		return nil, errors.New("mqtt: no sink")
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 128
	}
	if cfg.MaxInFlight > 65535 {
		cfg.MaxInFlight = 65535
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = 10_000
	}
	if cfg.MaxPacketBytes <= 0 {
		cfg.MaxPacketBytes = 64 << 10
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("mqtt: listen on %s: %w", cfg.Addr, err)
	}
	caps := mochi.NewDefaultServerCapabilities()
	caps.MaximumClients = int64(cfg.MaxClients)
	caps.MaximumPacketSize = uint32(cfg.MaxPacketBytes)
	caps.ReceiveMaximum = uint16(cfg.MaxInFlight)
	caps.MaximumQos = 1
	caps.RetainAvailable = 0
	caps.WildcardSubAvailable = 0
	caps.SharedSubAvailable = 0
	caps.SubIDAvailable = 0
	caps.TopicAliasMaximum = 64
	caps.MaximumSessionExpiryInterval = 300
	caps.MaximumInflight = 64
	caps.MaximumClientWritesPending = int32(2*cfg.MaxInFlight + 16)
	srv := mochi.New(&mochi.Options{
		Capabilities:             caps,
		Logger:                   slog.New(quiet{cfg.Logger.Handler()}),
		ClientNetReadBufferSize:  4 << 10,
		ClientNetWriteBufferSize: 4 << 10,
	})
	b := &Broker{cfg: cfg, srv: srv, ln: ln}
	b.ctx, b.cancel = context.WithCancel(context.Background())
	if err := srv.AddHook(&hook{b: b}, nil); err != nil {
		ln.Close()
		return nil, err
	}
	if err := srv.AddListener(listeners.NewNet("tcp", ln)); err != nil {
		ln.Close()
		return nil, err
	}
	if err := srv.Serve(); err != nil {
		ln.Close()
		return nil, err
	}
	return b, nil
}

// Addr is the address the broker listens on.
func (b *Broker) Addr() net.Addr { return b.ln.Addr() }

// Close stops listening, closes the connections and waits for their PUBACK queues to
// end (a point whose PUBACK was not sent may still be written: the client sends it
// again, and writing a point twice changes nothing).
func (b *Broker) Close() error {
	var err error
	b.once.Do(func() {
		b.cancel()
		err = b.srv.Close()
		b.wg.Wait()
	})
	return err
}

// conn is what the broker keeps of one connection: its queue of PUBACKs, in order.
type conn struct {
	cl      *mochi.Client
	pending chan ack
	v5      bool
}

// ack is a PUBACK to send once rc (if any) is complete.
type ack struct {
	id     uint16
	rc     *bus.Receipt
	code   packets.Code // a refusal (MQTT 5), when not success
	reason string
}

func (b *Broker) acker(c *conn) {
	defer b.wg.Done()
	broken := false
	for a := range c.pending {
		if broken {
			continue
		}
		if a.rc != nil {
			t := time.NewTimer(b.cfg.Timeout)
			select {
			case <-a.rc.Done():
				if err := a.rc.Err(); err != nil {
					a.code, a.reason = packets.ErrUnspecifiedError, "the point could not be made durable; send it again"
				}
			case <-t.C:
				a.code, a.reason = packets.ErrUnspecifiedError, "the point is not yet durable; send it again (a point written twice keeps its value)"
			case <-b.ctx.Done():
				t.Stop()
				broken = true
				continue
			}
			t.Stop()
		}
		if a.code.Code >= packets.ErrUnspecifiedError.Code && !c.v5 {
			// MQTT 3.1.1 has no refusal of a publish: close without the PUBACK.
			_ = b.srv.DisconnectClient(c.cl, a.code)
			broken = true
			continue
		}
		pk := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Puback}, PacketID: a.id, ReasonCode: a.code.Code}
		if a.code.Code >= packets.ErrUnspecifiedError.Code {
			pk.Properties.ReasonString = a.reason
		}
		if err := c.cl.WritePacket(pk); err != nil {
			broken = true
		}
	}
}

// hook is the broker's side of mochi.
type hook struct {
	mochi.HookBase
	b *Broker
}

func (h *hook) ID() string { return "tinhso" }

func (h *hook) Provides(x byte) bool {
	switch x {
	case mochi.OnConnectAuthenticate, mochi.OnACLCheck, mochi.OnSessionEstablished, mochi.OnDisconnect, mochi.OnPublish:
		return true
	}
	return false
}

func (h *hook) OnConnectAuthenticate(cl *mochi.Client, pk packets.Packet) bool {
	ctx, cancel := context.WithTimeout(h.b.ctx, 10*time.Second)
	defer cancel()
	if err := h.b.cfg.Sink.Authorize(ctx, string(pk.Connect.Password)); err != nil {
		h.b.cfg.Logger.Info("mqtt: connection refused", "remote", cl.Net.Remote, "user", string(pk.Connect.Username), "client", cl.ID, "reason", english.Error(err))
		return false
	}
	return true
}

// OnACLCheck allows publishing anywhere (the topic is checked per message, to answer
// with a reason) and subscribing nowhere.
func (h *hook) OnACLCheck(cl *mochi.Client, topic string, write bool) bool { return write }

func (h *hook) OnSessionEstablished(cl *mochi.Client, pk packets.Packet) {
	c := &conn{cl: cl, pending: make(chan ack, h.b.cfg.MaxInFlight), v5: cl.Properties.ProtocolVersion == 5}
	h.b.conns.Store(cl, c)
	h.b.wg.Add(1)
	go h.b.acker(c)
}

func (h *hook) OnDisconnect(cl *mochi.Client, err error, expire bool) {
	if v, ok := h.b.conns.LoadAndDelete(cl); ok {
		close(v.(*conn).pending)
	}
}

// OnPublish takes a point. It answers every publish itself (the PUBACK waits for
// durability), so mochi is told to do nothing more with it.
func (h *hook) OnPublish(cl *mochi.Client, pk packets.Packet) (packets.Packet, error) {
	v, ok := h.b.conns.Load(cl)
	if !ok {
		return pk, packets.ErrRejectPacket
	}
	c := v.(*conn)
	qos1 := pk.FixedHeader.Qos > 0
	rc, code, reason := h.take(cl, pk)
	if !qos1 {
		if code.Code != 0 {
			h.b.cfg.Logger.Info("mqtt: QoS 0 point refused", "client", cl.ID, "topic", pk.TopicName, "reason", reason)
		}
		return pk, packets.ErrRejectPacket
	}
	select {
	case c.pending <- ack{id: pk.PacketID, rc: rc, code: code, reason: reason}:
	case <-h.b.ctx.Done():
	}
	return pk, packets.ErrRejectPacket
}

// take hands a publish to the sink, waiting (not reading more from this client) while
// the writer's queue is full.
func (h *hook) take(cl *mochi.Client, pk packets.Packet) (*bus.Receipt, packets.Code, string) {
	key, ok := strings.CutPrefix(pk.TopicName, TopicPrefix)
	payload := pk.Payload
	if !ok && h.b.cfg.Topics != nil {
		// A topic of its own, mapped by an admin's rule.
		k, out, matched, err := h.b.cfg.Topics.MapTopic(h.b.ctx, pk.TopicName, pk.Payload)
		switch {
		case err != nil:
			code, msg := h.refusal(pk, err)
			return nil, code, msg
		case matched:
			key, payload, ok = k, out, true
		}
	}
	if !ok || key == "" || strings.Contains(key, "/") {
		return nil, packets.ErrTopicNameInvalid, fmt.Sprintf("topic %q is not %s{key}, nor does an admin's topic rule map it: a point is published on %s followed by the series key", pk.TopicName, TopicPrefix, TopicPrefix)
	}
	delay := time.Millisecond
	for {
		rc, err := h.b.cfg.Sink.PublishPoint(h.b.ctx, key, payload)
		switch {
		case err == nil:
			return rc, packets.CodeSuccess, ""
		case errors.Is(err, bus.ErrFull):
			// Back-pressure: hold this client's reads until the writer catches up.
			t := time.NewTimer(delay)
			select {
			case <-t.C:
			case <-h.b.ctx.Done():
				t.Stop()
				return nil, packets.ErrServerShuttingDown, "the server is shutting down"
			}
			if cl.Closed() {
				return nil, packets.ErrUnspecifiedError, "connection closed"
			}
			delay = min(2*delay, 100*time.Millisecond)
			continue
		case errors.Is(err, bus.ErrClosed):
			return nil, packets.ErrServerShuttingDown, "the server is shutting down"
		}
		code, msg := h.refusal(pk, err)
		return nil, code, msg
	}
}

// refusal is the reason code and string of an error taking a point.
func (h *hook) refusal(pk packets.Packet, err error) (packets.Code, string) {
	msg := english.Error(err)
	switch tinhso.ErrorCode(err) {
	case tinhso.EINVALID:
		var e *tinhso.Error
		if errors.As(err, &e) && e.Field == "topic" {
			return packets.ErrTopicNameInvalid, msg
		}
		return packets.ErrPayloadFormatInvalid, msg
	case tinhso.ENOTFOUND, tinhso.EFORBIDDEN:
		return packets.ErrNotAuthorized, msg
	}
	h.b.cfg.Logger.Error("mqtt: taking a point failed", "topic", pk.TopicName, "error", err)
	return packets.ErrUnspecifiedError, "internal error"
}

// quiet passes on mochi's errors, not its chatter and warnings about each connection
// (a refused CONNECT, a packet too large): a hostile client would fill the log.
type quiet struct{ slog.Handler }

func (q quiet) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError && q.Handler.Enabled(ctx, l)
}
func (q quiet) WithAttrs(a []slog.Attr) slog.Handler { return quiet{q.Handler.WithAttrs(a)} }
func (q quiet) WithGroup(n string) slog.Handler      { return quiet{q.Handler.WithGroup(n)} }
