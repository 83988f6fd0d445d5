-- Monitoring I: the figures that do not come from reports, and what judging them needs.
-- A history figure is imported (tinhso import history, POST /api/v1/history) with its
-- citation; dates are yyyy-mm-dd on the time axis (a year's figure on 31 December).
CREATE TABLE history_figures (
	indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	date         TEXT NOT NULL,
	value        DOUBLE PRECISION,
	text         TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL,
	synthetic    INTEGER NOT NULL DEFAULT 0,
	imported_by  TEXT NOT NULL DEFAULT '',
	imported_at  TEXT NOT NULL,
	PRIMARY KEY (indicator_id, date)
) WITHOUT_ROWID;

-- The outside value a reference target compares with, one per indicator and year.
CREATE TABLE reference_values (
	indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	year         INTEGER NOT NULL,
	value        DOUBLE PRECISION NOT NULL,
	source       TEXT NOT NULL,
	entered_by   TEXT NOT NULL DEFAULT '',
	entered_at   TEXT NOT NULL,
	PRIMARY KEY (indicator_id, year)
) WITHOUT_ROWID;

-- A reviewer's class of a qualitative indicator; the latest counts, older ones stay.
CREATE TABLE indicator_reviews (
	id           ID_PK,
	indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	org_unit_id  BIGINT REFERENCES org_units (id),
	class        TEXT NOT NULL,
	reviewer     TEXT NOT NULL,
	reason       TEXT NOT NULL,
	at           TEXT NOT NULL
);
CREATE INDEX indicator_reviews_indicator_idx ON indicator_reviews (indicator_id);

-- Read-only display links of the wall screen: only the token's hash is kept.
CREATE TABLE display_links (
	id          ID_PK,
	name        TEXT NOT NULL,
	token_hash  TEXT NOT NULL UNIQUE,
	created_by  TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	revoked_at  TEXT
);
