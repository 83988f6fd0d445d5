// Package tsdb is the pure core of tinhso's time-series store: the block codec, the
// head, blocks and rollups, the latest value, query helpers and the mapping of
// InfluxDB line protocol to series. It does no I/O and imports nothing of tinhso; the
// storage adapter keeps its tables and the writer drives it.
//
// # Points and the rule for overwrites
//
// A Point is a time in int64 nanoseconds since 1970 UTC (line protocol's default
// precision, so any point comes back exactly as sent; the range is 1677–2262) and a
// float64. Per series and timestamp the last write wins: within a batch the later line,
// across batches the later batch. Out-of-order points are merged where they belong;
// a duplicate replaces the stored value. Normalize, Merge, MergeHeads and FoldHead
// implement the rule; nothing else decides it.
//
// # Blocks
//
// A series is cut into blocks of DefaultBlockSpan (2 h, aligned in UTC; Layout). A
// block is encoded by AppendBlock: delta-of-delta timestamps (divided first by the
// largest power of ten dividing them all, so second or millisecond stamps cost what
// they would in those units) and values either XOR-coded as in Gorilla (Pelkonen et
// al., VLDB 2015), which round-trips any float64 bit pattern, or, when every value of
// the block is exactly m/10^k (k ≤ 9, checked by computing it back), as the integers
// m with delta or delta-of-delta codes, whichever is shorter. The target data
// (1,000 series, a point every 10 s, two decimals varying slowly) takes 0.48 bytes per
// point; random-walk floats of full precision 7.1; see cmd/tsdbbench.
//
// # Head
//
// New points are not merged into blocks when they arrive. Each batch appends, per
// series, one head chunk: its points, Normalized, uncompressed (AppendHead, 16 bytes a
// point). Acknowledging a batch thus costs appends only: no read, no decode, no
// re-encoding. When HeadPolicy.Due says so (2,048 points, 64 chunks or 10 minutes by
// default), the writer folds the head into blocks (FoldHead), rewrites the changed
// blocks and their rollups (RollupUpdate) and deletes the chunks, in one transaction.
//
// # Rollups
//
// Buckets of 1 minute, 1 hour (UTC hours, which are Vietnam's local hours) and 1 day
// (from midnight in the layout's zone: Asia/Ho_Chi_Minh, so 17:00 UTC; the zone's
// history is honoured, e.g. the 25-hour 12 June 1975) hold count, sum, min, max and
// last; the mean is sum/count. A minute is computed from its points, an hour from its
// minutes, a day from its hours, always over the whole bucket, so an incremental
// update equals a computation from scratch bit for bit. Sums of decimal data are exact
// (the integers are added, then divided once), which keeps them decimal and small.
//
// Buckets are stored in pages, one row per series and page: the minute buckets of a
// block (120), the hour buckets of a UTC day (24), the day buckets of 32 days. A row
// per bucket would cost an upsert per six points of the target data and 17 million
// rows per 100 million points; a page costs one row write per changed block. The
// target data's minute pages take 0.57 bytes per raw point (about 380 bytes a page).
//
// When a block changes, RollupUpdate.Block recomputes its minute page, the hours it
// overlaps (from minute pages) and the local days it overlaps (from hour pages), and
// Pages returns what to write; an empty page is a row to delete.
//
// # Tables
//
// Names are a suggestion; both engines take the same statements but for the types.
// Every key is the primary key; on SQLite every table is WITHOUT ROWID (rows are
// found by key only, and the key is stored once).
//
//	ts_block  (series_id, start, first_t, last_t, n, data)   PRIMARY KEY (series_id, start)
//	ts_head   (series_id, seq, first_t, last_t, n, written, data)
//	                                                         PRIMARY KEY (series_id, seq)
//	ts_rollup (series_id, res, start, data)                  PRIMARY KEY (series_id, res, start)
//	ts_latest (series_id, t, v, seq)                         PRIMARY KEY (series_id)
//
// series_id is the registry's integer id; start, first_t, last_t, t and written are
// INTEGER / BIGINT nanoseconds; n and res INTEGER / SMALLINT (res is the Resolution:
// 2 = 1m, 3 = 1h, 4 = 1d); v REAL / DOUBLE PRECISION; data BLOB / BYTEA holding
// AppendBlock, AppendHead or AppendPage. seq is the batch's number, increasing in the
// order batches are written (a counter the single SQLite writer keeps, a SEQUENCE on
// PostgreSQL): "last write" means the greater seq. On PostgreSQL, ALTER COLUMN data
// SET STORAGE EXTERNAL spares TOAST trying to compress data that is compressed.
//
// SQLite keeps about 1,000 bytes of a WITHOUT ROWID row in a 4 KB page and moves the
// rest to overflow pages. Target-data blocks (about 350 bytes) and minute pages (about
// 380, at most 440) fit; head chunks of more than 60 points and blocks of noisy
// full-precision floats (about 5 KB) overflow. Both work; a page size of 16 KB
// (PRAGMA page_size before the first table) keeps four times as much inline.
//
// # What the writer does
//
// For each batch, in one transaction on the one writing connection:
//
//  1. parse the whole body (ParseLines, or the JSON decoder with SeriesKey) before
//     touching the database: a refused batch changes nothing;
//  2. map keys to series ids, creating or refusing unknown series as configured;
//  3. Batch.Group, then Normalize each series' points (the last write wins inside the
//     batch), and insert one ts_head row per series with the next seq;
//  4. upsert ts_latest for each series: INSERT … ON CONFLICT (series_id) DO UPDATE
//     SET t = excluded.t, v = excluded.v, seq = excluded.seq WHERE excluded.t >=
//     ts_latest.t (Latest.Update states the same rule);
//  5. commit, durably: SQLite in WAL mode with synchronous=FULL (the commit fsyncs the
//     WAL), PostgreSQL with synchronous_commit on; only then acknowledge (HTTP 204,
//     MQTT PUBACK). A batch of 50,000 points over 1,000 series is 2,000 row writes.
//
// Folding, off the acknowledgement path but on the same writing connection, for each
// series whose head is due, in one transaction: read its head rows by seq, DecodeHead
// and MergeHeads them; FoldHead with a loader reading ts_block by (series_id, start);
// upsert each changed block; feed each to RollupUpdate.Block with a getter reading
// ts_rollup by key; upsert or delete each of Pages(); delete the folded head rows (seq
// ≤ the last folded); commit. Retention, daily per series: cutoff := Layout.Cutoff
// (now, retention), a local midnight, so no bucket straddles it; CutRange per
// resolution gives the rows to delete (start < drop) and the one to rewrite with
// CutPoints or CutBuckets (recompute the rewritten block's minute page with
// RollupUpdate.Block). Rollups may be kept longer than raw data by cutting them with
// a longer retention.
//
// # Queries
//
// Raw, [from, to): the blocks with start in BlockRange(from, to), in order of start,
// decoded; the head rows of the series overlapping the range (first_t < to AND last_t
// >= from), by seq, merged with MergeHeads; RawRange joins them.
//
// Rollups at res over [from, to): the pages with start in PageRange(res, from, to), in
// one range scan, behind a PageGetter (falling back to a read by key for the few other
// pages a fold needs); the head rows overlapping Covering(res, from, to), merged; then
// QueryRollup, which folds that head in as a fold would, without writing, and returns
// the buckets. Auto resolves with ChooseResolution: raw up to 3 h, 1 minute up to 2
// days, 1 hour up to 90 days, then 1 day.
//
// A one-day query at 1 minute over 100 million stored points reads 13 rows of about
// 380 bytes by primary key (one B-tree descent and a short scan in either engine),
// at most 64 head rows and the block or two the head touches, and decodes 1,440
// buckets in about 0.3 ms of CPU: inside the aim of 10 ms at p99, whatever the number
// of stored points, because no query reads more rows than its buckets need.
package tsdb
