-- Live data: the series registry and the time-series tables of tsdb (see tsdb/doc.go).
-- Times of points are INTEGER / BIGINT nanoseconds since 1970 UTC; data columns hold
-- tsdb's encodings (blocks, head chunks, rollup pages). Every ts_ table is keyed by its
-- primary key alone.

CREATE TABLE series (
	id             ID_PK,
	key            TEXT NOT NULL UNIQUE,
	name           TEXT NOT NULL,
	unit           TEXT NOT NULL DEFAULT '',
	description    TEXT NOT NULL DEFAULT '',
	-- a JSON object of tag names to values
	tags           TEXT NOT NULL DEFAULT '{}',
	org_unit_id    BIGINT REFERENCES org_units (id),
	lat            DOUBLE PRECISION,
	lon            DOUBLE PRECISION,
	retention_days INTEGER NOT NULL DEFAULT 0,
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL
);
CREATE INDEX series_org_unit_idx ON series (org_unit_id);

-- Compressed blocks of 2 h (tsdb.AppendBlock).
CREATE TABLE ts_block (
	series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
	start     BIGINT NOT NULL,
	first_t   BIGINT NOT NULL,
	last_t    BIGINT NOT NULL,
	n         INTEGER NOT NULL,
	data      BYTES NOT NULL,
	PRIMARY KEY (series_id, start)
) WITHOUT_ROWID;

-- Head chunks: the points of one series from one write, uncompressed (tsdb.AppendHead),
-- until they are folded into blocks. seq orders writes: the greater seq is the later.
CREATE TABLE ts_head (
	series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
	seq       BIGINT NOT NULL,
	first_t   BIGINT NOT NULL,
	last_t    BIGINT NOT NULL,
	n         INTEGER NOT NULL,
	written   BIGINT NOT NULL,
	data      BYTES NOT NULL,
	PRIMARY KEY (series_id, seq)
) WITHOUT_ROWID;

-- SQLite keeps its heads in memory and this log of acknowledged writes on disk: one
-- row per write (all its series, as head chunks), appended and fsynced, replayed at
-- start and cut once every chunk of a row is folded. A row per write instead of per
-- series is what lets a durable write cost a sequential append rather than a leaf
-- page rewritten per series. PostgreSQL, shared by several nodes, keeps ts_head.
CREATE TABLE ts_log (
	seq     INTEGER PRIMARY KEY,
	written BIGINT NOT NULL,
	data    BYTES NOT NULL
);

-- Rollup pages (tsdb.AppendPage); res: 2 = 1 minute, 3 = 1 hour, 4 = 1 day.
CREATE TABLE ts_rollup (
	series_id BIGINT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
	res       SMALLINT NOT NULL,
	start     BIGINT NOT NULL,
	data      BYTES NOT NULL,
	PRIMARY KEY (series_id, res, start)
) WITHOUT_ROWID;

-- The latest point of each series.
CREATE TABLE ts_latest (
	series_id BIGINT NOT NULL PRIMARY KEY REFERENCES series (id) ON DELETE CASCADE,
	t         BIGINT NOT NULL,
	v         DOUBLE PRECISION NOT NULL,
	seq       BIGINT NOT NULL
) WITHOUT_ROWID;

-- Ingest statistics, stored every few seconds by the writer: points in the current and
-- the previous minute (window_start in ns), all points, the last error.
CREATE TABLE ts_stats (
	series_id     BIGINT NOT NULL PRIMARY KEY REFERENCES series (id) ON DELETE CASCADE,
	window_start  BIGINT NOT NULL DEFAULT 0,
	window_n      BIGINT NOT NULL DEFAULT 0,
	prev_n        BIGINT NOT NULL DEFAULT 0,
	total         BIGINT NOT NULL DEFAULT 0,
	last_write    BIGINT NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	last_error_at BIGINT NOT NULL DEFAULT 0
) WITHOUT_ROWID;

-- The last bus message each durable consumer applied, written in the write's
-- transaction, so that a message redelivered after a crash is known as applied.
CREATE TABLE ts_offset (
	consumer TEXT NOT NULL PRIMARY KEY,
	seq      BIGINT NOT NULL
) WITHOUT_ROWID;

-- postgres: CREATE SEQUENCE ts_seq;
-- postgres: ALTER TABLE ts_block ALTER COLUMN data SET STORAGE EXTERNAL;
-- postgres: ALTER TABLE ts_head ALTER COLUMN data SET STORAGE EXTERNAL;
-- postgres: ALTER TABLE ts_rollup ALTER COLUMN data SET STORAGE EXTERNAL;
