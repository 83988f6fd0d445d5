package server

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/ingest"
)

// watch feeds what the writer commits to the series thresholds (and the indicators
// fed by series), off the writer's path: one goroutine takes the broadcasts and keeps
// only the latest point of each series, another evaluates them, one batch of latest
// points at a time, so that a slow evaluation merges what came meanwhile instead of
// queueing it.
func (l *Live) watch(ctx context.Context, log *slog.Logger) {
	ch, cancel := l.Bus.Subscribe(ingest.SubjectLive, 1024)
	defer cancel()
	var mu sync.Mutex
	pending := map[int64]tinhso.Point{}
	spans := map[int64]app.PointSpan{}
	wake := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-wake:
			}
			mu.Lock()
			batch, bspans := pending, spans
			pending, spans = map[int64]tinhso.Point{}, map[int64]app.PointSpan{}
			mu.Unlock()
			if len(batch) == 0 {
				continue
			}
			if _, err := l.Watch.Observe(ctx, batch); err != nil && ctx.Err() == nil {
				log.Error("series thresholds", "error", err)
			}
			if err := l.Watch.Fed(ctx, bspans); err != nil && ctx.Err() == nil {
				log.Error("series feeds", "error", err)
			}
		}
	}()
	go func() {
		// The indicators fed by series: computed at most once a second, off the path.
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := l.Watch.FlushFeeds(ctx); err != nil && ctx.Err() == nil {
					log.Error("series feeds", "error", err)
				}
			}
		}
	}()
	var series []tinhso.SeriesPoints
	for {
		select {
		case <-ctx.Done():
			return
		case data := <-ch:
			var err error
			if series, err = ingest.DecodeBatch(series[:0], data); err != nil {
				continue
			}
			mu.Lock()
			for _, s := range series {
				for _, p := range s.Points {
					if old, ok := pending[s.SeriesID]; !ok || p.T >= old.T {
						pending[s.SeriesID] = p
					}
					if sp, ok := spans[s.SeriesID]; !ok {
						spans[s.SeriesID] = app.PointSpan{First: p.T, Last: p.T}
					} else {
						spans[s.SeriesID] = app.PointSpan{First: min(sp.First, p.T), Last: max(sp.Last, p.T)}
					}
				}
			}
			mu.Unlock()
			select {
			case wake <- struct{}{}:
			default:
			}
		}
	}
}

// thresholdRoutes answer where the series thresholds stand.
func (l *Live) thresholdRoutes(store tinhso.SeriesStore) []httpx.Route {
	return []httpx.Route{{Method: "GET", Path: "/api/v1/series/{key}/thresholds",
		Summary: "Where the series threshold rules watching a series stand: ok, open, or clearing (back past the margin, waiting for clear_after), evaluated on each durable write.",
		Action:  tinhso.ActReadSeries, Resp: app.SeriesThresholds{}, Handler: func(w http.ResponseWriter, r *http.Request) {
			s, err := store.FindSeriesByKey(r.Context(), r.PathValue("key"))
			if err != nil {
				httpx.Error(w, r, err)
				return
			}
			out, err := l.Watch.Thresholds(r.Context(), s)
			if err != nil {
				httpx.Error(w, r, err)
				return
			}
			httpx.WriteJSON(w, http.StatusOK, out)
		}}}
}
