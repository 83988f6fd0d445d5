package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/bus"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/ingest"
	"github.com/tinhso/tinhso/mqtt"
)

// LiveOptions configure the ingest path of a server (issue 12): the receivers
// (InfluxDB 2.x and 1.x write paths, tinhso's line protocol and JSON), the in-process
// bus and the batching writer. Zero fields take the defaults of their packages.
type LiveOptions struct {
	// Limits bound what the bus holds of accepted batches waiting for the writer; past
	// them a client gets 429 with Retry-After.
	Limits bus.Limits
	Writer ingest.WriterConfig
	// Ingest configures the receivers; Bus, Registry, Auth, UnknownSeries and Logger are
	// filled in.
	Ingest ingest.Config
	// TokenCache keeps a resolved ingest token this long (default 1 s, negative: not at
	// all): a revoked token is refused within it.
	TokenCache time.Duration
	// PolicyCache keeps the unknown-series setting this long between reads (default
	// 1 s, negative: read it for every batch).
	PolicyCache time.Duration
	// MQTTAddr is where the MQTT broker listens (issue 13: tinhso/series/{key});
	// empty: no broker. MQTT configures it further; Sink and Logger are filled in.
	MQTTAddr string
	MQTT     mqtt.Config
}

// Live is the running ingest path of a server.
type Live struct {
	Bus *bus.Memory
	// MQTT is the broker, when LiveOptions.MQTTAddr is set.
	MQTT *mqtt.Broker
	// Watch evaluates the series thresholds on what the writer commits.
	Watch  *app.SeriesWatch
	hub    *hub
	sink   *ingest.Handlers
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// settings is what live data needs of the store besides the series: the stored
// settings (the unknown-series policy).
type settings interface {
	Setting(ctx context.Context, name string) (string, bool, error)
}

// StartLive puts the ingest routes on the server's mux and starts the writer, which
// runs until Close. Call it before serving; the store must keep series.
func (s *Server) StartLive(ctx context.Context, o LiveOptions) (*Live, error) {
	store, ok := s.store.(tinhso.SeriesStore)
	if !ok {
		return nil, errors.New("server: the store keeps no live series")
	}
	if o.Writer.Logger == nil {
		o.Writer.Logger = s.Config.Log
	}
	o.Writer.Live = true // the streams
	l := &Live{Bus: bus.NewMemory(o.Limits), done: make(chan error, 1), hub: newHub()}
	w := ingest.NewWriter(store, l.Bus, o.Writer)
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l.cancel = cancel
	go func() { l.done <- w.Run(wctx) }()
	go l.hub.run(wctx, l.Bus)
	if s.app != nil {
		l.Watch = s.app.NewSeriesWatch()
		go l.watch(wctx, s.Config.Log)
	}

	cfg := o.Ingest
	cfg.Bus, cfg.Registry, cfg.Logger = l.Bus, store, s.Config.Log
	if o.TokenCache == 0 {
		o.TokenCache = time.Second
	}
	cfg.Auth = &authTokens{auth: s.auth, cacheFor: o.TokenCache}
	if st, ok := s.store.(settings); ok {
		if o.PolicyCache == 0 {
			o.PolicyCache = time.Second
		}
		cfg.UnknownSeries = (&policy{store: st, cacheFor: o.PolicyCache}).unknownSeries
	}
	if cfg.Now == nil {
		cfg.Now = s.Config.Now
	}
	h := ingest.New(cfg)
	l.sink = h
	if o.MQTTAddr != "" {
		mc := o.MQTT
		mc.Addr, mc.Sink, mc.Logger = o.MQTTAddr, h, s.Config.Log
		if mc.Topics == nil && s.app != nil {
			mc.Topics = s.app
		}
		if mc.Timeout == 0 {
			mc.Timeout = cfg.Timeout
		}
		b, err := mqtt.Start(mc)
		if err != nil {
			cancel()
			<-l.done
			l.Bus.Close()
			return nil, err
		}
		l.MQTT = b
	}
	// InfluxDB 1.x's path is outside /api: served, not in the API's document.
	s.mux.Handle("POST /write", h.WriteV1())
	tokenNote := " The token (scope series:write) is checked by the receiver itself; 204 once the points are durable, 400 naming each offending line (nothing stored), 413 over the limits, 429 with Retry-After when the writer is behind."
	s.API.AddRoutes(
		httpx.Route{Method: "POST", Path: "/api/v2/write", Summary: "InfluxDB 2.x line protocol (org, bucket, precision=ns|us|ms|s), Authorization: Token <token>." + tokenNote,
			Query: []httpx.Param{{Name: "org", Type: "string", Desc: "taken, not used"}, {Name: "bucket", Type: "string", Desc: "required, not used"}, {Name: "precision", Type: "string", Desc: "ns (default), us, ms or s"}},
			Body:  "text/plain", Status: http.StatusNoContent, Handler: h.WriteV2().ServeHTTP},
		httpx.Route{Method: "POST", Path: "/api/v1/write", Summary: "Line protocol, Authorization: Bearer <token>." + tokenNote,
			Query: []httpx.Param{{Name: "precision", Type: "string", Desc: "ns (default), us, ms, s, m or h (also n, u)"}},
			Body:  "text/plain", Status: http.StatusNoContent, Handler: h.Write().ServeHTTP},
		httpx.Route{Method: "POST", Path: "/api/v1/ingest", Summary: "A JSON batch {\"points\": [{\"series\", \"time\" (RFC 3339 or epoch milliseconds), \"value\", \"tags\"}]}, Authorization: Bearer <token>." + tokenNote,
			Body: "application/json", Status: http.StatusNoContent, Handler: h.JSON().ServeHTTP},
	)
	s.API.AddRoutes(l.streamRoutes(store)...)
	if l.Watch != nil {
		s.API.AddRoutes(l.thresholdRoutes(store)...)
	}
	// The wall screen's live tiles: the stream, for whoever holds the display link.
	s.mux.HandleFunc("GET /wall/{token}/stream", func(w http.ResponseWriter, r *http.Request) {
		tok := r.PathValue("token")
		if len(tok) < 20 {
			httpx.Error(w, r, tinhso.Errorf(tinhso.ENOTFOUND, "err.display.not_found"))
			return
		}
		if _, err := s.store.DisplayLinkByHash(r.Context(), credential.HashToken(tok)); err != nil {
			httpx.Error(w, r, err)
			return
		}
		l.serveStream(w, r, store, r.URL.Query()["key"])
	})
	return l, nil
}

// PublishValue puts a point of the series key, now, on the ingest path as an MQTT
// publish of the plain number would, and waits until it is durable (the demo's
// sensors use it).
func (l *Live) PublishValue(ctx context.Context, key string, v float64) error {
	rc, err := l.sink.PublishPoint(ctx, key, strconv.AppendFloat(nil, v, 'g', -1, 64))
	if err != nil {
		return err
	}
	return rc.Wait(ctx)
}

// Close stops the writer once what the bus holds is written (stop serving first, so
// that nothing more comes in), and stores the last statistics. Later calls return
// what the first did.
func (l *Live) Close() error {
	l.once.Do(func() {
		if l.MQTT != nil {
			_ = l.MQTT.Close()
		}
		l.cancel()
		l.err = <-l.done
		l.Bus.Close()
		if errors.Is(l.err, context.Canceled) {
			l.err = nil
		}
	})
	return l.err
}

// policy reads the unknown-series setting, at most once per cacheFor.
type policy struct {
	store    settings
	cacheFor time.Duration
	mu       sync.Mutex
	value    string
	at       time.Time
}

func (p *policy) unknownSeries(ctx context.Context) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cacheFor > 0 && time.Since(p.at) < p.cacheFor {
		return p.value
	}
	v, ok, err := p.store.Setting(ctx, tinhso.SettingUnknownSeries)
	if err != nil {
		if p.value == "" {
			return tinhso.UnknownSeriesCreate
		}
		return p.value // the last one read
	}
	if !ok || v != tinhso.UnknownSeriesRefuse {
		v = tinhso.UnknownSeriesCreate
	}
	p.value, p.at = v, time.Now()
	return v
}

// authTokens resolves ingest tokens as the API does (httpx.Auth: API tokens, and the
// bootstrap admin token), keeping each a moment so that a batch does not cost a read.
type authTokens struct {
	auth     *httpx.Auth
	cacheFor time.Duration

	mu    sync.Mutex
	cache map[[32]byte]resolved
}

type resolved struct {
	user    *tinhso.User
	scopes  []string
	expires time.Time
}

// ResolveToken implements ingest.TokenResolver.
func (a *authTokens) ResolveToken(ctx context.Context, token string) (*tinhso.User, []string, error) {
	sum := sha256.Sum256([]byte(token))
	now := time.Now()
	if a.cacheFor > 0 {
		a.mu.Lock()
		c, ok := a.cache[sum]
		a.mu.Unlock()
		if ok && now.Before(c.expires) {
			return c.user, c.scopes, nil
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "/api/v1/write", nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	c, err := a.auth.Identify(req)
	if err != nil {
		return nil, nil, err
	}
	if c == nil || c.Token == nil {
		return nil, nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.token.unknown")
	}
	if a.cacheFor > 0 {
		a.mu.Lock()
		if a.cache == nil || len(a.cache) > 10000 {
			a.cache = map[[32]byte]resolved{}
		}
		a.cache[sum] = resolved{c.User, c.Token.Scopes, now.Add(a.cacheFor)}
		a.mu.Unlock()
	}
	return c.User, c.Token.Scopes, nil
}
