package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/tinhso/tinhso"
)

// Indicators fed by series and their computed figures (migration 0011).

var _ tinhso.SeriesFeedStore = (*DB)(nil)

func indicatorID(ctx context.Context, tx *Tx, key string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM indicators WHERE key = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("live2.what.indicator", key))
	}
	return id, err
}

const feedCols = `i.key, f.series_key, f.func, f.period, f.auto_approve, f.updated_by, f.updated_at`

func scanFeed(s scanner) (*tinhso.SeriesFeed, error) {
	f := &tinhso.SeriesFeed{}
	var auto int
	var at string
	if err := s.Scan(&f.Indicator, &f.Series, &f.Func, &f.Period, &auto, &f.UpdatedBy, &at); err != nil {
		return nil, err
	}
	f.AutoApprove, f.UpdatedAt = auto != 0, parseStamp(at)
	return f, nil
}

// FindSeriesFeeds lists the feeds, by indicator key.
func (db *DB) FindSeriesFeeds(ctx context.Context) ([]*tinhso.SeriesFeed, error) {
	var out []*tinhso.SeriesFeed
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanFeed, `SELECT `+feedCols+` FROM indicator_series_feeds f JOIN indicators i ON i.id = f.indicator_id
			ORDER BY `+db.dialect.byteOrder("i.key"))
		return err
	})
	return out, err
}

// FindSeriesFeed returns an indicator's feed.
func (db *DB) FindSeriesFeed(ctx context.Context, indicator string) (*tinhso.SeriesFeed, error) {
	var f *tinhso.SeriesFeed
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		f, err = scanFeed(tx.queryRow(ctx, `SELECT `+feedCols+` FROM indicator_series_feeds f JOIN indicators i ON i.id = f.indicator_id
			WHERE i.key = ?`, indicator))
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("live2.what.feed", indicator))
		}
		return err
	})
	return f, err
}

// PutSeriesFeed stores an indicator's feed, replacing the one it had; figures computed
// by another series or function are dropped.
func (db *DB) PutSeriesFeed(ctx context.Context, f *tinhso.SeriesFeed) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		id, err := indicatorID(ctx, tx, f.Indicator)
		if err != nil {
			return err
		}
		f.UpdatedBy, f.UpdatedAt = tinhso.ActorFrom(ctx).Username, tx.now
		if _, err := tx.exec(ctx, `DELETE FROM indicator_series_feeds WHERE indicator_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM series_figures WHERE indicator_id = ? AND (series_key <> ? OR func <> ?)`, id, f.Series, f.Func); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO indicator_series_feeds (indicator_id, series_key, func, period, auto_approve, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, f.Series, f.Func, f.Period, boolInt(f.AutoApprove), f.UpdatedBy, tx.stamp()); err != nil {
			return err
		}
		tx.audit(ctx, "update", "series_feed", f.Indicator, nil, f)
		return nil
	})
}

// DeleteSeriesFeed removes an indicator's feed and its figures.
func (db *DB) DeleteSeriesFeed(ctx context.Context, indicator string) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		id, err := indicatorID(ctx, tx, indicator)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `DELETE FROM indicator_series_feeds WHERE indicator_id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("live2.what.feed", indicator))
		}
		if _, err := tx.exec(ctx, `DELETE FROM series_figures WHERE indicator_id = ?`, id); err != nil {
			return err
		}
		tx.audit(ctx, "delete", "series_feed", indicator, nil, nil)
		return nil
	})
}

// SaveSeriesFigures stores computed figures.
func (db *DB) SaveSeriesFigures(ctx context.Context, figs []tinhso.SeriesFigure) error {
	if len(figs) == 0 {
		return nil
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		ids := map[string]int64{}
		for i := range figs {
			g := &figs[i]
			id, ok := ids[g.Indicator]
			if !ok {
				var err error
				if id, err = indicatorID(ctx, tx, g.Indicator); err != nil {
					return err
				}
				ids[g.Indicator] = id
			}
			var value float64
			var points int64
			var from, to string
			var approved int
			var by, at string
			err := tx.queryRow(ctx, `SELECT value, points, span_from, span_to, approved, approved_by, approved_at FROM series_figures
				WHERE indicator_id = ? AND date = ?`, id, g.Date).Scan(&value, &points, &from, &to, &approved, &by, &at)
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				return err
			case value == g.Value && points == g.Span.Points && from == authStamp(g.Span.From) && to == authStamp(g.Span.To):
				if approved != 0 && !g.Approved {
					g.Approved, g.ApprovedBy = true, by
					t := parseStamp(at)
					g.ApprovedAt = &t
				}
				if approved != 0 || !g.Approved {
					continue // unchanged
				}
			}
			approvedAt := ""
			if g.Approved {
				if g.ApprovedAt == nil {
					t := tx.now
					g.ApprovedAt = &t
				}
				approvedAt = authStamp(*g.ApprovedAt)
			}
			g.ComputedAt = tx.now
			if _, err := tx.exec(ctx, `DELETE FROM series_figures WHERE indicator_id = ? AND date = ?`, id, g.Date); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO series_figures (indicator_id, date, period, value, points, series_key, func, span_from, span_to,
				approved, approved_by, approved_at, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, g.Date, g.Period, g.Value, g.Span.Points, g.Span.Series, g.Span.Func, authStamp(g.Span.From), authStamp(g.Span.To),
				boolInt(g.Approved), g.ApprovedBy, approvedAt, tx.stamp()); err != nil {
				return err
			}
		}
		return nil
	})
}

func scanSeriesFigure(s scanner) (tinhso.SeriesFigure, error) {
	var g tinhso.SeriesFigure
	var from, to, at, computed string
	var approved int
	err := s.Scan(&g.Indicator, &g.Date, &g.Period, &g.Value, &g.Span.Points, &g.Span.Series, &g.Span.Func, &from, &to,
		&approved, &g.ApprovedBy, &at, &computed)
	g.Span.From, g.Span.To, g.Approved, g.ComputedAt = parseStamp(from).UTC(), parseStamp(to).UTC(), approved != 0, parseStamp(computed)
	if at != "" {
		t := parseStamp(at)
		g.ApprovedAt = &t
	}
	return g, err
}

const seriesFigureCols = `i.key, g.date, g.period, g.value, g.points, g.series_key, g.func, g.span_from, g.span_to, g.approved,
	g.approved_by, g.approved_at, g.computed_at`

// FindSeriesFigures lists an indicator's computed figures by date.
func (db *DB) FindSeriesFigures(ctx context.Context, indicator string) ([]tinhso.SeriesFigure, error) {
	var out []tinhso.SeriesFigure
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanSeriesFigure, `SELECT `+seriesFigureCols+` FROM series_figures g JOIN indicators i ON i.id = g.indicator_id
			WHERE i.key = ? ORDER BY g.date`, indicator)
		return err
	})
	return out, err
}

// ApproveSeriesFigure approves a computed figure.
func (db *DB) ApproveSeriesFigure(ctx context.Context, indicator, date, by string, at time.Time) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		id, err := indicatorID(ctx, tx, indicator)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE series_figures SET approved = 1, approved_by = ?, approved_at = ? WHERE indicator_id = ? AND date = ?`,
			by, authStamp(at), id, date)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("live2.what.series_figure", indicator, tinhso.Date(date)))
		}
		tx.audit(ctx, "approve", "series_figure", indicator+"@"+date, nil, nil)
		return nil
	})
}

// seriesFigures are the approved series figures for the one figure path.
func seriesFigures(ctx context.Context, tx *Tx, cond string, args []any) ([]tinhso.IndicatorFigure, error) {
	return queryAll(ctx, tx, func(s scanner) (tinhso.IndicatorFigure, error) {
		g, err := scanSeriesFigure(s)
		v := g.Value
		span := g.Span
		return tinhso.IndicatorFigure{Indicator: g.Indicator, Period: g.Period, Date: g.Date, Value: &v, Source: tinhso.FigureSeries, Span: &span}, err
	}, `SELECT `+seriesFigureCols+` FROM series_figures g JOIN indicators i ON i.id = g.indicator_id WHERE g.approved = 1`+cond+
		` ORDER BY `+tx.db.dialect.byteOrder("i.key")+`, g.date`, args...)
}
