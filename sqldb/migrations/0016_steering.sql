-- Directives (ý kiến chỉ đạo) of leaders and the tasks they are assigned as (issue 15).
-- Times are UTC text of fixed width, as in 0003; dates are yyyy-mm-dd text. The leader
-- is a username: a directive stays the leader's record when the account is disabled.

CREATE TABLE directives (
	id            ID_PK,
	-- source_kind: meeting, conclusion, document.
	source_kind   TEXT NOT NULL,
	source_number TEXT NOT NULL DEFAULT '',
	source_date   TEXT NOT NULL,
	source_signer TEXT NOT NULL DEFAULT '',
	text          TEXT NOT NULL,
	leader        TEXT NOT NULL,
	issued_by     TEXT NOT NULL,
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
CREATE INDEX directives_leader_idx ON directives (leader);

CREATE TABLE directive_tasks (
	id                ID_PK,
	directive_id      BIGINT NOT NULL REFERENCES directives (id),
	-- lead: an org unit's code; co_operating: a JSON array of codes.
	lead              TEXT NOT NULL,
	co_operating      TEXT NOT NULL DEFAULT '[]',
	deadline          TEXT NOT NULL,
	original_deadline TEXT NOT NULL,
	product           TEXT NOT NULL,
	-- stage: assigned, acknowledged, in_progress, extension_asked, extension_granted,
	-- extension_refused, submitted, confirmed, returned ("late" is computed).
	stage             TEXT NOT NULL,
	progress          TEXT NOT NULL DEFAULT '',
	acknowledged_at   TEXT,
	extension_reason  TEXT NOT NULL DEFAULT '',
	extension_date    TEXT NOT NULL DEFAULT '',
	extensions        INTEGER NOT NULL DEFAULT 0,
	product_note      TEXT NOT NULL DEFAULT '',
	submitted_at      TEXT,
	confirmed_at      TEXT,
	return_reason     TEXT NOT NULL DEFAULT '',
	-- on_time: 1 or 0 once confirmed.
	on_time           INTEGER,
	version           INTEGER NOT NULL DEFAULT 1,
	updated_at        TEXT NOT NULL
);
CREATE INDEX directive_tasks_directive_idx ON directive_tasks (directive_id);
CREATE INDEX directive_tasks_lead_idx ON directive_tasks (lead);
CREATE INDEX directive_tasks_deadline_idx ON directive_tasks (deadline);
