-- Digital-transformation assessment (issue 14): frameworks and their versions, people
-- as records of their org unit, rounds, subjects with their self-assessments, entries
-- per criterion and evidence files. A version's tree is one JSON document (nodes): it
-- is edited, checked and frozen as a whole, and read whole to score. A round's results
-- are stored as JSON when it is approved, so what was published stays as it was when
-- the facts feeding data-fed criteria move on. Org units are named by code, as alerts
-- name them. Times are UTC text, as in 0003.

CREATE TABLE frameworks (
	id           ID_PK,
	slug         TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	subject_kind TEXT NOT NULL,
	template     INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);

CREATE TABLE framework_versions (
	id           ID_PK,
	framework_id BIGINT NOT NULL REFERENCES frameworks (id),
	number       INTEGER NOT NULL,
	status       TEXT NOT NULL,
	total        DOUBLE PRECISION NOT NULL,
	nodes        TEXT NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	published_at TEXT,
	published_by TEXT NOT NULL DEFAULT '',
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	UNIQUE (framework_id, number)
);

-- people: heads of agencies and officials, kept by their unit's admin; an account is
-- optional.
CREATE TABLE people (
	id         ID_PK,
	org_unit   TEXT NOT NULL,
	name       TEXT NOT NULL,
	position   TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL,
	user_id    BIGINT REFERENCES users (id),
	created_at TEXT NOT NULL
);
CREATE INDEX people_unit_idx ON people (org_unit);

CREATE TABLE assessment_rounds (
	id           ID_PK,
	name         TEXT NOT NULL,
	year         INTEGER NOT NULL,
	version_id   BIGINT NOT NULL REFERENCES framework_versions (id),
	deadline     TEXT NOT NULL,
	status       TEXT NOT NULL,
	results      TEXT,
	approved_at  TEXT,
	published_at TEXT,
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
CREATE INDEX assessment_rounds_version_idx ON assessment_rounds (version_id, year);

-- assessment_subjects: a subject of a round and its self-assessment (one each).
-- ref is unit:<code>, person:<id> or business:<user id>.
CREATE TABLE assessment_subjects (
	id           ID_PK,
	round_id     BIGINT NOT NULL REFERENCES assessment_rounds (id),
	kind         TEXT NOT NULL,
	ref          TEXT NOT NULL,
	org_unit     TEXT NOT NULL DEFAULT '',
	person_id    BIGINT REFERENCES people (id),
	business_id  BIGINT REFERENCES users (id),
	name         TEXT NOT NULL,
	position     TEXT NOT NULL DEFAULT '',
	status       TEXT NOT NULL,
	returns      INTEGER NOT NULL DEFAULT 0,
	submitted_at TEXT,
	approved_at  TEXT,
	version      INTEGER NOT NULL DEFAULT 1,
	updated_at   TEXT NOT NULL,
	UNIQUE (round_id, ref)
);
CREATE INDEX assessment_subjects_ref_idx ON assessment_subjects (ref);

CREATE TABLE assessment_entries (
	subject_id  BIGINT NOT NULL REFERENCES assessment_subjects (id),
	criterion   TEXT NOT NULL,
	value       DOUBLE PRECISION,
	note        TEXT NOT NULL DEFAULT '',
	decision    TEXT NOT NULL DEFAULT '',
	reviewed    DOUBLE PRECISION,
	reason      TEXT NOT NULL DEFAULT '',
	reviewed_by TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (subject_id, criterion)
) WITHOUT_ROWID;

CREATE TABLE assessment_evidence (
	subject_id  BIGINT NOT NULL REFERENCES assessment_subjects (id),
	criterion   TEXT NOT NULL,
	hash        TEXT NOT NULL,
	name        TEXT NOT NULL,
	media_type  TEXT NOT NULL,
	size        BIGINT NOT NULL,
	uploaded_by TEXT NOT NULL,
	uploaded_at TEXT NOT NULL,
	PRIMARY KEY (subject_id, criterion, hash)
) WITHOUT_ROWID;
