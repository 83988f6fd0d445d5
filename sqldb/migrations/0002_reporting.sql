-- Electronic reporting: regimes, periods, submissions with their values, progress and
-- evidence, province figures, the audit log, in-app notifications.

CREATE TABLE regimes (
	id            ID_PK,
	key           TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	content       TEXT NOT NULL DEFAULT '',
	document_id   BIGINT NOT NULL REFERENCES documents (id),
	reporters     TEXT NOT NULL DEFAULT '[]',
	receiver_id   BIGINT REFERENCES org_units (id),
	frequency     TEXT NOT NULL,
	cutoff_day    INTEGER NOT NULL,
	deadline_days INTEGER NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);

CREATE TABLE periods (
	id         ID_PK,
	regime_id  BIGINT NOT NULL REFERENCES regimes (id),
	label      TEXT NOT NULL,
	year       INTEGER NOT NULL,
	number     INTEGER NOT NULL,
	start_date TEXT NOT NULL,
	end_date   TEXT NOT NULL,
	data_from  TEXT NOT NULL,
	data_to    TEXT NOT NULL,
	due        TEXT NOT NULL,
	status     TEXT NOT NULL,
	opened_at  TEXT NOT NULL,
	opened_by  TEXT NOT NULL DEFAULT '',
	UNIQUE (regime_id, year, number)
);

CREATE TABLE submissions (
	id            ID_PK,
	period_id     BIGINT NOT NULL REFERENCES periods (id),
	org_unit_id   BIGINT NOT NULL REFERENCES org_units (id),
	status        TEXT NOT NULL,
	resubmitted   INTEGER NOT NULL DEFAULT 0,
	return_reason TEXT NOT NULL DEFAULT '',
	submitted_at  TEXT,
	approved_at   TEXT,
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	UNIQUE (period_id, org_unit_id)
);
CREATE INDEX submissions_unit_idx ON submissions (org_unit_id);

CREATE TABLE submission_indicators (
	submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
	indicator_id  BIGINT NOT NULL REFERENCES indicators (id),
	PRIMARY KEY (submission_id, indicator_id)
);

CREATE TABLE submission_tasks (
	submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
	task_id       BIGINT NOT NULL REFERENCES tasks (id),
	PRIMARY KEY (submission_id, task_id)
);

CREATE TABLE indicator_values (
	submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
	indicator_id  BIGINT NOT NULL REFERENCES indicators (id),
	number        DOUBLE PRECISION,
	unit          TEXT NOT NULL DEFAULT '',
	text          TEXT NOT NULL DEFAULT '',
	note          TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (submission_id, indicator_id)
);

CREATE TABLE task_progress (
	submission_id    BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
	task_id          BIGINT NOT NULL REFERENCES tasks (id),
	percent          INTEGER,
	done             INTEGER NOT NULL DEFAULT 0,
	deliverable_link TEXT NOT NULL DEFAULT '',
	deliverable_file TEXT NOT NULL DEFAULT '',
	note             TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (submission_id, task_id)
);

CREATE TABLE evidence (
	submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
	hash          TEXT NOT NULL,
	name          TEXT NOT NULL,
	media_type    TEXT NOT NULL,
	size          BIGINT NOT NULL,
	uploaded_by   TEXT NOT NULL,
	uploaded_at   TEXT NOT NULL,
	PRIMARY KEY (submission_id, hash)
);

CREATE TABLE figures (
	period_id    BIGINT NOT NULL REFERENCES periods (id),
	indicator_id BIGINT NOT NULL REFERENCES indicators (id),
	value        DOUBLE PRECISION NOT NULL,
	aggregation  TEXT NOT NULL,
	count        INTEGER NOT NULL,
	submissions  TEXT NOT NULL,
	computed_at  TEXT NOT NULL,
	PRIMARY KEY (period_id, indicator_id)
);

CREATE TABLE audit_log (
	seq       BIGINT PRIMARY KEY,
	at        TEXT NOT NULL,
	actor     TEXT NOT NULL,
	address   TEXT NOT NULL,
	action    TEXT NOT NULL,
	entity    TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	before    TEXT NOT NULL,
	after     TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);

CREATE TABLE notifications (
	id          ID_PK,
	key         TEXT NOT NULL UNIQUE,
	org_unit_id BIGINT REFERENCES org_units (id),
	kind        TEXT NOT NULL,
	message     TEXT NOT NULL,
	link        TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	read_at     TEXT
);
CREATE INDEX notifications_unit_idx ON notifications (org_unit_id);
