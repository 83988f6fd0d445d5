package ingest

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/bus"
)

// WriterConfig configures the batching writer. Zero fields take the defaults.
type WriterConfig struct {
	// Consumer is the writer's durable consumer name on the bus (default "writer").
	Consumer string
	// MaxPoints and MaxMessages bound one transaction: the writer takes every batch
	// waiting on the bus up to these (group commit; defaults 250,000 and 1,000).
	MaxPoints   int
	MaxMessages int
	// CompactEvery is how often the writer looks for heads to fold when it is not
	// busy folding (default 1 s); StatsEvery how often it stores ingest statistics
	// (default 5 s); RetentionEvery how often it applies retention (default 1 h,
	// negative: never).
	CompactEvery   time.Duration
	StatsEvery     time.Duration
	RetentionEvery time.Duration
	// Live broadcasts the points of each committed write on SubjectLive.
	Live bool
	// RetryDelay is how long a batch waits before it is tried again after the store
	// failed (default 500 ms).
	RetryDelay time.Duration
	Logger     *slog.Logger
	Now        func() time.Time
}

// Writer takes accepted batches from the bus and writes them to the store, many per
// transaction; it acknowledges each batch on the bus only after the store made it
// durable, which completes the receivers' receipts. Off that path it folds heads,
// stores statistics and applies retention.
type Writer struct {
	store tinhso.SeriesStore
	bus   bus.Bus
	cfg   WriterConfig

	mu     sync.Mutex
	counts map[int64]int64 // points written per series since the last stats flush
	offset uint64          // last applied sequence, when the bus is durable
}

// NewWriter returns a writer of store fed by b.
func NewWriter(store tinhso.SeriesStore, b bus.Bus, cfg WriterConfig) *Writer {
	if cfg.Consumer == "" {
		cfg.Consumer = "writer"
	}
	if cfg.MaxPoints <= 0 {
		cfg.MaxPoints = 250_000
	}
	if cfg.MaxMessages <= 0 {
		cfg.MaxMessages = 1000
	}
	if cfg.CompactEvery <= 0 {
		cfg.CompactEvery = time.Second
	}
	if cfg.StatsEvery <= 0 {
		cfg.StatsEvery = 5 * time.Second
	}
	if cfg.RetentionEvery == 0 {
		cfg.RetentionEvery = time.Hour
	}
	if cfg.RetryDelay <= 0 {
		cfg.RetryDelay = 500 * time.Millisecond
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Writer{store: store, bus: b, cfg: cfg, counts: map[int64]int64{}}
}

// Run writes until ctx ends, then stores the last statistics and returns.
func (w *Writer) Run(ctx context.Context) error {
	if w.bus.Durable() {
		off, err := w.store.IngestOffset(ctx, w.cfg.Consumer)
		if err != nil {
			return err
		}
		w.offset = off
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.maintain(ctx)
	}()
	err := w.bus.Consume(ctx, SubjectPoints, w.cfg.Consumer, bus.ConsumeOptions{MaxMessages: w.cfg.MaxMessages, MaxPoints: w.cfg.MaxPoints}, w.handle)
	wg.Wait()
	w.flushStats(context.WithoutCancel(ctx))
	if errors.Is(err, context.Canceled) || errors.Is(err, bus.ErrClosed) {
		return nil
	}
	return err
}

// handle writes a batch of deliveries in one transaction.
func (w *Writer) handle(ctx context.Context, batch []*bus.Delivery) {
	var series []tinhso.SeriesPoints
	var take []*bus.Delivery
	for _, d := range batch {
		if w.offset > 0 && d.Seq <= w.offset {
			d.Ack() // applied before a crash, redelivered
			continue
		}
		var err error
		n := len(series)
		if series, err = DecodeBatch(series, d.Data); err != nil {
			series = series[:n]
			w.cfg.Logger.Error("ingest: dropping a malformed batch message", "seq", d.Seq, "error", err)
			d.Ack()
			continue
		}
		take = append(take, d)
	}
	if len(take) == 0 {
		return
	}
	pw := &tinhso.PointWrite{Series: series}
	if w.bus.Durable() {
		pw.Consumer, pw.Seq = w.cfg.Consumer, take[len(take)-1].Seq
	}
	err := w.store.WritePoints(ctx, pw)
	if err != nil && tinhso.ErrorCode(err) == tinhso.EINVALID && len(take) > 1 {
		// Receivers check every point, so this is a bug somewhere; keep the good
		// batches by writing each alone.
		for _, d := range take {
			w.handle(ctx, []*bus.Delivery{d})
		}
		return
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINVALID {
			w.cfg.Logger.Error("ingest: dropping an invalid batch", "seq", take[0].Seq, "error", err)
			take[0].Ack()
			return
		}
		w.cfg.Logger.Error("ingest: write failed; the batches will be tried again", "batches", len(take), "points", pw.Len(), "error", err)
		for _, d := range take {
			d.Nak(w.cfg.RetryDelay)
		}
		return
	}
	if pw.Seq > 0 {
		w.offset = pw.Seq
	}
	for _, d := range take {
		d.Ack()
	}
	w.mu.Lock()
	for _, s := range series {
		w.counts[s.SeriesID] += int64(len(s.Points))
	}
	w.mu.Unlock()
	if w.cfg.Live {
		w.bus.Broadcast(SubjectLive, EncodeBatch(nil, series))
	}
}

// maintain folds heads, stores statistics and applies retention until ctx ends.
func (w *Writer) maintain(ctx context.Context) {
	compact := time.NewTicker(w.cfg.CompactEvery)
	defer compact.Stop()
	stats := time.NewTicker(w.cfg.StatsEvery)
	defer stats.Stop()
	var retention <-chan time.Time
	if w.cfg.RetentionEvery > 0 {
		t := time.NewTicker(w.cfg.RetentionEvery)
		defer t.Stop()
		retention = t.C
	}
	const perRound = 64
	for {
		select {
		case <-ctx.Done():
			return
		case <-compact.C:
			// Fold while there is folding to do, a round at a time so that writes get
			// the connection between rounds.
			for ctx.Err() == nil {
				n, err := w.store.Compact(ctx, perRound, false)
				if err != nil {
					if ctx.Err() == nil {
						w.cfg.Logger.Error("ingest: folding heads failed", "error", err)
					}
					break
				}
				if n < perRound {
					break
				}
			}
		case <-stats.C:
			w.flushStats(ctx)
		case <-retention:
			if n, err := w.store.ApplyRetention(ctx, w.cfg.Now()); err != nil {
				w.cfg.Logger.Error("ingest: retention failed", "error", err)
			} else if n > 0 {
				w.cfg.Logger.Info("ingest: retention applied", "series", n)
			}
		}
	}
}

func (w *Writer) flushStats(ctx context.Context) {
	w.mu.Lock()
	counts := w.counts
	w.counts = map[int64]int64{}
	w.mu.Unlock()
	if len(counts) == 0 {
		return
	}
	now := w.cfg.Now()
	list := make([]tinhso.SeriesCount, 0, len(counts))
	for id, n := range counts {
		list = append(list, tinhso.SeriesCount{SeriesID: id, Points: n, At: now})
	}
	if err := w.store.RecordIngest(ctx, list); err != nil {
		// Kept for the next flush (the last one runs as the writer stops).
		w.mu.Lock()
		for id, n := range counts {
			w.counts[id] += n
		}
		w.mu.Unlock()
		if ctx.Err() == nil {
			w.cfg.Logger.Warn("ingest: storing statistics failed", "error", err)
		}
	}
}
