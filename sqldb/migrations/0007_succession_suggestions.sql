-- Suggested successions (issue 9): reorganisations the documents point at but do not
-- decide. They change nothing until an admin confirms one with the decision that made
-- it; the confirmation records a succession (succession_key). Org units are named by
-- code in JSON (checked when confirmed); evidence is a JSON list of {span, text}.

CREATE TABLE succession_suggestions (
	id             ID_PK,
	key            TEXT NOT NULL UNIQUE,
	kind           TEXT NOT NULL,
	effective      TEXT NOT NULL,
	citation       TEXT NOT NULL,
	note           TEXT NOT NULL DEFAULT '',
	from_codes     TEXT NOT NULL,
	to_codes       TEXT NOT NULL,
	evidence       TEXT NOT NULL,
	state          TEXT NOT NULL DEFAULT 'suggested',
	decision       TEXT NOT NULL DEFAULT '',
	decision_date  TEXT NOT NULL DEFAULT '',
	succession_key TEXT NOT NULL DEFAULT '',
	decided_by     TEXT NOT NULL DEFAULT '',
	decided_at     TEXT NOT NULL DEFAULT '',
	created_at     TEXT NOT NULL
);
