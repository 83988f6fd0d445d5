package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/tsdb"
)

// The series registry. Points are in points.go.

// seriesState is what the store keeps in memory about live data: the layout, the ids of
// keys seen, the heads waiting to be folded and (SQLite) the write counter.
type seriesState struct {
	once   sync.Once
	layout *tsdb.Layout

	// nosync: acknowledged writes are not fsynced (SetDurableIngest; measurement only).
	nosync atomic.Bool

	mu    sync.Mutex
	ids   map[string]int64
	heads map[int64]*headState // nil until loaded from ts_head
	seq   int64                // SQLite: the last seq handed out; 0 until loaded

	// SQLite: the rows of ts_log, oldest first, and applied, the last seq whose chunks
	// are in the heads. rw makes a fold's commit and the removal of what it folded from
	// the heads one step for queries, which read blocks and heads under rw.RLock.
	log     []logRow
	logSize int64
	applied int64
	rw      sync.RWMutex
}

type logRow struct {
	seq  int64
	size int64
}

// headState summarises the head of a series: what HeadPolicy.Due looks at.
type headState struct {
	points, chunks int
	oldest         int64 // written, ns
	// SQLite keeps the head itself: the chunks not yet folded, oldest first, and the
	// seq of the write (ts_log row) of each (see headlog.go).
	mem  [][]tsdb.Point
	seqs []int64
}

func (db *DB) ts() *seriesState {
	s := &db.series
	s.once.Do(func() {
		l, err := tsdb.NewLayout(tsdb.DefaultBlockSpan, tinhso.Location)
		if err != nil {
			panic(err) // the default span and zone are valid
		}
		s.layout = l
		s.ids = map[string]int64{}
	})
	return s
}

// SetDurableIngest turns the fsync of acknowledged writes off (false) or on (true,
// the default). Off, WritePoints returns before its commit is on disk: a crash of the
// machine (not of the process) may lose acknowledged points. It exists to measure what
// durability costs, and for nothing else.
func (db *DB) SetDurableIngest(on bool) { db.ts().nosync.Store(!on) }

// Layout returns the layout the store cuts series with.
func (db *DB) Layout() *tsdb.Layout { return db.ts().layout }

const seriesCols = `s.id, s.key, s.name, s.unit, s.description, s.tags, COALESCE(o.code, ''), s.lat, s.lon, s.retention_days, s.version, s.created_at, s.updated_at`
const seriesFrom = ` FROM series s LEFT JOIN org_units o ON o.id = s.org_unit_id`

func scanSeries(sc scanner) (*tinhso.Series, error) {
	s := &tinhso.Series{}
	var tags, ca, ua string
	var lat, lon sql.NullFloat64
	if err := sc.Scan(&s.ID, &s.Key, &s.Name, &s.Unit, &s.Description, &tags, &s.OrgUnit, &lat, &lon, &s.RetentionDays, &s.Version, &ca, &ua); err != nil {
		return nil, err
	}
	s.Tags = map[string]string{}
	_ = json.Unmarshal([]byte(tags), &s.Tags)
	if lat.Valid && lon.Valid {
		s.Location = &tinhso.GeoPoint{Lat: lat.Float64, Lon: lon.Float64}
	}
	s.CreatedAt, s.UpdatedAt = parseStamp(ca), parseStamp(ua)
	return s, nil
}

func seriesArgs(ctx context.Context, tx *Tx, s *tinhso.Series) ([]any, error) {
	var unit any
	if s.OrgUnit != "" {
		ids, err := orgUnitIDs(ctx, tx, "org_unit", []string{s.OrgUnit})
		if err != nil {
			return nil, tinhso.Invalid("org_unit", "err.orgunit.unknown", s.OrgUnit)
		}
		unit = ids[0]
	}
	var lat, lon any
	if s.Location != nil {
		lat, lon = s.Location.Lat, s.Location.Lon
	}
	tags := s.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return []any{s.Name, s.Unit, s.Description, jsonText(tags), unit, lat, lon, s.RetentionDays}, nil
}

// FindSeries lists series by key.
func (db *DB) FindSeries(ctx context.Context, f tinhso.SeriesFilter) ([]*tinhso.Series, int, error) {
	var out []*tinhso.Series
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.OrgUnit != "" {
			w.add("o.code = ?", f.OrgUnit)
		}
		if f.Prefix != "" {
			w.add("substr(s.key, 1, ?) = ?", len(f.Prefix), f.Prefix)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*)`+seriesFrom+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, scanSeries, `SELECT `+seriesCols+seriesFrom+w.String()+` ORDER BY `+tx.db.dialect.byteOrder("s.key")+lim, append(w.args, largs...)...)
		out = list
		return err
	})
	return out, total, err
}

// FindSeriesByKey returns a series by key.
func (db *DB) FindSeriesByKey(ctx context.Context, key string) (*tinhso.Series, error) {
	var s *tinhso.Series
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		s, err = scanSeries(tx.queryRow(ctx, `SELECT `+seriesCols+seriesFrom+` WHERE s.key = ?`, key))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.series.not_found", key)
	}
	return s, err
}

// CreateSeries registers a series.
func (db *DB) CreateSeries(ctx context.Context, s *tinhso.Series) error {
	if s.Name == "" {
		s.Name = s.Key
	}
	if err := s.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		args, err := seriesArgs(ctx, tx, s)
		if err != nil {
			return err
		}
		args = append([]any{s.Key}, append(args, tx.stamp(), tx.stamp())...)
		id, err := tx.insert(ctx, `INSERT INTO series (key, name, unit, description, tags, org_unit_id, lat, lon, retention_days, created_at, updated_at)
			VALUES (`+placeholders(11)+`)`, args...)
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.series_key", s.Key))
		}
		s.ID, s.Version, s.CreatedAt, s.UpdatedAt = id, 1, tx.now, tx.now
		if s.Tags == nil {
			s.Tags = map[string]string{}
		}
		tx.audit(ctx, "series.create", "series", s.Key, nil, s)
		return nil
	})
}

// UpdateSeries replaces a series' description; its key never changes.
func (db *DB) UpdateSeries(ctx context.Context, s *tinhso.Series, version int) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		old, err := scanSeries(tx.queryRow(ctx, `SELECT `+seriesCols+seriesFrom+` WHERE s.id = ?`, s.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.series.not_found_id", s.ID)
		} else if err != nil {
			return err
		}
		if old.Key != s.Key {
			return tinhso.Invalid("key", "err.series.key_fixed", old.Key)
		}
		if err := claimVersion(ctx, tx, "series", s.ID, version, tinhso.M("what.series_named", old.Key)); err != nil {
			return err
		}
		args, err := seriesArgs(ctx, tx, s)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE series SET name = ?, unit = ?, description = ?, tags = ?, org_unit_id = ?, lat = ?, lon = ?, retention_days = ? WHERE id = ?`,
			append(args, s.ID)...); err != nil {
			return err
		}
		ns, err := scanSeries(tx.queryRow(ctx, `SELECT `+seriesCols+seriesFrom+` WHERE s.id = ?`, s.ID))
		if err != nil {
			return err
		}
		tx.audit(ctx, "series.update", "series", ns.Key, old, ns)
		*s = *ns
		return nil
	})
}

// DeleteSeries deletes a series with all its points, rollups and statistics.
func (db *DB) DeleteSeries(ctx context.Context, id int64, version int) error {
	var key string
	err := db.writeTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT key FROM series WHERE id = ?`, id).Scan(&key); err != nil {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.series.not_found_id", id)
		}
		if err := claimVersion(ctx, tx, "series", id, version, tinhso.M("what.series_named", key)); err != nil {
			return err
		}
		// Children first: PostgreSQL would cascade, but SQLite's cascade walks the same
		// rows one statement at a time anyway, and this order holds on both.
		for _, t := range []string{"ts_head", "ts_block", "ts_rollup", "ts_latest", "ts_stats"} {
			if _, err := tx.exec(ctx, `DELETE FROM `+t+` WHERE series_id = ?`, id); err != nil {
				return err
			}
		}
		tx.audit(ctx, "series.delete", "series", key, nil, nil)
		_, err := tx.exec(ctx, `DELETE FROM series WHERE id = ?`, id)
		return err
	})
	if err == nil {
		st := db.ts()
		st.mu.Lock()
		delete(st.ids, key)
		if st.heads != nil {
			delete(st.heads, id)
		}
		st.mu.Unlock()
	}
	return err
}

// SeriesIDs resolves keys to ids through a cache, registering missing series (named
// by their key) when create is true.
func (db *DB) SeriesIDs(ctx context.Context, keys []string, create bool) ([]int64, error) {
	st := db.ts()
	out := make([]int64, len(keys))
	var missing []string
	st.mu.Lock()
	for i, k := range keys {
		if id, ok := st.ids[k]; ok {
			out[i] = id
		} else {
			missing = append(missing, k)
		}
	}
	st.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	found := map[string]int64{}
	lookup := func(tx *Tx) error {
		for rest := missing; len(rest) > 0; {
			n := min(len(rest), 500)
			rows, err := tx.query(ctx, `SELECT key, id FROM series WHERE key IN (`+placeholders(n)+`)`, stringArgs(rest[:n])...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var k string
				var id int64
				if err := rows.Scan(&k, &id); err != nil {
					rows.Close()
					return err
				}
				found[k] = id
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	}
	var err error
	if !create {
		err = db.readTx(ctx, lookup)
	} else {
		err = db.writeTx(ctx, func(tx *Tx) error {
			if err := lookup(tx); err != nil {
				return err
			}
			for _, k := range missing {
				if _, ok := found[k]; ok {
					continue
				}
				if err := tinhso.ValidSeriesKey(k); err != nil {
					return err
				}
				id, err := tx.insert(ctx, `INSERT INTO series (key, name, created_at, updated_at) VALUES (?, ?, ?, ?)`, k, k, tx.stamp(), tx.stamp())
				if err != nil {
					return db.dialect.mapError(err, tinhso.M("what.series_key", k))
				}
				found[k] = id
			}
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	for i, k := range keys {
		if id, ok := found[k]; ok {
			st.ids[k] = id
			out[i] = id
		}
	}
	st.mu.Unlock()
	return out, nil
}

// forgetSeriesIDs empties the cache of ids, after a write found a series gone.
func (db *DB) forgetSeriesIDs() {
	st := db.ts()
	st.mu.Lock()
	st.ids = map[string]int64{}
	st.mu.Unlock()
}

func stringArgs(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

var _ tinhso.SeriesStore = (*DB)(nil)
