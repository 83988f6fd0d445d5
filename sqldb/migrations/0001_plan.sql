-- The plan registry. Portable SQL: SQLite and PostgreSQL both accept it once the
-- dialect has replaced ID_PK (see dialect.go). Dates and times are ISO-8601 text.

CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE seed_loads (
	name      TEXT PRIMARY KEY,
	checksum  TEXT NOT NULL,
	loaded_at TEXT NOT NULL
);

CREATE TABLE documents (
	id          ID_PK,
	slug        TEXT NOT NULL UNIQUE,
	kind        TEXT NOT NULL,
	number      TEXT NOT NULL DEFAULT '',
	title       TEXT NOT NULL,
	issued      TEXT NOT NULL DEFAULT '',
	issuer      TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	source_file TEXT NOT NULL DEFAULT '',
	source_span TEXT NOT NULL DEFAULT '',
	source_text TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
CREATE INDEX documents_number_idx ON documents (number);

CREATE TABLE org_units (
	id          ID_PK,
	code        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	parent_id   BIGINT REFERENCES org_units (id),
	member_kind TEXT NOT NULL DEFAULT '',
	dissolved   TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT '',
	synthetic   INTEGER NOT NULL DEFAULT 0,
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
CREATE INDEX org_units_parent_idx ON org_units (parent_id);
CREATE INDEX org_units_kind_idx ON org_units (kind);

CREATE TABLE org_unit_aliases (
	org_unit_id BIGINT NOT NULL REFERENCES org_units (id) ON DELETE CASCADE,
	alias       TEXT NOT NULL,
	PRIMARY KEY (org_unit_id, alias)
);
CREATE INDEX org_unit_aliases_alias_idx ON org_unit_aliases (alias);

CREATE TABLE org_unit_members (
	group_id  BIGINT NOT NULL REFERENCES org_units (id) ON DELETE CASCADE,
	member_id BIGINT NOT NULL REFERENCES org_units (id),
	PRIMARY KEY (group_id, member_id)
);
CREATE INDEX org_unit_members_member_idx ON org_unit_members (member_id);

CREATE TABLE successions (
	id          ID_PK,
	key         TEXT NOT NULL UNIQUE,
	kind        TEXT NOT NULL,
	effective   TEXT NOT NULL,
	citation    TEXT NOT NULL,
	note        TEXT NOT NULL DEFAULT '',
	source_file TEXT NOT NULL DEFAULT '',
	source_span TEXT NOT NULL DEFAULT '',
	source_text TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL
);

CREATE TABLE succession_units (
	succession_id BIGINT NOT NULL REFERENCES successions (id) ON DELETE CASCADE,
	side          TEXT NOT NULL,
	position      INTEGER NOT NULL,
	org_unit_id   BIGINT NOT NULL REFERENCES org_units (id),
	PRIMARY KEY (succession_id, side, position)
);
CREATE INDEX succession_units_unit_idx ON succession_units (org_unit_id);

CREATE TABLE measures (
	id         ID_PK,
	key        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	unit       TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);

CREATE TABLE indicators (
	id            ID_PK,
	key           TEXT NOT NULL UNIQUE,
	document_id   BIGINT NOT NULL REFERENCES documents (id),
	code          TEXT NOT NULL,
	parent_code   TEXT NOT NULL DEFAULT '',
	name          TEXT NOT NULL,
	unit          TEXT NOT NULL DEFAULT '',
	unit_cell     TEXT NOT NULL DEFAULT '',
	target_text   TEXT NOT NULL DEFAULT '',
	horizon       INTEGER NOT NULL DEFAULT 0,
	agencies_text TEXT NOT NULL DEFAULT '',
	measure_id    BIGINT REFERENCES measures (id),
	baseline      TEXT NOT NULL DEFAULT '',
	aggregation   TEXT NOT NULL DEFAULT '',
	note          TEXT NOT NULL DEFAULT '',
	flags         TEXT NOT NULL DEFAULT '[]',
	spans         TEXT NOT NULL DEFAULT '{}',
	source_file   TEXT NOT NULL DEFAULT '',
	source_span   TEXT NOT NULL DEFAULT '',
	source_text   TEXT NOT NULL DEFAULT '',
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	UNIQUE (document_id, code)
);
CREATE INDEX indicators_measure_idx ON indicators (measure_id);
CREATE INDEX indicators_horizon_idx ON indicators (horizon);

CREATE TABLE indicator_agencies (
	indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	org_unit_id  BIGINT NOT NULL REFERENCES org_units (id),
	PRIMARY KEY (indicator_id, position)
);
CREATE INDEX indicator_agencies_unit_idx ON indicator_agencies (org_unit_id);

CREATE TABLE tasks (
	id               ID_PK,
	key              TEXT NOT NULL UNIQUE,
	document_id      BIGINT NOT NULL REFERENCES documents (id),
	number           TEXT NOT NULL,
	section          TEXT NOT NULL DEFAULT '',
	section_title    TEXT NOT NULL DEFAULT '',
	title            TEXT NOT NULL,
	lead_text        TEXT NOT NULL DEFAULT '',
	cooperating_text TEXT NOT NULL DEFAULT '',
	deliverable      TEXT NOT NULL DEFAULT '',
	deadline_text    TEXT NOT NULL DEFAULT '',
	due_date         TEXT,
	recurrence       TEXT NOT NULL DEFAULT '',
	unassigned       INTEGER NOT NULL DEFAULT 0,
	note             TEXT NOT NULL DEFAULT '',
	flags            TEXT NOT NULL DEFAULT '[]',
	spans            TEXT NOT NULL DEFAULT '{}',
	source_file      TEXT NOT NULL DEFAULT '',
	source_span      TEXT NOT NULL DEFAULT '',
	source_text      TEXT NOT NULL DEFAULT '',
	version          INTEGER NOT NULL DEFAULT 1,
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	UNIQUE (document_id, number)
);
CREATE INDEX tasks_due_idx ON tasks (due_date);
CREATE INDEX tasks_section_idx ON tasks (document_id, section);

CREATE TABLE task_agencies (
	task_id     BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	role        TEXT NOT NULL,
	position    INTEGER NOT NULL,
	org_unit_id BIGINT NOT NULL REFERENCES org_units (id),
	PRIMARY KEY (task_id, role, position)
);
CREATE INDEX task_agencies_unit_idx ON task_agencies (org_unit_id, role);

CREATE TABLE problems (
	id               ID_PK,
	key              TEXT NOT NULL UNIQUE,
	document_id      BIGINT NOT NULL REFERENCES documents (id),
	province         TEXT NOT NULL,
	number           INTEGER NOT NULL,
	title            TEXT NOT NULL,
	basis            TEXT NOT NULL DEFAULT '',
	expected_results TEXT NOT NULL DEFAULT '',
	status           TEXT NOT NULL DEFAULT 'open',
	note             TEXT NOT NULL DEFAULT '',
	spans            TEXT NOT NULL DEFAULT '{}',
	source_file      TEXT NOT NULL DEFAULT '',
	source_span      TEXT NOT NULL DEFAULT '',
	source_text      TEXT NOT NULL DEFAULT '',
	version          INTEGER NOT NULL DEFAULT 1,
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	UNIQUE (document_id, number)
);
CREATE INDEX problems_province_idx ON problems (province);

CREATE TABLE funding_lines (
	id                 ID_PK,
	key                TEXT NOT NULL UNIQUE,
	document_id        BIGINT NOT NULL REFERENCES documents (id),
	parent_id          BIGINT REFERENCES funding_lines (id),
	label              TEXT NOT NULL,
	amount_million_vnd BIGINT NOT NULL,
	amount_text        TEXT NOT NULL DEFAULT '',
	source_file        TEXT NOT NULL DEFAULT '',
	source_span        TEXT NOT NULL DEFAULT '',
	source_text        TEXT NOT NULL DEFAULT '',
	created_at         TEXT NOT NULL
);
