-- Proposals (đề xuất) from registered companies against big problems, moderated before
-- publication. Times are UTC text of fixed width, as in 0003, so they compare as text.
-- A problem or account with proposals cannot be deleted: the proposals are the record
-- of what a company offered.

CREATE TABLE proposals (
	id            ID_PK,
	problem_id    BIGINT NOT NULL REFERENCES problems (id),
	user_id       BIGINT NOT NULL REFERENCES users (id),
	-- company: the account's name when it proposed.
	company       TEXT NOT NULL,
	title         TEXT NOT NULL,
	summary       TEXT NOT NULL,
	approach      TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL,
	-- status: submitted, published, rejected, commissioned.
	status        TEXT NOT NULL,
	reject_reason TEXT NOT NULL DEFAULT '',
	moderated_by  TEXT NOT NULL DEFAULT '',
	moderated_at  TEXT,
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
CREATE INDEX proposals_problem_idx ON proposals (problem_id, status);
CREATE INDEX proposals_user_idx ON proposals (user_id);
CREATE INDEX proposals_status_idx ON proposals (status);
