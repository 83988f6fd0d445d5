package app

import (
	"context"
	"strconv"
	"time"

	"github.com/tinhso/tinhso"
)

// Indicators fed by series (issue 13): the feed of an indicator, the figures computed
// from it per period, and their approval.

// FeedHistory is how far back a feed's figures are computed when it is saved.
const FeedHistory = 5 * 365 * 24 * time.Hour

func (a *App) feedStore() (tinhso.SeriesFeedStore, tinhso.SeriesStore, error) {
	fs, ok1 := a.store.(tinhso.SeriesFeedStore)
	ss, ok2 := a.store.(tinhso.SeriesStore)
	if !ok1 || !ok2 {
		return nil, nil, tinhso.Errorf(tinhso.EINTERNAL, "err.internal")
	}
	return fs, ss, nil
}

// SeriesFeed returns an indicator's feed.
func (a *App) SeriesFeed(ctx context.Context, indicator string) (*tinhso.SeriesFeed, error) {
	fs, _, err := a.feedStore()
	if err != nil {
		return nil, err
	}
	return fs.FindSeriesFeed(ctx, indicator)
}

// SaveSeriesFeed validates and stores an indicator's feed (the series must be
// registered), then computes its figures of the last FeedHistory at once.
func (a *App) SaveSeriesFeed(ctx context.Context, f *tinhso.SeriesFeed) error {
	fs, ss, err := a.feedStore()
	if err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	if _, err := ss.FindSeriesByKey(ctx, f.Series); err != nil {
		if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
			return tinhso.Invalid("series", "live2.err.feed_unknown_series", f.Series)
		}
		return err
	}
	// The store refuses an unknown indicator (ENOTFOUND).
	if err := fs.PutSeriesFeed(ctx, f); err != nil {
		return err
	}
	now := a.clock()
	_, err = a.RefreshSeriesFeed(ctx, f, now.Add(-FeedHistory), now)
	return err
}

// DeleteSeriesFeed removes an indicator's feed and the figures computed from it.
func (a *App) DeleteSeriesFeed(ctx context.Context, indicator string) error {
	fs, _, err := a.feedStore()
	if err != nil {
		return err
	}
	if err := fs.DeleteSeriesFeed(ctx, indicator); err != nil {
		return err
	}
	a.Invalidate()
	return nil
}

// SeriesFigures lists an indicator's computed figures, approved or waiting.
func (a *App) SeriesFigures(ctx context.Context, indicator string) ([]tinhso.SeriesFigure, error) {
	fs, _, err := a.feedStore()
	if err != nil {
		return nil, err
	}
	return fs.FindSeriesFigures(ctx, indicator)
}

// ApproveSeriesFigure approves a computed figure waiting for it.
func (a *App) ApproveSeriesFigure(ctx context.Context, indicator, date string) error {
	fs, _, err := a.feedStore()
	if err != nil {
		return err
	}
	if err := fs.ApproveSeriesFigure(ctx, indicator, date, tinhso.ActorFrom(ctx).Username, a.clock()); err != nil {
		return err
	}
	a.Invalidate()
	return nil
}

// RefreshSeriesFeed computes the figures of a feed for every period that meets
// [from, to) and stores those that changed; it returns them.
func (a *App) RefreshSeriesFeed(ctx context.Context, f *tinhso.SeriesFeed, from, to time.Time) ([]tinhso.SeriesFigure, error) {
	fs, ss, err := a.feedStore()
	if err != nil {
		return nil, err
	}
	var figs []tinhso.SeriesFigure
	for sp := tinhso.FeedSpanOf(f.Period, from); sp.From.Before(to); sp = tinhso.FeedSpanOf(f.Period, sp.To) {
		g, ok, err := computeFigure(ctx, ss, f, sp)
		if err != nil {
			return nil, err
		}
		if ok {
			figs = append(figs, g)
		}
	}
	if err := fs.SaveSeriesFigures(ctx, figs); err != nil {
		return nil, err
	}
	if len(figs) > 0 {
		a.Invalidate()
	}
	return figs, nil
}

// computeFigure computes a feed's figure of one period from the series' day rollups
// (days begin at midnight in Vietnam, as periods do). Sums are rounded to 15
// significant digits, so that decimal data sums to the decimal it should (the rollups
// give each day's mean and count).
func computeFigure(ctx context.Context, ss tinhso.SeriesStore, f *tinhso.SeriesFeed, sp tinhso.FeedSpan) (tinhso.SeriesFigure, bool, error) {
	res, err := ss.QueryPoints(ctx, tinhso.PointQuery{Key: f.Series, From: sp.From, To: sp.To, Resolution: tinhso.ResolutionDay})
	if err != nil {
		return tinhso.SeriesFigure{}, false, err
	}
	var sum float64
	var n int64
	var last float64
	for _, it := range res.Items {
		if it.Count == 0 {
			continue
		}
		sum += it.Value * float64(it.Count)
		n += it.Count
		last = it.Last
	}
	if n == 0 {
		return tinhso.SeriesFigure{}, false, nil
	}
	var v float64
	switch f.Func {
	case tinhso.FeedSum:
		v = round15(sum)
	case tinhso.FeedMean:
		v = round15(round15(sum) / float64(n))
	case tinhso.FeedLast:
		v = last
	case tinhso.FeedCount:
		v = float64(n)
	}
	return tinhso.SeriesFigure{Indicator: f.Indicator, Period: sp.Label, Date: sp.Date, Value: v, Approved: f.AutoApprove,
		Span: tinhso.FigureSpan{Series: f.Series, Func: f.Func, From: sp.From.UTC(), To: sp.To.UTC(), Points: n}}, true, nil
}

func round15(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 15, 64), 64)
	return v
}
