-- Alerts (issue 11): rules, alerts and their history, silences, webhooks, the users'
-- notification choices, the outbox and its deliveries, supervising leaders, leases.
-- Org units are named by code (alerts outlive units). Times are UTC text; durations
-- whole seconds; JSON columns hold messages and reasons as the API writes them.

CREATE TABLE alert_rules (
	id                 ID_PK,
	key                TEXT NOT NULL UNIQUE,
	name               TEXT NOT NULL,
	kind               TEXT NOT NULL,
	severity           TEXT NOT NULL,
	builtin            INTEGER NOT NULL DEFAULT 0,
	enabled            INTEGER NOT NULL DEFAULT 1,
	document           TEXT NOT NULL DEFAULT '',
	org_unit           TEXT NOT NULL DEFAULT '',
	indicator          TEXT NOT NULL DEFAULT '',
	subject            TEXT NOT NULL DEFAULT '',
	op                 TEXT NOT NULL DEFAULT '',
	threshold          DOUBLE PRECISION,
	eval_seconds       BIGINT NOT NULL,
	repeat_seconds     BIGINT NOT NULL,
	escalation_seconds BIGINT NOT NULL,
	evaluated_at       TEXT NOT NULL DEFAULT '',
	version            INTEGER NOT NULL DEFAULT 1,
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL
);

CREATE TABLE alerts (
	id               ID_PK,
	key              TEXT NOT NULL UNIQUE,
	rule             TEXT NOT NULL,
	kind             TEXT NOT NULL,
	severity         TEXT NOT NULL,
	state            TEXT NOT NULL,
	silenced         TEXT NOT NULL DEFAULT '',
	inhibited        INTEGER NOT NULL DEFAULT 0,
	org_unit         TEXT NOT NULL DEFAULT '',
	subject_kind     TEXT NOT NULL,
	subject_key      TEXT NOT NULL,
	subject_title    TEXT NOT NULL DEFAULT '',
	message          TEXT NOT NULL,
	reasons          TEXT NOT NULL DEFAULT '[]',
	opened_at        TEXT NOT NULL,
	acknowledged_at  TEXT,
	acknowledged_by  TEXT NOT NULL DEFAULT '',
	resolved_at      TEXT,
	resolved_by      TEXT NOT NULL DEFAULT '',
	escalation_level INTEGER NOT NULL DEFAULT 0,
	escalated_at     TEXT NOT NULL,
	notified_at      TEXT,
	reopened         INTEGER NOT NULL DEFAULT 0,
	version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX alerts_state_idx ON alerts (state);
CREATE INDEX alerts_unit_idx ON alerts (org_unit);

CREATE TABLE alert_events (
	id       ID_PK,
	alert_id BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
	at       TEXT NOT NULL,
	kind     TEXT NOT NULL,
	actor    TEXT NOT NULL DEFAULT '',
	level    INTEGER NOT NULL DEFAULT 0,
	note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_events_alert_idx ON alert_events (alert_id);

CREATE TABLE silences (
	id             ID_PK,
	alert_id       BIGINT REFERENCES alerts (id) ON DELETE CASCADE,
	rule           TEXT NOT NULL DEFAULT '',
	org_unit       TEXT NOT NULL DEFAULT '',
	subject        TEXT NOT NULL DEFAULT '',
	ends_at        TEXT,
	until_resolved INTEGER NOT NULL DEFAULT 0,
	reason         TEXT NOT NULL,
	created_by     TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	ended_at       TEXT
);

-- secret: sealed with TINHSO_SECRET_KEY (package secret), never the secret itself.
CREATE TABLE webhooks (
	id           ID_PK,
	name         TEXT NOT NULL,
	url          TEXT NOT NULL,
	secret       TEXT NOT NULL DEFAULT '',
	min_severity TEXT NOT NULL,
	org_unit     TEXT NOT NULL DEFAULT '',
	enabled      INTEGER NOT NULL DEFAULT 1,
	version      INTEGER NOT NULL DEFAULT 1,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);

CREATE TABLE notify_prefs (
	user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	inapp        INTEGER NOT NULL,
	email        INTEGER NOT NULL,
	min_severity TEXT NOT NULL
);

-- One row per notification and recipient and channel; key makes a second sweep write
-- nothing. delivery_id: the digest that took it.
CREATE TABLE outbox (
	id          ID_PK,
	key         TEXT NOT NULL UNIQUE,
	alert_id    BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
	event       TEXT NOT NULL,
	level       INTEGER NOT NULL,
	recipient   TEXT NOT NULL,
	channel     TEXT NOT NULL,
	severity    TEXT NOT NULL,
	message     TEXT NOT NULL,
	link        TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	delivery_id BIGINT
);
CREATE INDEX outbox_pending_idx ON outbox (delivery_id);

CREATE TABLE deliveries (
	id           ID_PK,
	channel      TEXT NOT NULL,
	recipient    TEXT NOT NULL,
	items        TEXT NOT NULL,
	state        TEXT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_at      TEXT NOT NULL,
	last_status  INTEGER NOT NULL DEFAULT 0,
	last_error   TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	delivered_at TEXT
);
CREATE INDEX deliveries_due_idx ON deliveries (state, next_at);

CREATE TABLE supervising_leaders (
	org_unit TEXT PRIMARY KEY,
	user_id  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE
);

CREATE TABLE leases (
	name   TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	until  TEXT NOT NULL
);
