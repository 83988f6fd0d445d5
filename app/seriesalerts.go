package app

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// SeriesWatch evaluates the series threshold rules on ingest (issue 13): the ingest
// path hands it, after each durable write, the latest point of each series written
// (Observe), off the writer's path. It keeps each rule's state per series in memory
// (engine.ThresholdState: open, clearing since when) and touches the store only when
// an alert opens or closes, in one transaction; escalation and repeats of the alerts
// it opens are the sweep's. After a restart an open alert's state is taken from the
// store (open, its wait to clear starting again).
type SeriesWatch struct {
	app *App

	mu     sync.Mutex
	states map[watchKey]engine.ThresholdState
	loaded bool
	series map[int64]*tinhso.Series
	// seriesAt is when series was read: it is read again when a point of an unknown
	// series comes, or once a minute (an owner may change).
	seriesAt time.Time
	// feeds are the indicators' feeds by series key, read every 2 s at most; dirty the
	// periods whose figures are to be computed again.
	rules   []*tinhso.AlertRule
	rulesAt time.Time
	feeds   map[string][]*tinhso.SeriesFeed
	feedsAt time.Time
	dirty   map[dirtyFeed]*tinhso.SeriesFeed
}

type watchKey struct {
	rule   string
	series int64
}

// NewSeriesWatch returns the watch of the series thresholds.
func (a *App) NewSeriesWatch() *SeriesWatch {
	return &SeriesWatch{app: a, states: map[watchKey]engine.ThresholdState{}, series: map[int64]*tinhso.Series{}}
}

// seriesStore is the part of the store the watch needs besides alerts.
type seriesStore interface {
	FindSeries(ctx context.Context, f tinhso.SeriesFilter) ([]*tinhso.Series, int, error)
}

// Observe applies the latest point of each series (by id) to the enabled series
// threshold rules, and opens or resolves their alerts when a state changes.
func (w *SeriesWatch) Observe(ctx context.Context, latest map[int64]tinhso.Point) (AlertSweep, error) {
	var sw AlertSweep
	a := w.app
	w.mu.Lock()
	defer w.mu.Unlock()
	// The rules are read at most once a second: a batch comes every few milliseconds
	// under load.
	if w.rules == nil || time.Since(w.rulesAt) > time.Second {
		all, err := a.store.FindAlertRules(ctx)
		if err != nil {
			return sw, err
		}
		w.rules, w.rulesAt = all, time.Now()
	}
	all := w.rules
	var rules []*tinhso.AlertRule
	byKey := map[string]*tinhso.AlertRule{}
	for _, r := range all {
		if r.Enabled && r.Kind == tinhso.RuleSeriesThreshold && r.Threshold != nil {
			rules = append(rules, r)
			byKey[r.Key] = r
		}
	}
	for k := range w.states {
		if byKey[k.rule] == nil {
			delete(w.states, k) // rule deleted or disabled: the sweep resolves its alerts
		}
	}
	if len(rules) == 0 {
		return sw, nil
	}
	stale := time.Since(w.seriesAt) > time.Minute
	for id := range latest {
		if w.series[id] == nil || stale {
			if err := w.loadSeries(ctx); err != nil {
				return sw, err
			}
			break
		}
	}
	if !w.loaded {
		if err := w.loadOpen(ctx, byKey); err != nil {
			return sw, err
		}
	}
	changed := false
	for id, p := range latest {
		s := w.series[id]
		if s == nil {
			continue
		}
		for _, r := range rules {
			if !engine.SeriesInScope(r, s) {
				continue
			}
			k := watchKey{r.Key, id}
			st, tr := engine.StepThreshold(r, w.states[k], p.V, p.Time())
			if st.Open || !st.LastAt.IsZero() {
				w.states[k] = st
			}
			if tr != engine.ThresholdKept {
				changed = true
			}
		}
	}
	if !changed {
		return sw, nil
	}
	return w.apply(ctx, rules, byKey)
}

// apply stores the alerts as the states now stand.
func (w *SeriesWatch) apply(ctx context.Context, rules []*tinhso.AlertRule, byKey map[string]*tinhso.AlertRule) (AlertSweep, error) {
	var sw AlertSweep
	a := w.app
	now := a.clock()
	var findings []engine.Finding
	evaluated := map[string]bool{}
	for _, r := range rules {
		evaluated[r.Key] = true
	}
	for k, st := range w.states {
		if st.Open && w.series[k.series] != nil {
			findings = append(findings, engine.SeriesFinding(byKey[k.rule], w.series[k.series], st))
		}
	}
	sw.Findings = len(findings)
	keys := make([]string, len(findings))
	for i, f := range findings {
		keys[i] = f.Key
	}
	var changed []*tinhso.Alert
	err := a.store.Exclusive(ctx, "alerts.sweep", func(ctx context.Context) error {
		stored, err := a.store.AlertsByKey(ctx, keys)
		if err != nil {
			return err
		}
		// Only the series rules' alerts: the others are the sweep's.
		existing := map[string]*tinhso.Alert{}
		for k, al := range stored {
			if byKey[al.Rule] != nil {
				existing[k] = al
			}
		}
		// An alert still open keeps the message it opened with.
		for i := range findings {
			if al := existing[findings[i].Key]; al != nil && al.State != tinhso.AlertResolved {
				findings[i].Message, findings[i].Reasons = al.Message, al.Reasons
			}
		}
		silences, err := a.store.FindSilences(ctx, &now)
		if err != nil {
			return err
		}
		aud, err := a.audience(ctx)
		if err != nil {
			return err
		}
		changed, err = a.applyAlertChanges(ctx, engine.Advance(existing, findings, rules, evaluated, silences, now), aud, now, &sw)
		return err
	})
	if err != nil {
		return sw, err
	}
	for _, al := range changed {
		a.publish(ctx, EventAlertChanged, "alert", strconv.FormatInt(al.ID, 10), now, al)
	}
	return sw, nil
}

func (w *SeriesWatch) loadSeries(ctx context.Context) error {
	st, ok := w.app.store.(seriesStore)
	if !ok {
		return nil
	}
	list, _, err := st.FindSeries(ctx, tinhso.SeriesFilter{Page: tinhso.Page{Limit: 1 << 30}})
	if err != nil {
		return err
	}
	clear(w.series)
	for _, s := range list {
		w.series[s.ID] = s
	}
	w.seriesAt = time.Now()
	return nil
}

// loadOpen takes the open alerts of the series rules as open states, once.
func (w *SeriesWatch) loadOpen(ctx context.Context, byKey map[string]*tinhso.AlertRule) error {
	active, err := w.app.store.AlertsByKey(ctx, nil)
	if err != nil {
		return err
	}
	if len(active) > 0 && len(w.series) == 0 {
		if err := w.loadSeries(ctx); err != nil {
			return err
		}
	}
	idOf := map[string]int64{}
	for id, s := range w.series {
		idOf[s.Key] = id
	}
	for _, al := range active {
		if byKey[al.Rule] == nil || al.State == tinhso.AlertResolved || al.Subject.Kind != "series" {
			continue
		}
		if id, ok := idOf[al.Subject.Key]; ok {
			w.states[watchKey{al.Rule, id}] = engine.ThresholdState{Open: true, OpenedAt: al.OpenedAt}
		}
	}
	w.loaded = true
	return nil
}

// SeriesChanged drops what the watch knows of the series registry, after a series
// was created, changed or deleted.
func (w *SeriesWatch) SeriesChanged() {
	w.mu.Lock()
	clear(w.series)
	w.mu.Unlock()
}

// PointSpan is the earliest and the latest time of the points of a series in a batch,
// in nanoseconds since 1970.
type PointSpan struct{ First, Last int64 }

// Fed notes that points of series came over spans, so that the figures of the
// indicators they feed are computed again for the periods those spans meet (at the
// next FlushFeeds).
func (w *SeriesWatch) Fed(ctx context.Context, spans map[int64]PointSpan) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if time.Since(w.feedsAt) > 2*time.Second {
		fs, _, err := w.app.feedStore()
		if err != nil {
			return nil // a store without feeds
		}
		feeds, err := fs.FindSeriesFeeds(ctx)
		if err != nil {
			return err
		}
		w.feeds, w.feedsAt = map[string][]*tinhso.SeriesFeed{}, time.Now()
		for _, f := range feeds {
			w.feeds[f.Series] = append(w.feeds[f.Series], f)
		}
	}
	if len(w.feeds) == 0 {
		return nil
	}
	for id, ps := range spans {
		s := w.series[id]
		if s == nil {
			if err := w.loadSeries(ctx); err != nil {
				return err
			}
			if s = w.series[id]; s == nil {
				continue
			}
		}
		last := time.Unix(0, ps.Last)
		for _, f := range w.feeds[s.Key] {
			if w.dirty == nil {
				w.dirty = map[dirtyFeed]*tinhso.SeriesFeed{}
			}
			for sp := tinhso.FeedSpanOf(f.Period, time.Unix(0, ps.First)); !sp.From.After(last); sp = tinhso.FeedSpanOf(f.Period, sp.To) {
				w.dirty[dirtyFeed{f.Indicator, sp.Date}] = f
				if len(w.dirty) > 100_000 {
					break // a batch over centuries: bounded
				}
			}
		}
	}
	return nil
}

type dirtyFeed struct{ indicator, date string }

// FlushFeeds computes again the figures noted by Fed; it returns how many periods it
// computed.
func (w *SeriesWatch) FlushFeeds(ctx context.Context) (int, error) {
	w.mu.Lock()
	dirty := w.dirty
	w.dirty = nil
	w.mu.Unlock()
	n := 0
	fs, _, err := w.app.feedStore()
	if err != nil {
		return 0, nil
	}
	for k, cached := range dirty {
		// The feed as stored now: the cached one may be older than a change.
		f, err := fs.FindSeriesFeed(ctx, k.indicator)
		if tinhso.ErrorCode(err) == tinhso.ENOTFOUND || err == nil && f.Series != cached.Series {
			continue
		} else if err != nil {
			return n, err
		}
		d, _ := time.ParseInLocation("2006-01-02", k.date, tinhso.Location)
		if _, err := w.app.RefreshSeriesFeed(ctx, f, d, d.Add(time.Hour)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// SeriesThreshold is where one series threshold rule stands for a series: what the
// tiles show and GET /api/v1/series/{key}/thresholds answers.
type SeriesThreshold struct {
	Rule        string          `json:"rule"`
	Name        string          `json:"name"`
	Severity    string          `json:"severity"`
	Op          string          `json:"op"`
	Threshold   float64         `json:"threshold"`
	ClearMargin *float64        `json:"clear_margin,omitempty"`
	ClearAfter  tinhso.Duration `json:"clear_after"`
	// State: ok, open (beyond the threshold, or not back long enough), clearing (open,
	// back past the margin since ClearingSince).
	State         string     `json:"state"`
	OpenedAt      *time.Time `json:"opened_at"`
	ClearingSince *time.Time `json:"clearing_since"`
	// LastAt is the time of the last point the rule was evaluated on.
	LastAt *time.Time `json:"last_at"`
}

// SeriesThresholds lists the threshold rules watching a series.
type SeriesThresholds struct {
	Key   string            `json:"key"`
	Items []SeriesThreshold `json:"items"`
}

// Threshold states.
const (
	ThresholdOK       = "ok"
	ThresholdOpen     = "open"
	ThresholdClearing = "clearing"
)

// Thresholds says where the enabled series threshold rules stand for series s.
func (w *SeriesWatch) Thresholds(ctx context.Context, s *tinhso.Series) (*SeriesThresholds, error) {
	all, err := w.app.store.FindAlertRules(ctx)
	if err != nil {
		return nil, err
	}
	out := &SeriesThresholds{Key: s.Key, Items: []SeriesThreshold{}}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.loaded {
		byKey := map[string]*tinhso.AlertRule{}
		for _, r := range all {
			if r.Enabled && r.Kind == tinhso.RuleSeriesThreshold && r.Threshold != nil {
				byKey[r.Key] = r
			}
		}
		if err := w.loadOpen(ctx, byKey); err != nil {
			return nil, err
		}
	}
	for _, r := range all {
		if !r.Enabled || r.Kind != tinhso.RuleSeriesThreshold || r.Threshold == nil || !engine.SeriesInScope(r, s) {
			continue
		}
		st := w.states[watchKey{r.Key, s.ID}]
		t := SeriesThreshold{Rule: r.Key, Name: r.Name, Severity: r.Severity, Op: r.Op, Threshold: *r.Threshold,
			ClearMargin: r.ClearMargin, ClearAfter: r.ClearAfter, State: ThresholdOK}
		if st.Open {
			t.State, t.OpenedAt = ThresholdOpen, timePtr(st.OpenedAt)
			if !st.ClearingSince.IsZero() {
				t.State, t.ClearingSince = ThresholdClearing, timePtr(st.ClearingSince)
			}
		}
		if !st.LastAt.IsZero() {
			t.LastAt = timePtr(st.LastAt)
		}
		out.Items = append(out.Items, t)
	}
	return out, nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
