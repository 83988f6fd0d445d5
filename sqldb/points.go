package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/tsdb"
)

// Points of series, stored as tsdb/doc.go describes: a write appends one head row per
// series and upserts the latest point; Compact folds heads into blocks and rollups;
// queries join blocks, rollup pages and the head.

// Rows per multi-row statement: SQLite takes 32,766 parameters, PostgreSQL 65,535; 7
// columns × 500 rows stays under both and keeps statements short to parse.
const rowsPerStatement = 500

func toTS(pts []tinhso.Point) []tsdb.Point {
	out := make([]tsdb.Point, len(pts))
	for i, p := range pts {
		out[i] = tsdb.Point(p)
	}
	return out
}

// ingestTx begins a write transaction whose commit is durable (sync) or not. On SQLite
// the one writing connection is told synchronous=FULL (the commit fsyncs the WAL) or
// NORMAL (folds: a lost fold is redone from the head it did not delete, and the next
// durable commit fsyncs the WAL up to it anyway); on PostgreSQL synchronous_commit is
// set for the transaction.
func (db *DB) ingestTx(ctx context.Context, sync bool) (*Tx, func(), error) {
	if db.dialect == dialectPostgres {
		stx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return nil, nil, err
		}
		mode := "off"
		if sync {
			mode = "on"
		}
		if _, err := stx.ExecContext(ctx, `SET LOCAL synchronous_commit = `+mode); err != nil {
			stx.Rollback()
			return nil, nil, err
		}
		return &Tx{Tx: stx, db: db, now: db.Now().UTC()}, func() {}, nil
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	mode := "NORMAL"
	if sync {
		mode = "FULL"
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = `+mode); err != nil {
		conn.Close()
		return nil, nil, err
	}
	stx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return &Tx{Tx: stx, db: db, now: db.Now().UTC()}, func() { conn.Close() }, nil
}

// nextSeq hands out the seq of a write: a SEQUENCE on PostgreSQL (several nodes write),
// a counter on SQLite (one writer), started past every seq stored.
func (db *DB) nextSeq(ctx context.Context, tx *Tx) (int64, error) {
	if db.dialect == dialectPostgres {
		var n int64
		err := tx.QueryRowContext(ctx, `SELECT nextval('ts_seq')`).Scan(&n)
		return n, err
	}
	st := db.ts()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.seq == 0 {
		var a, b int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM ts_log`).Scan(&a); err != nil {
			return 0, err
		}
		if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM ts_latest`).Scan(&b); err != nil {
			return 0, err
		}
		st.seq = max(a, b)
	}
	st.seq++
	return st.seq, nil
}

// loadHeads reads the summary of every head once, so Compact knows what is due.
func (db *DB) loadHeads(ctx context.Context) error {
	st := db.ts()
	st.mu.Lock()
	loaded := st.heads != nil
	st.mu.Unlock()
	if loaded {
		return nil
	}
	if db.memHeads() {
		return db.loadLog(ctx)
	}
	heads := map[int64]*headState{}
	err := db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT series_id, SUM(n), COUNT(*), MIN(written) FROM ts_head GROUP BY series_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			h := &headState{}
			if err := rows.Scan(&id, &h.points, &h.chunks, &h.oldest); err != nil {
				return err
			}
			heads[id] = h
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	st.mu.Lock()
	if st.heads == nil {
		st.heads = heads
	}
	st.mu.Unlock()
	return nil
}

type headRow struct {
	id          int64
	first, last int64
	pts         []tsdb.Point
	data        []byte
}

// WritePoints stores a write in one durable transaction: one head row per series and
// the latest point, and the consumer's offset when given.
func (db *DB) WritePoints(ctx context.Context, w *tinhso.PointWrite) error {
	if err := db.loadHeads(ctx); err != nil {
		return err
	}
	// Everything that can be computed is computed before the transaction: the one
	// writing connection is held only for the statements.
	rows := make([]headRow, 0, len(w.Series))
	at := map[int64]int{}
	for _, s := range w.Series {
		if len(s.Points) == 0 {
			continue
		}
		if i, ok := at[s.SeriesID]; ok {
			rows[i].pts = append(rows[i].pts, toTS(s.Points)...)
			continue
		}
		at[s.SeriesID] = len(rows)
		rows = append(rows, headRow{id: s.SeriesID, pts: toTS(s.Points)})
	}
	size := 0
	for i := range rows {
		r := &rows[i]
		for _, p := range r.pts {
			if math.IsNaN(p.V) || math.IsInf(p.V, 0) || !tsdb.InRange(p.T) {
				return tinhso.Invalid("points", "err.series.point", r.id, p.T, p.V)
			}
		}
		r.pts = tsdb.Normalize(r.pts)
		r.first, r.last = r.pts[0].T, r.pts[len(r.pts)-1].T
		size += len(r.pts) * 16
	}
	buf := make([]byte, 0, size)
	for i := range rows {
		r := &rows[i]
		start := len(buf)
		var err error
		if buf, err = tsdb.AppendHead(buf, r.pts); err != nil {
			return err
		}
		r.data = buf[start:len(buf):len(buf)]
	}
	slices.SortFunc(rows, func(a, b headRow) int { return int(a.id - b.id) })
	write := db.writeHeads
	if db.memHeads() {
		write = db.writeLog
	}
	err := write(ctx, w, rows)
	if err != nil && isForeignKey(err) {
		// A series was deleted after its points were accepted: they go with it, as if
		// the deletion came after the write; the others are written.
		db.forgetSeriesIDs()
		if rows, err = db.existingRows(ctx, rows); err != nil {
			return err
		}
		err = write(ctx, w, rows)
	}
	return err
}

// existingRows keeps the rows of series that still exist.
func (db *DB) existingRows(ctx context.Context, rows []headRow) ([]headRow, error) {
	ids := make([]any, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	exists := map[int64]bool{}
	err := db.readTx(ctx, func(tx *Tx) error {
		for rest := ids; len(rest) > 0; {
			n := min(len(rest), rowsPerStatement)
			list, err := queryAll(ctx, tx, func(sc scanner) (int64, error) {
				var id int64
				return id, sc.Scan(&id)
			}, `SELECT id FROM series WHERE id IN (`+placeholders(n)+`)`, rest[:n]...)
			if err != nil {
				return err
			}
			for _, id := range list {
				exists[id] = true
			}
			rest = rest[n:]
		}
		return nil
	})
	out := rows[:0]
	for _, r := range rows {
		if exists[r.id] {
			out = append(out, r)
		}
	}
	return out, err
}

// writeHeads runs the durable transaction of a write.
func (db *DB) writeHeads(ctx context.Context, w *tinhso.PointWrite, rows []headRow) error {
	tx, done, err := db.ingestTx(ctx, !db.ts().nosync.Load())
	if err != nil {
		return err
	}
	defer done()
	seq, err := db.nextSeq(ctx, tx)
	if err != nil {
		tx.Rollback()
		return err
	}
	written := tx.now.UnixNano()
	if err := db.insertHeads(ctx, tx, rows, seq, written); err != nil {
		tx.Rollback()
		return err
	}
	if err := db.upsertLatest(ctx, tx, rows, seq); err != nil {
		tx.Rollback()
		return err
	}
	if w.Consumer != "" {
		if _, err := tx.exec(ctx, `INSERT INTO ts_offset (consumer, seq) VALUES (?, ?)
			ON CONFLICT (consumer) DO UPDATE SET seq = excluded.seq`, w.Consumer, int64(w.Seq)); err != nil {
			tx.Rollback()
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	st := db.ts()
	st.mu.Lock()
	for _, r := range rows {
		h := st.heads[r.id]
		if h == nil {
			h = &headState{oldest: written}
			st.heads[r.id] = h
		}
		h.points += len(r.pts)
		h.chunks++
	}
	st.mu.Unlock()
	return nil
}

func isForeignKey(err error) bool {
	e := (dialectSQLite).mapError(err, tinhso.Message{})
	return tinhso.ErrorCode(e) == tinhso.ECONFLICT && tinhso.ErrorKey(e) == "err.db.reference"
}

func (db *DB) insertHeads(ctx context.Context, tx *Tx, rows []headRow, seq, written int64) error {
	if db.dialect == dialectPostgres {
		// Arrays, unnested: one parameter per column instead of one per value, which
		// PostgreSQL binds and the driver encodes several times faster.
		ids, firsts, lasts, ns := make([]int64, len(rows)), make([]int64, len(rows)), make([]int64, len(rows)), make([]int32, len(rows))
		data := make([][]byte, len(rows))
		for i, r := range rows {
			ids[i], firsts[i], lasts[i], ns[i], data[i] = r.id, r.first, r.last, int32(len(r.pts)), r.data
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ts_head (series_id, seq, first_t, last_t, n, written, data)
			SELECT u.id, $2, u.f, u.l, u.n, $3, u.d FROM unnest($1::bigint[], $4::bigint[], $5::bigint[], $6::int[], $7::bytea[]) AS u (id, f, l, n, d)`,
			ids, seq, written, firsts, lasts, ns, data)
		return err
	}
	for len(rows) > 0 {
		n := min(len(rows), rowsPerStatement)
		var q strings.Builder
		q.WriteString(`INSERT INTO ts_head (series_id, seq, first_t, last_t, n, written, data) VALUES `)
		args := make([]any, 0, n*7)
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?)")
			args = append(args, r.id, seq, r.first, r.last, len(r.pts), written, r.data)
		}
		if _, err := tx.exec(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (db *DB) upsertLatest(ctx context.Context, tx *Tx, rows []headRow, seq int64) error {
	if db.dialect == dialectPostgres {
		ids, ts, vs := make([]int64, len(rows)), make([]int64, len(rows)), make([]float64, len(rows))
		for i, r := range rows {
			p := r.pts[len(r.pts)-1]
			ids[i], ts[i], vs[i] = r.id, p.T, p.V
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO ts_latest (series_id, t, v, seq)
			SELECT u.id, u.t, u.v, $4 FROM unnest($1::bigint[], $2::bigint[], $3::float8[]) AS u (id, t, v)
			ON CONFLICT (series_id) DO UPDATE SET t = excluded.t, v = excluded.v, seq = excluded.seq WHERE excluded.t >= ts_latest.t`,
			ids, ts, vs, seq)
		return err
	}
	for len(rows) > 0 {
		n := min(len(rows), rowsPerStatement)
		var q strings.Builder
		q.WriteString(`INSERT INTO ts_latest (series_id, t, v, seq) VALUES `)
		args := make([]any, 0, n*4)
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString("(?, ?, ?, ?)")
			p := r.pts[len(r.pts)-1]
			args = append(args, r.id, p.T, p.V, seq)
		}
		// Latest.Update's rule: the write wins at an equal time, an older point leaves it.
		q.WriteString(` ON CONFLICT (series_id) DO UPDATE SET t = excluded.t, v = excluded.v, seq = excluded.seq WHERE excluded.t >= ts_latest.t`)
		if _, err := tx.exec(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// IngestOffset returns the last bus sequence a durable consumer recorded (0: none).
func (db *DB) IngestOffset(ctx context.Context, consumer string) (uint64, error) {
	var n int64
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT seq FROM ts_offset WHERE consumer = ?`, consumer).Scan(&n)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return uint64(n), err
}

// Compact folds due heads (all: every head) of at most max series (0: no limit), in
// transactions of a few series each so that acknowledged writes wait little for the
// writing connection.
func (db *DB) Compact(ctx context.Context, max int, all bool) (int, error) {
	if err := db.loadHeads(ctx); err != nil {
		return 0, err
	}
	st := db.ts()
	now := db.Now()
	var due []int64
	st.mu.Lock()
	floor := db.logTarget()
	for id, h := range st.heads {
		if all || tsdb.DefaultHeadPolicy.Due(h.points, h.chunks, time.Unix(0, h.oldest), now) ||
			len(h.seqs) > 0 && h.seqs[0] < floor {
			due = append(due, id)
		}
	}
	st.mu.Unlock()
	slices.Sort(due)
	if max > 0 && len(due) > max {
		due = due[:max]
	}
	const perTx = 32
	folded := 0
	for len(due) > 0 {
		n := min(len(due), perTx)
		if err := db.foldSeries(ctx, due[:n]); err != nil {
			return folded, err
		}
		folded += n
		due = due[n:]
	}
	return folded, nil
}

// foldSeries folds the heads of the given series, in one transaction.
func (db *DB) foldSeries(ctx context.Context, ids []int64) error {
	if db.memHeads() {
		return db.foldMemory(ctx, ids)
	}
	tx, done, err := db.ingestTx(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	type folded struct {
		id   int64
		seqs []int64
		n    int
	}
	var out []folded
	err = func() error {
		// Two nodes must not fold one series at once: the locks of all, in id order (no
		// deadlock), then all heads and, after the folds, all their rows, each in one
		// statement.
		sorted := slices.Sorted(slices.Values(ids))
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7415, id) FROM unnest($1::int[]) AS id`, toInt32s(sorted)); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT series_id, seq, data FROM ts_head WHERE series_id = ANY($1) ORDER BY series_id, seq`, sorted)
		if err != nil {
			return err
		}
		var chunks [][]tsdb.Point
		flush := func() error {
			if len(out) == 0 || len(chunks) == 0 {
				return nil
			}
			f := &out[len(out)-1]
			head := mergeChunks(chunks...)
			chunks = chunks[:0]
			if err := db.foldPoints(ctx, tx, f.id, head); err != nil {
				return fmt.Errorf("fold series %d: %w", f.id, err)
			}
			return nil
		}
		// Rows are read whole first: a fold's statements cannot run while they stream.
		type chunk struct {
			id, seq int64
			pts     []tsdb.Point
		}
		var all []chunk
		for rows.Next() {
			var c chunk
			var data []byte
			if err := rows.Scan(&c.id, &c.seq, &data); err != nil {
				rows.Close()
				return err
			}
			if c.pts, err = tsdb.DecodeHead(data); err != nil {
				rows.Close()
				return err
			}
			all = append(all, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var delIDs, delSeqs []int64
		for _, c := range all {
			if len(out) == 0 || out[len(out)-1].id != c.id {
				if err := flush(); err != nil {
					return err
				}
				out = append(out, folded{id: c.id})
			}
			f := &out[len(out)-1]
			f.seqs = append(f.seqs, c.seq)
			f.n += len(c.pts)
			chunks = append(chunks, c.pts)
			delIDs, delSeqs = append(delIDs, c.id), append(delSeqs, c.seq)
		}
		if err := flush(); err != nil {
			return err
		}
		if len(delIDs) == 0 {
			return nil
		}
		// Exactly the rows read: a write that committed meanwhile keeps its rows.
		_, err = tx.ExecContext(ctx, `DELETE FROM ts_head WHERE (series_id, seq) IN (SELECT * FROM unnest($1::bigint[], $2::bigint[]))`, delIDs, delSeqs)
		return err
	}()
	if err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	st := db.ts()
	st.mu.Lock()
	for _, f := range out {
		h := st.heads[f.id]
		if h == nil {
			continue
		}
		// A write may have added chunks since the fold read the head (PostgreSQL, other
		// nodes); they stay.
		h.chunks -= len(f.seqs)
		h.points -= f.n
		if h.chunks <= 0 {
			delete(st.heads, f.id)
		} else {
			h.oldest = db.Now().UnixNano()
		}
	}
	st.mu.Unlock()
	return nil
}

// foldPoints merges sorted, distinct points into the blocks of a series and rewrites the
// changed blocks and rollup pages.
func (db *DB) foldPoints(ctx context.Context, tx *Tx, id int64, head []tsdb.Point) error {
	l := db.ts().layout
	blocks, err := db.loadBlocksOf(ctx, tx, id, head)
	if err != nil {
		return err
	}
	changed, err := l.FoldHead(head, func(start int64) ([]tsdb.Point, error) { return blocks[start], nil })
	if err != nil {
		return err
	}
	get, err := db.pageGetter(ctx, tx, id, changed[0].Start, changed[len(changed)-1].Start+int64(l.BlockSpan()))
	if err != nil {
		return err
	}
	ru := l.NewRollupUpdate(get)
	for _, b := range changed {
		if err := ru.Block(b.Start, b.Points); err != nil {
			return err
		}
	}
	if err := db.writeBlocks(ctx, tx, id, changed); err != nil {
		return err
	}
	return db.writePages(ctx, tx, id, ru.Pages())
}

// loadBlocksOf reads the decoded blocks of a series that hold the times of pts (sorted):
// by key, so that a late point far back does not read the blocks in between.
func (db *DB) loadBlocksOf(ctx context.Context, tx *Tx, id int64, pts []tsdb.Point) (map[int64][]tsdb.Point, error) {
	l := db.ts().layout
	var starts []any
	last := int64(math.MinInt64)
	for _, p := range pts {
		if s := l.BlockStart(p.T); s != last {
			starts = append(starts, s)
			last = s
		}
	}
	out := map[int64][]tsdb.Point{}
	for len(starts) > 0 {
		n := min(len(starts), rowsPerStatement)
		rows, err := tx.query(ctx, `SELECT start, data FROM ts_block WHERE series_id = ? AND start IN (`+placeholders(n)+`)`, append([]any{id}, starts[:n]...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var start int64
			var data []byte
			if err := rows.Scan(&start, &data); err != nil {
				rows.Close()
				return nil, err
			}
			pts, err := tsdb.DecodeBlock(data)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("block %d of series %d: %w", start, id, err)
			}
			out[start] = pts
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		starts = starts[n:]
	}
	return out, nil
}

// pageGetter reads, in one range scan per resolution, the rollup pages that changes of
// blocks in [from, to) touch, and answers other pages by key.
func (db *DB) pageGetter(ctx context.Context, tx *Tx, id, from, to int64) (tsdb.PageGetter, error) {
	l := db.ts().layout
	type key struct {
		res   tsdb.Resolution
		start int64
	}
	pages := map[key][]tsdb.Bucket{}
	type span struct{ lo, hi int64 }
	spans := map[tsdb.Resolution]span{}
	// A span of more than two days is a late point far from the rest: pages are then
	// read by key, one by one, rather than every page in between.
	scan := to-from <= int64(48*time.Hour)
	var conds []string
	var args []any
	for _, res := range []tsdb.Resolution{tsdb.Minute, tsdb.Hour, tsdb.Day} {
		if !scan {
			break
		}
		lo := l.PageStart(res, l.BucketStart(res, from))
		hi := l.PageStart(res, l.BucketStart(res, to-1)) + 1
		if res != tsdb.Minute {
			// A local day straddles two UTC days: its hours lie in two hour pages, and
			// it may begin in the day page before.
			day := int64(24 * time.Hour)
			lo = l.PageStart(res, l.BucketStart(res, from-day))
			hi = l.PageStart(res, l.BucketStart(res, to-1+day)) + 1
		}
		spans[res] = span{lo, hi}
		conds = append(conds, "(res = ? AND start >= ? AND start < ?)")
		args = append(args, int(res), lo, hi)
	}
	if len(conds) > 0 {
		// One statement for the three ranges: three descents of the key, one round trip.
		rows, err := tx.query(ctx, `SELECT res, start, data FROM ts_rollup WHERE series_id = ? AND (`+strings.Join(conds, " OR ")+`)`, append([]any{id}, args...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var res int
			var start int64
			var data []byte
			if err := rows.Scan(&res, &start, &data); err != nil {
				rows.Close()
				return nil, err
			}
			bs, err := tsdb.DecodePage(data)
			if err != nil {
				rows.Close()
				return nil, err
			}
			pages[key{tsdb.Resolution(res), start}] = bs
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return func(res tsdb.Resolution, start int64) ([]tsdb.Bucket, error) {
		if bs, ok := pages[key{res, start}]; ok {
			return bs, nil
		}
		if s, ok := spans[res]; ok && start >= s.lo && start < s.hi {
			return nil, nil
		}
		var data []byte
		err := tx.queryRow(ctx, `SELECT data FROM ts_rollup WHERE series_id = ? AND res = ? AND start = ?`, id, int(res), start).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		return tsdb.DecodePage(data)
	}, nil
}

func (db *DB) writeBlocks(ctx context.Context, tx *Tx, id int64, blocks []tsdb.Block) error {
	var del []any
	var q strings.Builder
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		q.WriteString(` ON CONFLICT (series_id, start) DO UPDATE SET first_t = excluded.first_t, last_t = excluded.last_t, n = excluded.n, data = excluded.data`)
		_, err := tx.exec(ctx, q.String(), args...)
		q.Reset()
		args = args[:0]
		return err
	}
	for _, b := range blocks {
		if len(b.Points) == 0 {
			del = append(del, b.Start)
			continue
		}
		data, err := tsdb.EncodeBlock(b.Points)
		if err != nil {
			return err
		}
		if len(args) == 0 {
			q.WriteString(`INSERT INTO ts_block (series_id, start, first_t, last_t, n, data) VALUES `)
		} else {
			q.WriteByte(',')
		}
		q.WriteString("(?, ?, ?, ?, ?, ?)")
		args = append(args, id, b.Start, b.Points[0].T, b.Points[len(b.Points)-1].T, len(b.Points), data)
		if len(args) >= rowsPerStatement*6 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if len(del) > 0 {
		_, err := tx.exec(ctx, `DELETE FROM ts_block WHERE series_id = ? AND start IN (`+placeholders(len(del))+`)`, append([]any{id}, del...)...)
		return err
	}
	return nil
}

func (db *DB) writePages(ctx context.Context, tx *Tx, id int64, pages []tsdb.Page) error {
	var q strings.Builder
	var args []any
	for _, p := range pages {
		if len(p.Buckets) == 0 {
			if _, err := tx.exec(ctx, `DELETE FROM ts_rollup WHERE series_id = ? AND res = ? AND start = ?`, id, int(p.Res), p.Start); err != nil {
				return err
			}
			continue
		}
		data, err := tsdb.AppendPage(nil, p.Buckets)
		if err != nil {
			return err
		}
		if len(args) == 0 {
			q.WriteString(`INSERT INTO ts_rollup (series_id, res, start, data) VALUES `)
		} else {
			q.WriteByte(',')
		}
		q.WriteString("(?, ?, ?, ?)")
		args = append(args, id, int(p.Res), p.Start, data)
	}
	if len(args) == 0 {
		return nil
	}
	q.WriteString(` ON CONFLICT (series_id, res, start) DO UPDATE SET data = excluded.data`)
	_, err := tx.exec(ctx, q.String(), args...)
	return err
}

// seriesID finds the id of a key in a transaction.
func seriesID(ctx context.Context, tx *Tx, key string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM series WHERE key = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, tinhso.Errorf(tinhso.ENOTFOUND, "err.series.not_found", key)
	}
	return id, err
}

// headIn reads and merges the head chunks of a series with points in [from, to).
func (db *DB) headIn(ctx context.Context, tx *Tx, id, from, to int64) ([]tsdb.Point, error) {
	if db.memHeads() {
		return db.memHead(id, from, to), nil
	}
	rows, err := tx.query(ctx, `SELECT data FROM ts_head WHERE series_id = ? AND first_t < ? AND last_t >= ? ORDER BY seq`, id, to, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var chunks [][]tsdb.Point
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		pts, err := tsdb.DecodeHead(data)
		if err != nil {
			return nil, err
		}
		chunks = append(chunks, pts)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return mergeChunks(chunks...), nil
}

// MaxQueryItems bounds the items of one answer; a longer span needs a coarser
// resolution.
const MaxQueryItems = 100_000

// QueryPoints answers a points query from blocks or rollup pages and the head, in one
// read snapshot.
func (db *DB) QueryPoints(ctx context.Context, q tinhso.PointQuery) (*tinhso.PointResult, error) {
	from, to := q.From.UnixNano(), q.To.UnixNano()
	if q.From.IsZero() || q.To.IsZero() || to <= from {
		return nil, tinhso.Invalid("from", "err.series.from_to")
	}
	if !tsdb.InRange(from) || !tsdb.InRange(to-1) {
		return nil, tinhso.Invalid("from", "err.series.time_range")
	}
	name := q.Resolution
	if name == "" {
		name = tinhso.ResolutionAuto
	}
	res, err := tsdb.ParseResolution(name)
	if err != nil {
		return nil, tinhso.Invalid("resolution", "err.series.resolution")
	}
	if res == tsdb.Auto {
		res = tsdb.ChooseResolution(from, to)
	}
	l := db.ts().layout
	if res != tsdb.Raw {
		if n := (to - from) / (l.NextBucket(res, l.BucketStart(res, from)) - l.BucketStart(res, from)); n > MaxQueryItems {
			return nil, tinhso.Invalid("resolution", "err.series.buckets", n, res, MaxQueryItems)
		}
	}
	out := &tinhso.PointResult{Key: q.Key, Resolution: res.String()}
	if err := db.loadHeads(ctx); err != nil {
		return nil, err
	}
	if db.memHeads() {
		// No fold may commit between the reads of blocks and of the head.
		st := db.ts()
		st.rw.RLock()
		defer st.rw.RUnlock()
	}
	err = db.readTx(ctx, func(tx *Tx) error {
		id, err := seriesID(ctx, tx, q.Key)
		if err != nil {
			return err
		}
		if res == tsdb.Raw {
			return db.queryRaw(ctx, tx, id, from, to, out)
		}
		return db.queryRollup(ctx, tx, id, res, from, to, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (db *DB) queryRaw(ctx context.Context, tx *Tx, id, from, to int64, out *tinhso.PointResult) error {
	lo, hi := db.ts().layout.BlockRange(from, to)
	rows, err := tx.query(ctx, `SELECT data FROM ts_block WHERE series_id = ? AND start >= ? AND start < ? ORDER BY start`, id, lo, hi)
	if err != nil {
		return err
	}
	var blocks [][]tsdb.Point
	total := 0
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			rows.Close()
			return err
		}
		pts, err := tsdb.DecodeBlock(data)
		if err != nil {
			rows.Close()
			return err
		}
		total += len(pts)
		if total > 10*MaxQueryItems {
			rows.Close()
			return tinhso.Invalid("resolution", "err.series.raw_many", MaxQueryItems)
		}
		blocks = append(blocks, pts)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	head, err := db.headIn(ctx, tx, id, from, to)
	if err != nil {
		return err
	}
	pts := tsdb.RawRange(blocks, head, from, to)
	if len(pts) > MaxQueryItems {
		return tinhso.Invalid("resolution", "err.series.raw_count", len(pts), MaxQueryItems)
	}
	out.Items = make([]tinhso.PointItem, len(pts))
	for i, p := range pts {
		out.Items[i] = tinhso.PointItem{Time: time.Unix(0, p.T).UTC(), Value: p.V, Min: p.V, Max: p.V, Count: 1, Last: p.V}
	}
	return nil
}

func (db *DB) queryRollup(ctx context.Context, tx *Tx, id int64, res tsdb.Resolution, from, to int64, out *tinhso.PointResult) error {
	l := db.ts().layout
	plo, phi := l.PageRange(res, from, to)
	rows, err := tx.query(ctx, `SELECT start, data FROM ts_rollup WHERE series_id = ? AND res = ? AND start >= ? AND start < ?`, id, int(res), plo, phi)
	if err != nil {
		return err
	}
	pages := map[int64][]tsdb.Bucket{}
	for rows.Next() {
		var start int64
		var data []byte
		if err := rows.Scan(&start, &data); err != nil {
			rows.Close()
			return err
		}
		bs, err := tsdb.DecodePage(data)
		if err != nil {
			rows.Close()
			return err
		}
		pages[start] = bs
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	clo, chi := l.Covering(res, from, to)
	head, err := db.headIn(ctx, tx, id, clo, chi)
	if err != nil {
		return err
	}
	head = tsdb.Between(head, clo, chi)
	var get tsdb.PageGetter = func(r tsdb.Resolution, start int64) ([]tsdb.Bucket, error) {
		if r == res && start >= plo && start < phi {
			return pages[start], nil
		}
		var data []byte
		err := tx.queryRow(ctx, `SELECT data FROM ts_rollup WHERE series_id = ? AND res = ? AND start = ?`, id, int(r), start).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		return tsdb.DecodePage(data)
	}
	var blocks map[int64][]tsdb.Point
	if len(head) > 0 {
		if blocks, err = db.loadBlocksOf(ctx, tx, id, head); err != nil {
			return err
		}
	}
	bs, err := l.QueryRollup(res, from, to, head, func(start int64) ([]tsdb.Point, error) { return blocks[start], nil }, get)
	if err != nil {
		return err
	}
	out.Items = make([]tinhso.PointItem, len(bs))
	for i, b := range bs {
		out.Items[i] = tinhso.PointItem{Time: time.Unix(0, b.Start).UTC(), Value: b.Mean(), Min: b.Min, Max: b.Max, Count: b.Count, Last: b.Last}
	}
	return nil
}

// LatestPoints returns the latest point of each key, or of every series.
func (db *DB) LatestPoints(ctx context.Context, keys []string) ([]tinhso.LatestPoint, error) {
	var out []tinhso.LatestPoint
	scan := func(sc scanner) (tinhso.LatestPoint, error) {
		var p tinhso.LatestPoint
		var t int64
		err := sc.Scan(&p.SeriesID, &p.Key, &t, &p.Value)
		p.Time = time.Unix(0, t).UTC()
		return p, err
	}
	const q = `SELECT l.series_id, s.key, l.t, l.v FROM ts_latest l JOIN series s ON s.id = l.series_id`
	err := db.readTx(ctx, func(tx *Tx) error {
		if len(keys) == 0 {
			list, err := queryAll(ctx, tx, scan, q+` ORDER BY `+tx.db.dialect.byteOrder("s.key"))
			out = list
			return err
		}
		for rest := keys; len(rest) > 0; {
			n := min(len(rest), 500)
			list, err := queryAll(ctx, tx, scan, q+` WHERE s.key IN (`+placeholders(n)+`) ORDER BY `+tx.db.dialect.byteOrder("s.key"), stringArgs(rest[:n])...)
			if err != nil {
				return err
			}
			out = append(out, list...)
			rest = rest[n:]
		}
		return nil
	})
	return out, err
}

// ApplyRetention cuts each series with a retention at its cutoff: its head is folded
// first, then whole blocks and pages before the cutoff go and the one straddling it is
// rewritten.
func (db *DB) ApplyRetention(ctx context.Context, now time.Time) (int, error) {
	type ret struct {
		id   int64
		days int
	}
	var list []ret
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		list, err = queryAll(ctx, tx, func(sc scanner) (ret, error) {
			var r ret
			return r, sc.Scan(&r.id, &r.days)
		}, `SELECT id, retention_days FROM series WHERE retention_days > 0 ORDER BY id`)
		return err
	})
	if err != nil {
		return 0, err
	}
	l := db.ts().layout
	for _, r := range list {
		if err := db.foldSeries(ctx, []int64{r.id}); err != nil {
			return 0, err
		}
		cutoff := l.Cutoff(now, time.Duration(r.days)*24*time.Hour)
		if err := db.cutSeries(ctx, r.id, cutoff); err != nil {
			return 0, fmt.Errorf("retention of series %d: %w", r.id, err)
		}
	}
	return len(list), nil
}

func (db *DB) cutSeries(ctx context.Context, id, cutoff int64) error {
	l := db.ts().layout
	tx, done, err := db.ingestTx(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	err = func() error {
		drop, partial := l.CutRange(tsdb.Raw, cutoff)
		if _, err := tx.exec(ctx, `DELETE FROM ts_block WHERE series_id = ? AND start < ?`, id, drop); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM ts_head WHERE series_id = ? AND last_t < ?`, id, cutoff); err != nil {
			return err
		}
		if partial {
			blocks, err := db.loadBlocksOf(ctx, tx, id, []tsdb.Point{{T: drop}})
			if err != nil {
				return err
			}
			if pts, ok := blocks[drop]; ok {
				cut := tsdb.CutPoints(pts, cutoff)
				get, err := db.pageGetter(ctx, tx, id, drop, drop+int64(l.BlockSpan()))
				if err != nil {
					return err
				}
				ru := l.NewRollupUpdate(get)
				if err := ru.Block(drop, cut); err != nil {
					return err
				}
				if err := db.writeBlocks(ctx, tx, id, []tsdb.Block{{Start: drop, Points: cut}}); err != nil {
					return err
				}
				if err := db.writePages(ctx, tx, id, ru.Pages()); err != nil {
					return err
				}
			}
		}
		for _, res := range []tsdb.Resolution{tsdb.Minute, tsdb.Hour, tsdb.Day} {
			drop, partial := l.CutRange(res, cutoff)
			if _, err := tx.exec(ctx, `DELETE FROM ts_rollup WHERE series_id = ? AND res = ? AND start < ?`, id, int(res), drop); err != nil {
				return err
			}
			if !partial {
				continue
			}
			var data []byte
			err := tx.queryRow(ctx, `SELECT data FROM ts_rollup WHERE series_id = ? AND res = ? AND start = ?`, id, int(res), drop).Scan(&data)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			} else if err != nil {
				return err
			}
			bs, err := tsdb.DecodePage(data)
			if err != nil {
				return err
			}
			if err := db.writePages(ctx, tx, id, []tsdb.Page{{Res: res, Start: drop, Buckets: tsdb.CutBuckets(bs, cutoff)}}); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `DELETE FROM ts_latest WHERE series_id = ? AND t < ?`, id, cutoff)
		return err
	}()
	if err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// statsWindow is the span of a rate window.
const statsWindow = int64(time.Minute)

// RecordIngest adds written points to the per-minute counters of their series.
func (db *DB) RecordIngest(ctx context.Context, counts []tinhso.SeriesCount) error {
	if len(counts) == 0 {
		return nil
	}
	tx, done, err := db.ingestTx(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	for rest := counts; len(rest) > 0; {
		n := min(len(rest), rowsPerStatement)
		var q strings.Builder
		q.WriteString(`INSERT INTO ts_stats (series_id, window_start, window_n, prev_n, total, last_write) VALUES `)
		args := make([]any, 0, n*5)
		for i, c := range rest[:n] {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString("(?, ?, ?, 0, ?, ?)")
			at := c.At.UnixNano()
			args = append(args, c.SeriesID, at-at%statsWindow, c.Points, c.Points, at)
		}
		q.WriteString(` ON CONFLICT (series_id) DO UPDATE SET
			prev_n = CASE WHEN ts_stats.window_start = excluded.window_start THEN ts_stats.prev_n
				WHEN ts_stats.window_start = excluded.window_start - ` + fmt.Sprint(statsWindow) + ` THEN ts_stats.window_n ELSE 0 END,
			window_n = CASE WHEN ts_stats.window_start = excluded.window_start THEN ts_stats.window_n + excluded.window_n ELSE excluded.window_n END,
			window_start = excluded.window_start,
			total = ts_stats.total + excluded.total,
			last_write = CASE WHEN excluded.last_write > ts_stats.last_write THEN excluded.last_write ELSE ts_stats.last_write END`)
		if _, err := tx.exec(ctx, q.String(), args...); err != nil {
			tx.Rollback()
			if isForeignKey(err) {
				return nil // the series went meanwhile: nothing to count
			}
			return err
		}
		rest = rest[n:]
	}
	return tx.Commit()
}

// RecordIngestError notes the last ingest error of a series.
func (db *DB) RecordIngestError(ctx context.Context, seriesID int64, message string, at time.Time) error {
	message = tinhso.Clip(message, 1000)
	return db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO ts_stats (series_id, last_error, last_error_at) VALUES (?, ?, ?)
			ON CONFLICT (series_id) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at`, seriesID, message, at.UnixNano())
		return err
	})
}

// IngestStats reads the ingest statistics of keys (every series when empty).
func (db *DB) IngestStats(ctx context.Context, keys []string) ([]tinhso.IngestStats, error) {
	now := db.Now().UnixNano()
	window := now - now%statsWindow
	scan := func(sc scanner) (tinhso.IngestStats, error) {
		var s tinhso.IngestStats
		var ws, wn, pn, lw, lea int64
		if err := sc.Scan(&s.Key, &ws, &wn, &pn, &s.Total, &lw, &s.LastError, &lea); err != nil {
			return s, err
		}
		switch ws {
		case window:
			s.Rate = float64(pn) / 60
		case window - statsWindow:
			s.Rate = float64(wn) / 60
		}
		if lw > 0 {
			t := time.Unix(0, lw).UTC()
			s.LastWrite = &t
		}
		if lea > 0 {
			t := time.Unix(0, lea).UTC()
			s.LastErrorAt = &t
		}
		return s, nil
	}
	const q = `SELECT s.key, COALESCE(t.window_start, 0), COALESCE(t.window_n, 0), COALESCE(t.prev_n, 0), COALESCE(t.total, 0),
		COALESCE(t.last_write, 0), COALESCE(t.last_error, ''), COALESCE(t.last_error_at, 0) FROM series s LEFT JOIN ts_stats t ON t.series_id = s.id`
	var out []tinhso.IngestStats
	err := db.readTx(ctx, func(tx *Tx) error {
		if len(keys) == 0 {
			list, err := queryAll(ctx, tx, scan, q+` ORDER BY `+tx.db.dialect.byteOrder("s.key"))
			out = list
			return err
		}
		for rest := keys; len(rest) > 0; {
			n := min(len(rest), 500)
			list, err := queryAll(ctx, tx, scan, q+` WHERE s.key IN (`+placeholders(n)+`) ORDER BY `+tx.db.dialect.byteOrder("s.key"), stringArgs(rest[:n])...)
			if err != nil {
				return err
			}
			out = append(out, list...)
			rest = rest[n:]
		}
		return nil
	})
	return out, err
}

// StoredSize sums the stored points and bytes.
func (db *DB) StoredSize(ctx context.Context) (tinhso.StoredSize, error) {
	var s tinhso.StoredSize
	if err := db.loadHeads(ctx); err != nil {
		return s, err
	}
	err := db.readTx(ctx, func(tx *Tx) error {
		var bn, hn int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(SUM(n), 0), COALESCE(SUM(length(data)), 0) FROM ts_block`).Scan(&bn, &s.BlockBytes); err != nil {
			return err
		}
		if db.memHeads() {
			st := db.ts()
			st.mu.Lock()
			for _, h := range st.heads {
				hn += int64(h.points)
			}
			s.HeadBytes = st.logSize
			st.mu.Unlock()
		} else if err := tx.queryRow(ctx, `SELECT COALESCE(SUM(n), 0), COALESCE(SUM(length(data)), 0) FROM ts_head`).Scan(&hn, &s.HeadBytes); err != nil {
			return err
		}
		s.Points = bn + hn
		return tx.queryRow(ctx, `SELECT COALESCE(SUM(length(data)), 0) FROM ts_rollup`).Scan(&s.Rollup)
	})
	return s, err
}

func toInt32s(ids []int64) []int32 {
	out := make([]int32, len(ids))
	for i, id := range ids {
		out[i] = int32(id)
	}
	return out
}
