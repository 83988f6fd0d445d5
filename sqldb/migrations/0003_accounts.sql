-- Accounts: users, browser sessions and API tokens. Portable SQL (see dialect.go).
-- Times are UTC text of fixed width (2006-01-02T15:04:05.000000Z), so they compare as
-- text in time order. Booleans are 0/1 integers.

CREATE TABLE users (
	id                   ID_PK,
	username             TEXT NOT NULL UNIQUE,
	name                 TEXT NOT NULL,
	email                TEXT NOT NULL DEFAULT '',
	role                 TEXT NOT NULL,
	org_unit_id          BIGINT REFERENCES org_units (id),
	verified             INTEGER NOT NULL DEFAULT 0,
	disabled             INTEGER NOT NULL DEFAULT 0,
	must_change_password INTEGER NOT NULL DEFAULT 0,
	-- argon2id in PHC string format; '' : no password, cannot sign in.
	password_hash        TEXT NOT NULL DEFAULT '',
	version              INTEGER NOT NULL DEFAULT 1,
	created_at           TEXT NOT NULL,
	updated_at           TEXT NOT NULL
);
CREATE INDEX users_org_unit_idx ON users (org_unit_id);
CREATE INDEX users_role_idx ON users (role);

-- A session's id is the SHA-256 (hex) of the cookie's random token: the token itself
-- is stored nowhere.
CREATE TABLE sessions (
	id           TEXT PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf_token   TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	last_seen_at TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- scopes: the actions the token may do, separated by spaces ("all": every action the
-- user's role allows).
CREATE TABLE api_tokens (
	id           ID_PK,
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	token_hash   TEXT NOT NULL UNIQUE,
	scopes       TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	last_used_at TEXT,
	expires_at   TEXT,
	revoked_at   TEXT
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
