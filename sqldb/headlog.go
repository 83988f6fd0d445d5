package sqldb

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/tsdb"
)

// SQLite's heads live in memory, and the writes that made them in ts_log.
//
// A durable write on SQLite appends one ts_log row holding every series of the write
// (their chunks as tsdb.AppendHead encodes them) and upserts ts_latest, in one
// transaction fsynced by synchronous=FULL; the chunks then join the heads in memory.
// Head rows per series, as PostgreSQL keeps them, would rewrite a B-tree leaf page per
// series per write — for 1,000 series a thousand pages of WAL per commit, whatever the
// number of points — where the log writes the bytes of the points once, in order.
//
// A fold merges a series' chunks into its blocks and rollups as on PostgreSQL and, in
// the same transaction, deletes the ts_log rows older than every chunk still in memory
// (the floor). At start the rows left are replayed into the heads: rows are whole
// writes in seq order, so a replayed chunk that had been folded already is folded
// again under the later chunks, which gives the same points (the last write wins).
// SQLite has one process and one writer, so memory can hold the heads; a node of a
// PostgreSQL cluster cannot, since another node must read them.

// logPressure is the size of ts_log past which series pinning old rows are folded,
// whatever their policy says (an idle series with one point would keep every row after
// its point for ten minutes).
var logPressure int64 = 64 << 20

func (db *DB) memHeads() bool { return db.dialect == dialectSQLite }

// encodeLog encodes the rows of a write as a ts_log row: the number of series, then per
// series its id, its number of points and its head chunk.
func encodeLog(rows []headRow) []byte {
	n := binary.MaxVarintLen64
	for _, r := range rows {
		n += 2*binary.MaxVarintLen64 + len(r.data)
	}
	b := make([]byte, 0, n)
	b = binary.AppendUvarint(b, uint64(len(rows)))
	for _, r := range rows {
		b = binary.AppendUvarint(b, uint64(r.id))
		b = binary.AppendUvarint(b, uint64(len(r.pts)))
		b = append(b, r.data...)
	}
	return b
}

type logChunk struct {
	id  int64
	pts []tsdb.Point
}

func decodeLog(src []byte) ([]logChunk, error) {
	bad := fmt.Errorf("ts_log row: %w", tsdb.ErrCorrupt)
	ns, k := binary.Uvarint(src)
	if k <= 0 || ns > uint64(len(src)) {
		return nil, bad
	}
	src = src[k:]
	out := make([]logChunk, 0, ns)
	for range ns {
		id, k := binary.Uvarint(src)
		if k <= 0 {
			return nil, bad
		}
		src = src[k:]
		np, k := binary.Uvarint(src)
		if k <= 0 || np > uint64(len(src))/16 {
			return nil, bad
		}
		src = src[k:]
		pts, err := tsdb.DecodeHead(src[:np*16])
		if err != nil {
			return nil, err
		}
		src = src[np*16:]
		out = append(out, logChunk{int64(id), pts})
	}
	if len(src) != 0 {
		return nil, bad
	}
	return out, nil
}

// loadLog replays ts_log into the heads, once.
func (db *DB) loadLog(ctx context.Context) error {
	st := db.ts()
	heads := map[int64]*headState{}
	var log []logRow
	var size, last int64
	err := db.readTx(ctx, func(tx *Tx) error {
		ids, err := queryAll(ctx, tx, func(sc scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		}, `SELECT id FROM series`)
		if err != nil {
			return err
		}
		exists := make(map[int64]bool, len(ids))
		for _, id := range ids {
			exists[id] = true
		}
		rows, err := tx.query(ctx, `SELECT seq, written, data FROM ts_log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var seq, written int64
			var data []byte
			if err := rows.Scan(&seq, &written, &data); err != nil {
				return err
			}
			chunks, err := decodeLog(data)
			if err != nil {
				return fmt.Errorf("ts_log row %d: %w", seq, err)
			}
			for _, c := range chunks {
				if !exists[c.id] {
					continue // deleted after the write
				}
				h := heads[c.id]
				if h == nil {
					h = &headState{oldest: written}
					heads[c.id] = h
				}
				h.mem = append(h.mem, c.pts)
				h.seqs = append(h.seqs, seq)
				h.points += len(c.pts)
				h.chunks++
			}
			log = append(log, logRow{seq, int64(len(data))})
			size += int64(len(data))
			last = seq
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.heads == nil {
		st.heads, st.log, st.logSize = heads, log, size
		st.applied = max(st.applied, last)
	}
	return nil
}

// writeLog runs the durable transaction of a write on SQLite and adds its chunks to
// the heads.
func (db *DB) writeLog(ctx context.Context, w *tinhso.PointWrite, rows []headRow) error {
	data := encodeLog(rows)
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
	if _, err := tx.exec(ctx, `INSERT INTO ts_log (seq, written, data) VALUES (?, ?, ?)`, seq, written, data); err != nil {
		tx.Rollback()
		return err
	}
	// The log row names series by id without a foreign key; the upsert of ts_latest
	// has one, which refuses a series deleted meanwhile (WritePoints then drops it).
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
	st.rw.Lock()
	st.mu.Lock()
	for _, r := range rows {
		h := st.heads[r.id]
		if h == nil {
			h = &headState{oldest: written}
			st.heads[r.id] = h
		}
		h.mem = append(h.mem, r.pts)
		h.seqs = append(h.seqs, seq)
		h.points += len(r.pts)
		h.chunks++
	}
	st.log = append(st.log, logRow{seq, int64(len(data))})
	st.logSize += int64(len(data))
	st.applied = seq
	st.mu.Unlock()
	st.rw.Unlock()
	return nil
}

// memHead returns the merged head of a series within [from, to).
func (db *DB) memHead(id, from, to int64) []tsdb.Point {
	st := db.ts()
	st.mu.Lock()
	h := st.heads[id]
	var chunks [][]tsdb.Point
	if h != nil {
		for _, c := range h.mem {
			if len(c) > 0 && c[0].T < to && c[len(c)-1].T >= from {
				chunks = append(chunks, c)
			}
		}
	}
	st.mu.Unlock()
	return tsdb.Between(mergeChunks(chunks...), from, to)
}

// logTarget returns the seq below which ts_log rows should go because the log is over
// logPressure (0: no pressure). Called with st.mu held.
func (db *DB) logTarget() int64 {
	st := db.ts()
	if st.logSize <= logPressure {
		return 0
	}
	// Keep the newest half of the pressure.
	var keep int64
	for i := len(st.log) - 1; i >= 0; i-- {
		keep += st.log[i].size
		if keep > logPressure/2 {
			return st.log[i].seq
		}
	}
	return 0
}

// foldMemory folds the in-memory heads of the given series, in one transaction that
// also cuts the log below the new floor.
func (db *DB) foldMemory(ctx context.Context, ids []int64) error {
	st := db.ts()
	type folded struct {
		id       int64
		chunks   int
		points   int
		lastSeqs int64
	}
	// The chunks to fold, as they are now: writes may add more while the fold runs.
	var work []folded
	var heads [][]tsdb.Point
	st.mu.Lock()
	for _, id := range ids {
		h := st.heads[id]
		if h == nil || len(h.mem) == 0 {
			continue
		}
		n := 0
		for _, c := range h.mem {
			n += len(c)
		}
		work = append(work, folded{id, len(h.mem), n, h.seqs[len(h.seqs)-1]})
		heads = append(heads, mergeChunks(h.mem...))
	}
	st.mu.Unlock()
	if len(work) == 0 {
		return nil
	}
	tx, done, err := db.ingestTx(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	for i, f := range work {
		if len(heads[i]) == 0 {
			continue
		}
		if err := db.foldPoints(ctx, tx, f.id, heads[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("fold series %d: %w", f.id, err)
		}
	}
	// The floor: the oldest seq of a chunk that stays in memory, and never above a
	// write that committed but has not reached the heads yet.
	st.mu.Lock()
	foldedN := map[int64]int{}
	for _, f := range work {
		foldedN[f.id] = f.chunks
	}
	floor := st.applied + 1
	for id, h := range st.heads {
		if k := foldedN[id]; k < len(h.seqs) {
			floor = min(floor, h.seqs[k])
		}
	}
	st.mu.Unlock()
	if _, err := tx.exec(ctx, `DELETE FROM ts_log WHERE seq < ?`, floor); err != nil {
		tx.Rollback()
		return err
	}
	st.rw.Lock()
	defer st.rw.Unlock()
	if err := tx.Commit(); err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	now := db.Now().UnixNano()
	for _, f := range work {
		h := st.heads[f.id]
		if h == nil {
			continue // deleted meanwhile
		}
		h.mem = slices.Delete(h.mem, 0, min(f.chunks, len(h.mem)))
		h.seqs = slices.Delete(h.seqs, 0, min(f.chunks, len(h.seqs)))
		h.chunks = len(h.mem)
		h.points -= f.points
		if h.chunks == 0 {
			delete(st.heads, f.id)
		} else {
			h.oldest = now
		}
	}
	i := 0
	for i < len(st.log) && st.log[i].seq < floor {
		st.logSize -= st.log[i].size
		i++
	}
	st.log = slices.Delete(st.log, 0, i)
	return nil
}

// mergeChunks merges head chunks given in the order they were written, the later
// winning at equal times, as tsdb.MergeHeads does: concatenated in that order, a stable
// sort keeping the last of equal times (tsdb.Normalize) gives the same points, in one
// pass when the chunks follow each other in time (the usual case, where merging them
// two by two would copy the head once per chunk).
func mergeChunks(chunks ...[]tsdb.Point) []tsdb.Point {
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	if n == 0 {
		return nil
	}
	all := make([]tsdb.Point, 0, n)
	for _, c := range chunks {
		all = append(all, c...)
	}
	return tsdb.Normalize(all)
}
