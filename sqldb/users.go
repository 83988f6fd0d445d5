package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// Accounts: users, sessions and API tokens (migration 0003).

// authStampFormat writes the times of the account tables with a fixed width, so that
// they compare as text in time order (RFC 3339 with a trimmed fraction does not).
const authStampFormat = "2006-01-02T15:04:05.000000Z07:00"

func authStamp(t time.Time) string { return t.UTC().Format(authStampFormat) }

func nullStamp(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return authStamp(*t)
}

func scanNullStamp(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := parseStamp(s.String)
	return &t
}

const userCols = "u.id, u.username, u.name, u.email, u.role, COALESCE(o.code, ''), COALESCE(o.dissolved, ''), u.verified, u.disabled, u.must_change_password, u.password_hash, u.version, u.created_at, u.updated_at"
const userFrom = " FROM users u LEFT JOIN org_units o ON o.id = u.org_unit_id"

func scanUser(s interface{ Scan(...any) error }) (*tinhso.User, string, error) {
	u := &tinhso.User{}
	var verified, disabled, must int
	var hash, ca, ua string
	if err := s.Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &u.OrgUnit, &u.OrgUnitDissolved, &verified, &disabled, &must, &hash, &u.Version, &ca, &ua); err != nil {
		return nil, "", err
	}
	u.Verified, u.Disabled, u.MustChangePassword = verified != 0, disabled != 0, must != 0
	u.CreatedAt, u.UpdatedAt = parseStamp(ca), parseStamp(ua)
	return u, hash, nil
}

// userOrgUnit resolves a user's org-unit code to its id (nil for none).
func userOrgUnit(ctx context.Context, tx *Tx, code string) (any, error) {
	if code == "" {
		return nil, nil
	}
	var id int64
	var kind, dissolved string
	if err := tx.queryRow(ctx, `SELECT id, kind, dissolved FROM org_units WHERE code = ?`, code).Scan(&id, &kind, &dissolved); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, tinhso.Invalid("org_unit", "err.orgunit.unknown", code)
		}
		return nil, err
	}
	// Accounts belong to a unit that can act: a group reports through its members, and
	// a unit that no longer exists reports no more.
	if kind == tinhso.KindGroup {
		return nil, tinhso.Invalid("org_unit", "err.user.group_unit", code)
	}
	if dissolved != "" && tinhso.PartialDateStart(dissolved) <= tx.now.Format("2006-01-02") {
		return nil, tinhso.Invalid("org_unit", "err.user.gone_unit", code, tinhso.Date(dissolved))
	}
	return id, nil
}

// CountUsers counts the accounts.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.readTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	})
	return n, err
}

// FindUsers lists users by username.
func (db *DB) FindUsers(ctx context.Context, f tinhso.UserFilter) ([]*tinhso.User, int, error) {
	var out []*tinhso.User
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Role != "" {
			w.add("u.role = ?", f.Role)
		}
		if f.OrgUnit != "" {
			w.add("o.code = ?", f.OrgUnit)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*)`+userFrom+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		rows, err := tx.query(ctx, `SELECT `+userCols+userFrom+w.String()+` ORDER BY `+tx.db.dialect.byteOrder("u.username")+lim, append(w.args, largs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, _, err := scanUser(rows)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, total, err
}

// FindUser returns a user by id.
func (db *DB) FindUser(ctx context.Context, id int64) (*tinhso.User, error) {
	var u *tinhso.User
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		u, _, err = scanUser(tx.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.id = ?`, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.user.not_found", id)
	}
	return u, err
}

// FindUserByUsername returns a user and its password hash by username.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*tinhso.User, string, error) {
	var u *tinhso.User
	var hash string
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		u, hash, err = scanUser(tx.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.username = ?`, username))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", tinhso.Errorf(tinhso.ENOTFOUND, "err.user.not_found_name", username)
	}
	return u, hash, err
}

// CreateUser stores a new user with a password hash.
func (db *DB) CreateUser(ctx context.Context, u *tinhso.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		unit, err := userOrgUnit(ctx, tx, u.OrgUnit)
		if err != nil {
			return err
		}
		now := authStamp(tx.now)
		id, err := tx.insert(ctx, `INSERT INTO users (username, name, email, role, org_unit_id, verified, disabled, must_change_password, password_hash, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, u.Username, u.Name, u.Email, u.Role, unit,
			boolInt(u.Verified), boolInt(u.Disabled), boolInt(u.MustChangePassword), passwordHash, now, now)
		if err != nil {
			return tx.db.dialect.mapError(err, tinhso.M("what.user_named", u.Username))
		}
		u.ID, u.Version = id, 1
		u.CreatedAt, u.UpdatedAt = parseStamp(now), parseStamp(now)
		tx.audit(ctx, "user.create", "user", u.Username, nil, u)
		return tx.queryRow(ctx, `SELECT COALESCE(o.dissolved, '')`+userFrom+` WHERE u.id = ?`, id).Scan(&u.OrgUnitDissolved)
	})
}

// UpdateUser writes a user's name, email, role, org unit, verified and disabled flags.
func (db *DB) UpdateUser(ctx context.Context, u *tinhso.User, version int) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		var current, role string
		var disabled int
		if err := tx.queryRow(ctx, `SELECT username, role, disabled FROM users WHERE id = ?`, u.ID).Scan(&current, &role, &disabled); err != nil {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.user.not_found", u.ID)
		}
		before, _, _ := scanUser(tx.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.id = ?`, u.ID))
		if current != u.Username {
			return tinhso.Invalid("username", "err.user.rename", current)
		}
		unit, err := userOrgUnit(ctx, tx, u.OrgUnit)
		if err != nil {
			return err
		}
		if err := claimVersion(ctx, tx, "users", u.ID, version, tinhso.M("what.user")); err != nil {
			return err
		}
		now := authStamp(tx.now)
		if _, err := tx.exec(ctx, `UPDATE users SET name = ?, email = ?, role = ?, org_unit_id = ?, verified = ?, disabled = ?, updated_at = ? WHERE id = ?`,
			u.Name, u.Email, u.Role, unit, boolInt(u.Verified), boolInt(u.Disabled), now, u.ID); err != nil {
			return tx.db.dialect.mapError(err, tinhso.M("what.the_user"))
		}
		if role == tinhso.RoleAdmin && disabled == 0 && (u.Role != tinhso.RoleAdmin || u.Disabled) {
			if err := requireAnAdmin(ctx, tx); err != nil {
				return err
			}
		}
		if u.Disabled {
			if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
		}
		var v int
		var ca string
		if err := tx.queryRow(ctx, `SELECT u.version, u.created_at, COALESCE(o.dissolved, '')`+userFrom+` WHERE u.id = ?`, u.ID).Scan(&v, &ca, &u.OrgUnitDissolved); err != nil {
			return err
		}
		u.Version, u.CreatedAt, u.UpdatedAt = v, parseStamp(ca), parseStamp(now)
		tx.audit(ctx, "user.update", "user", u.Username, before, u)
		return nil
	})
}

// requireAnAdmin refuses a change that leaves no enabled admin, who alone could undo it.
func requireAnAdmin(ctx context.Context, tx *Tx) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0`, tinhso.RoleAdmin).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return tinhso.Errorf(tinhso.ECONFLICT, "err.user.last_admin")
	}
	return nil
}

// SetPassword replaces a user's password hash and must-change flag, and ends the user's
// sessions but keepSession; with revokeTokens, the user's API tokens not yet revoked are
// revoked now (the audit record counts them).
func (db *DB) SetPassword(ctx context.Context, userID int64, hash string, mustChange bool, keepSession string, revokeTokens bool) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			hash, boolInt(mustChange), authStamp(tx.now), userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.user.not_found", userID)
		}
		if _, err = tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, keepSession); err != nil {
			return err
		}
		after := map[string]any{"must_change_password": mustChange}
		if revokeTokens {
			res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, authStamp(tx.now), userID)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			after["tokens_revoked"] = n
		}
		tx.audit(ctx, "user.password", "user", itoa(int(userID)), nil, after)
		return nil
	})
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, s *tinhso.Session) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.UserID, s.CSRFToken, authStamp(s.CreatedAt), authStamp(s.LastSeenAt), authStamp(s.ExpiresAt), s.IP, s.UserAgent)
		if err != nil {
			return tx.db.dialect.mapError(err, tinhso.M("what.the_session"))
		}
		// A sign-in: recorded as the user, from the session's address.
		var name string
		if err := tx.queryRow(ctx, `SELECT username FROM users WHERE id = ?`, s.UserID).Scan(&name); err != nil {
			return err
		}
		tx.audit(tinhso.WithActor(ctx, tinhso.Actor{Username: name, Address: s.IP}), "session.login", "user", name, nil, map[string]any{"user_agent": s.UserAgent})
		return nil
	})
}

// FindSession returns a session and its user.
func (db *DB) FindSession(ctx context.Context, id string) (*tinhso.Session, *tinhso.User, error) {
	s := &tinhso.Session{}
	var u *tinhso.User
	err := db.readTx(ctx, func(tx *Tx) error {
		var ca, ls, ex string
		if err := tx.queryRow(ctx, `SELECT id, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent FROM sessions WHERE id = ?`, id).
			Scan(&s.ID, &s.UserID, &s.CSRFToken, &ca, &ls, &ex, &s.IP, &s.UserAgent); err != nil {
			return err
		}
		s.CreatedAt, s.LastSeenAt, s.ExpiresAt = parseStamp(ca), parseStamp(ls), parseStamp(ex)
		var err error
		u, _, err = scanUser(tx.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.id = ?`, s.UserID))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.session.not_found")
	}
	if err != nil {
		return nil, nil, err
	}
	return s, u, nil
}

// TouchSession records a session's use and moves its idle expiry.
func (db *DB) TouchSession(ctx context.Context, id string, lastSeen, expires time.Time) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`, authStamp(lastSeen), authStamp(expires), id)
		return err
	})
}

// DeleteSession ends a session; ending one that is gone is no error.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
		return err
	})
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		return err
	})
}

// DeleteExpiredSessions removes the sessions that expired before a time.
func (db *DB) DeleteExpiredSessions(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at < ?`, authStamp(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

const apiTokenCols = "t.id, t.user_id, u.username, t.name, t.token_hash, t.scopes, t.created_at, t.last_used_at, t.expires_at, t.revoked_at"
const apiTokenFrom = " FROM api_tokens t JOIN users u ON u.id = t.user_id"

func scanAPIToken(s interface{ Scan(...any) error }) (*tinhso.APIToken, error) {
	t := &tinhso.APIToken{}
	var scopes, ca string
	var lu, ex, rv sql.NullString
	if err := s.Scan(&t.ID, &t.UserID, &t.Username, &t.Name, &t.Hash, &scopes, &ca, &lu, &ex, &rv); err != nil {
		return nil, err
	}
	t.Scopes = strings.Fields(scopes)
	t.CreatedAt = parseStamp(ca)
	t.LastUsedAt, t.ExpiresAt, t.RevokedAt = scanNullStamp(lu), scanNullStamp(ex), scanNullStamp(rv)
	return t, nil
}

// CreateAPIToken stores a new token (its hash, never the token).
func (db *DB) CreateAPIToken(ctx context.Context, t *tinhso.APIToken) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if len(t.Hash) != 64 {
		return tinhso.Invalid("token", "err.token.hash")
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		now := authStamp(tx.now)
		id, err := tx.insert(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			t.UserID, t.Name, t.Hash, strings.Join(t.Scopes, " "), now, nullStamp(t.ExpiresAt))
		if err != nil {
			return tx.db.dialect.mapError(err, tinhso.M("what.the_token"))
		}
		t.ID, t.CreatedAt = id, parseStamp(now)
		if err := tx.queryRow(ctx, `SELECT username FROM users WHERE id = ?`, t.UserID).Scan(&t.Username); err != nil {
			return err
		}
		tx.audit(ctx, "token.create", "token", itoa(int(id)), nil, map[string]any{"user": t.Username, "name": t.Name, "scopes": t.Scopes, "expires_at": t.ExpiresAt})
		return nil
	})
}

// FindAPITokens lists a user's tokens, newest first.
func (db *DB) FindAPITokens(ctx context.Context, userID int64) ([]*tinhso.APIToken, error) {
	var out []*tinhso.APIToken
	err := db.readTx(ctx, func(tx *Tx) error {
		list, err := queryAll(ctx, tx, scanAPIToken, `SELECT `+apiTokenCols+apiTokenFrom+` WHERE t.user_id = ? ORDER BY t.id DESC`, userID)
		out = list
		return err
	})
	return out, err
}

// FindAPIToken returns a token by id.
func (db *DB) FindAPIToken(ctx context.Context, id int64) (*tinhso.APIToken, error) {
	var t *tinhso.APIToken
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		t, err = scanAPIToken(tx.queryRow(ctx, `SELECT `+apiTokenCols+apiTokenFrom+` WHERE t.id = ?`, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.token.not_found", id)
	}
	return t, err
}

// FindAPITokenByHash returns a token and its user by the token's hash.
func (db *DB) FindAPITokenByHash(ctx context.Context, hash string) (*tinhso.APIToken, *tinhso.User, error) {
	var t *tinhso.APIToken
	var u *tinhso.User
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		if t, err = scanAPIToken(tx.queryRow(ctx, `SELECT `+apiTokenCols+apiTokenFrom+` WHERE t.token_hash = ?`, hash)); err != nil {
			return err
		}
		u, _, err = scanUser(tx.queryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.id = ?`, t.UserID))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.token.unknown")
	}
	if err != nil {
		return nil, nil, err
	}
	return t, u, nil
}

// TouchAPIToken records a token's use.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, authStamp(at), id)
		return err
	})
}

// RevokeAPIToken revokes a token; revoking one revoked already keeps the first time.
func (db *DB) RevokeAPIToken(ctx context.Context, id int64, at time.Time) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, authStamp(at), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.token.not_found", id)
		}
		tx.audit(ctx, "token.revoke", "token", itoa(int(id)), nil, nil)
		return nil
	})
}

var _ tinhso.UserStore = (*DB)(nil)
