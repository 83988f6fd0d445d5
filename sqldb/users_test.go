package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

func mustUnits(t *testing.T, db *sqldb.DB, units ...*tinhso.OrgUnit) {
	t.Helper()
	if _, _, err := db.ImportOrgUnits(context.Background(), units, tinhso.OrgUnitImport{}); err != nil {
		t.Fatal(err)
	}
}

// Users are stored with an argon2id hash, never the password; usernames are unique,
// org units must exist, a stale version is refused, and the last admin stays.
func TestUsers(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.Open(t, engine)
		mustUnits(t, db, &tinhso.OrgUnit{Code: "so-a", Name: "Sở A", Kind: tinhso.KindDepartment},
			&tinhso.OrgUnit{Code: "xa-cu", Name: "Xã Cũ", Kind: tinhso.KindCommune})
		if n, err := db.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("count on an empty database: %d %v", n, err)
		}
		const password = "correct horse battery"
		hash, err := credential.HashPassword(password)
		if err != nil {
			t.Fatal(err)
		}
		admin := &tinhso.User{Username: "admin", Name: "Admin", Role: tinhso.RoleAdmin, MustChangePassword: true}
		if err := db.CreateUser(ctx, admin, hash); err != nil {
			t.Fatal(err)
		}
		rep := &tinhso.User{Username: "so-a.reporter", Name: "Cán bộ Sở A", Role: tinhso.RoleReporter, OrgUnit: "so-a"}
		if err := db.CreateUser(ctx, rep, hash); err != nil {
			t.Fatal(err)
		}
		got, stored, err := db.FindUserByUsername(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(stored, "$argon2id$v=19$m=") || strings.Contains(stored, password) || !credential.VerifyPassword(stored, password) || credential.VerifyPassword(stored, "wrong password!") {
			t.Errorf("stored hash %q is not an argon2id hash of the password", stored)
		}
		if !got.MustChangePassword || got.ID != admin.ID || got.Version != 1 {
			t.Errorf("admin read back: %+v", got)
		}

		bad := []struct {
			name string
			u    tinhso.User
			code string
		}{
			{"duplicate username", tinhso.User{Username: "admin", Name: "X", Role: tinhso.RoleLeader}, tinhso.ECONFLICT},
			{"unknown org unit", tinhso.User{Username: "x1", Name: "X", Role: tinhso.RoleReporter, OrgUnit: "khong-co"}, tinhso.EINVALID},
			{"reporter without unit", tinhso.User{Username: "x2", Name: "X", Role: tinhso.RoleReporter}, tinhso.EINVALID},
			{"unknown role", tinhso.User{Username: "x3", Name: "X", Role: "root"}, tinhso.EINVALID},
			{"bad username", tinhso.User{Username: "Bad Name", Name: "X", Role: tinhso.RoleLeader}, tinhso.EINVALID},
		}
		for _, c := range bad {
			u := c.u
			if err := db.CreateUser(ctx, &u, hash); tinhso.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
		}
		if n, _ := db.CountUsers(ctx); n != 2 {
			t.Errorf("%d users after refused creations, want 2", n)
		}

		// Update: a stale version is refused; the last enabled admin cannot go.
		rep.Name = "Cán bộ mới"
		if err := db.UpdateUser(ctx, rep, 1); err != nil || rep.Version != 2 {
			t.Fatalf("update: %v, version %d", err, rep.Version)
		}
		if err := db.UpdateUser(ctx, rep, 1); tinhso.ErrorCode(err) != tinhso.EPRECONDITION {
			t.Errorf("stale update: %v", err)
		}
		admin.Disabled = true
		if err := db.UpdateUser(ctx, admin, 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("disabling the last admin: %v", err)
		}
		if a, _ := db.FindUser(ctx, admin.ID); a.Disabled || a.Version != 1 {
			t.Errorf("refused update changed the admin: %+v", a)
		}

		// A unit dissolved after its accounts were made shows on them, and makes them
		// inactive; no new account can be made for it.
		old := &tinhso.User{Username: "xa-cu.reporter", Name: "Cán bộ xã cũ", Role: tinhso.RoleReporter, OrgUnit: "xa-cu"}
		if err := db.CreateUser(ctx, old, hash); err != nil {
			t.Fatal(err)
		}
		xa, _ := db.FindOrgUnit(ctx, "xa-cu")
		xa.Dissolved = "2025-07-01"
		if err := db.UpdateOrgUnit(ctx, xa, 0); err != nil {
			t.Fatal(err)
		}
		old, _ = db.FindUser(ctx, old.ID)
		late := &tinhso.User{Username: "xa-cu.moi", Name: "Mới", Role: tinhso.RoleReporter, OrgUnit: "xa-cu"}
		if err := db.CreateUser(ctx, late, hash); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("an account for a dissolved unit: %v", err)
		}
		if old.OrgUnitDissolved != "2025-07-01" || old.Active("2026-01-01") == nil || old.Active("2025-06-30") != nil {
			t.Errorf("dissolved unit: %q, active %v", old.OrgUnitDissolved, old.Active("2026-01-01"))
		}

		users, total, err := db.FindUsers(ctx, tinhso.UserFilter{Role: tinhso.RoleReporter, Page: tinhso.Page{Limit: 10}})
		if err != nil || total != 2 || len(users) != 2 || users[0].Username != "so-a.reporter" {
			t.Errorf("find reporters: %d %v %v", total, users, err)
		}
		if _, total, _ := db.FindUsers(ctx, tinhso.UserFilter{OrgUnit: "so-a"}); total != 1 {
			t.Errorf("find by org unit: %d", total)
		}
		if _, err := db.FindUser(ctx, 999); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Errorf("find missing user: %v", err)
		}
	})
}

// Sessions and tokens: found by their hash, swept when expired, ended by a password
// change (but the one kept), revoked at once.
func TestSessionsAndTokens(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := sqldbtest.Open(t, engine)
		u := &tinhso.User{Username: "leader", Name: "Lãnh đạo", Role: tinhso.RoleLeader}
		if err := db.CreateUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 1, 8, 0, 0, 123456000, time.UTC)
		for i, id := range []string{strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("c", 64)} {
			s := &tinhso.Session{ID: id, UserID: u.ID, CSRFToken: "csrf" + id[:1], CreatedAt: now, LastSeenAt: now,
				ExpiresAt: now.Add(time.Duration(i+1) * time.Hour), IP: "127.0.0.1", UserAgent: "test"}
			if err := db.CreateSession(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		s, su, err := db.FindSession(ctx, strings.Repeat("a", 64))
		if err != nil || su.ID != u.ID || s.CSRFToken != "csrfa" || !s.CreatedAt.Equal(now) || !s.ExpiresAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("find session: %+v %+v %v", s, su, err)
		}
		if err := db.TouchSession(ctx, s.ID, now.Add(time.Minute), now.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if s, _, _ := db.FindSession(ctx, s.ID); !s.LastSeenAt.Equal(now.Add(time.Minute)) {
			t.Errorf("touch: %v", s.LastSeenAt)
		}
		// Sweeping at now+2h30 removes only b (expires at +2h; a was moved to +3h).
		if n, err := db.DeleteExpiredSessions(ctx, now.Add(150*time.Minute)); err != nil || n != 1 {
			t.Errorf("sweep: %d %v", n, err)
		}
		if _, _, err := db.FindSession(ctx, strings.Repeat("b", 64)); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Errorf("swept session still found: %v", err)
		}
		// A password change keeps only the session it names.
		if err := db.SetPassword(ctx, u.ID, "$argon2id$x", false, strings.Repeat("c", 64), false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.FindSession(ctx, strings.Repeat("a", 64)); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Errorf("password change left another session: %v", err)
		}
		if _, _, err := db.FindSession(ctx, strings.Repeat("c", 64)); err != nil {
			t.Errorf("password change ended the kept session: %v", err)
		}
		if err := db.DeleteUserSessions(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.FindSession(ctx, strings.Repeat("c", 64)); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Errorf("delete user sessions: %v", err)
		}

		exp := now.Add(24 * time.Hour)
		tok := &tinhso.APIToken{UserID: u.ID, Name: "dashboard", Scopes: []string{tinhso.ActReadAll}, Hash: strings.Repeat("d", 64), ExpiresAt: &exp}
		if err := db.CreateAPIToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			t    tinhso.APIToken
			code string
		}{
			{"no scopes", tinhso.APIToken{UserID: u.ID, Name: "x", Hash: strings.Repeat("e", 64)}, tinhso.EINVALID},
			{"unknown scope", tinhso.APIToken{UserID: u.ID, Name: "x", Scopes: []string{"root"}, Hash: strings.Repeat("e", 64)}, tinhso.EINVALID},
			{"same hash", tinhso.APIToken{UserID: u.ID, Name: "x", Scopes: []string{"all"}, Hash: strings.Repeat("d", 64)}, tinhso.ECONFLICT},
			{"no name", tinhso.APIToken{UserID: u.ID, Scopes: []string{"all"}, Hash: strings.Repeat("e", 64)}, tinhso.EINVALID},
		} {
			tc := c.t
			if err := db.CreateAPIToken(ctx, &tc); tinhso.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
		}
		got, gu, err := db.FindAPITokenByHash(ctx, strings.Repeat("d", 64))
		if err != nil || gu.Username != "leader" || got.Username != "leader" || got.Name != "dashboard" || !got.ExpiresAt.Equal(exp) ||
			got.RevokedAt != nil || got.LastUsedAt != nil || len(got.Scopes) != 1 || !got.Allows(tinhso.ActReadAll) || got.Allows(tinhso.ActWritePlan) {
			t.Fatalf("find token: %+v %v", got, err)
		}
		if err := db.TouchAPIToken(ctx, tok.ID, now); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAPIToken(ctx, tok.ID, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAPIToken(ctx, tok.ID, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		list, err := db.FindAPITokens(ctx, u.ID)
		if err != nil || len(list) != 1 || list[0].RevokedAt == nil || !list[0].RevokedAt.Equal(now.Add(time.Minute)) || !list[0].LastUsedAt.Equal(now) {
			t.Errorf("tokens after revoke: %+v %v", list, err)
		}
		if err := db.RevokeAPIToken(ctx, 999, now); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Errorf("revoke missing token: %v", err)
		}
	})
}
