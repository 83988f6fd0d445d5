package tinhso

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Roles.
const (
	RoleAdmin    = "admin"    // runs the installation: users, org units, regimes, periods
	RoleReviewer = "reviewer" // the standing agency: reviews submissions, verifies companies
	RoleLeader   = "leader"   // reads everything
	RoleReporter = "reporter" // reports for its own org unit
	RoleBusiness = "business" // a registered company: proposals, self-assessment
)

// Roles lists the roles an account can have. Anonymous visitors are "public".
var Roles = []string{RoleAdmin, RoleReviewer, RoleLeader, RoleReporter, RoleBusiness}

// User is an account.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	Role     string `json:"role"`
	// OrgUnit is the unit a reporter reports for (and a company's own record later).
	OrgUnit string `json:"org_unit,omitempty"`
	// Verified: a business account the standing agency has checked.
	Verified bool `json:"verified"`
	Disabled bool `json:"disabled"`
	// MustChangePassword: the password is a one-time one (first start, set or reset by
	// an admin); a session may do nothing but change it.
	MustChangePassword bool `json:"must_change_password"`
	// OrgUnitDissolved is the dissolved date of the user's org unit, if it has one
	// (read from the org unit, never written).
	OrgUnitDissolved string    `json:"org_unit_dissolved,omitempty"`
	Version          int       `json:"version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._@-]{1,63}$`)

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	if !usernameRe.MatchString(u.Username) {
		return Invalid("username", "err.user.username")
	}
	if err := validText("name", u.Name, 200, true); err != nil {
		return err
	}
	if err := validText("email", u.Email, 254, false); err != nil {
		return err
	}
	if u.Email != "" && (!strings.Contains(u.Email, "@") || strings.ContainsAny(u.Email, " \n<>")) {
		return Invalid("email", "err.user.email")
	}
	if !contains(Roles, u.Role) {
		return Invalid("role", "err.field.one_of", Field("role"), strings.Join(Roles, ", "))
	}
	if u.Role == RoleReporter && u.OrgUnit == "" {
		return Invalid("org_unit", "err.user.reporter_unit")
	}
	return nil
}

// Active reports why a user may not act now (today is yyyy-mm-dd in the province's
// time zone): a disabled account, or an org unit that no longer exists. nil: active.
func (u *User) Active(today string) error {
	if u.Disabled {
		return Errorf(EFORBIDDEN, "err.user.disabled", u.Username)
	}
	if u.OrgUnitDissolved != "" && PartialDateStart(u.OrgUnitDissolved) <= today {
		return Errorf(EFORBIDDEN, "err.user.unit_dissolved", u.Username, u.OrgUnit, Date(u.OrgUnitDissolved))
	}
	return nil
}

// UserFilter selects users.
type UserFilter struct {
	Role    string
	OrgUnit string
	Page
}

// Session is a signed-in browser: its id is the SHA-256 (hex) of the cookie's token.
type Session struct {
	ID         string
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// APIToken is a credential for a machine client; only its SHA-256 is stored. A request
// with it may do an action only if the user's role allows it and Scopes name it (or
// ScopeAll).
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Username   string     `json:"username"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	Hash       string     `json:"-"`
}

// Allows reports whether the token's scopes include an action.
func (t *APIToken) Allows(action string) bool {
	return contains(t.Scopes, ScopeAll) || contains(t.Scopes, action)
}

// Validate checks a token before it is stored.
func (t *APIToken) Validate() error {
	if err := validText("name", t.Name, 200, true); err != nil {
		return err
	}
	if len(t.Scopes) == 0 {
		return Invalid("scopes", "err.token.no_scopes", strings.Join(Actions(), ", "), ScopeAll)
	}
	for _, s := range t.Scopes {
		if s != ScopeAll && permissions[s] == nil {
			return Invalid("scopes", "err.token.scope", s, strings.Join(Actions(), ", "), ScopeAll)
		}
	}
	return noDuplicates("scopes", t.Scopes)
}

// UserStore keeps accounts, sessions and API tokens.
type UserStore interface {
	CountUsers(ctx context.Context) (int, error)
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	FindUser(ctx context.Context, id int64) (*User, error)
	// FindUserByUsername returns the user and its password hash (ENOTFOUND when none).
	FindUserByUsername(ctx context.Context, username string) (*User, string, error)
	// CreateUser stores a new user with a password hash ("" : cannot sign in).
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	// UpdateUser writes name, email, role, org unit, verified and disabled; it refuses
	// to leave no enabled admin.
	UpdateUser(ctx context.Context, u *User, version int) error
	// SetPassword replaces a user's password hash and must-change flag and ends the
	// user's sessions but keepSession ("" : all); with revokeTokens it revokes the
	// user's API tokens too, in the same transaction.
	SetPassword(ctx context.Context, userID int64, hash string, mustChange bool, keepSession string, revokeTokens bool) error

	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns a session and its user (ENOTFOUND when none).
	FindSession(ctx context.Context, id string) (*Session, *User, error)
	TouchSession(ctx context.Context, id string, lastSeen, expires time.Time) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteUserSessions ends every session of a user.
	DeleteUserSessions(ctx context.Context, userID int64) error
	// DeleteExpiredSessions removes sessions that expired before a time.
	DeleteExpiredSessions(ctx context.Context, before time.Time) (int, error)

	CreateAPIToken(ctx context.Context, t *APIToken) error
	// FindAPITokens lists a user's tokens, newest first.
	FindAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	FindAPIToken(ctx context.Context, id int64) (*APIToken, error)
	// FindAPITokenByHash returns a token and its user (ENOTFOUND when none).
	FindAPITokenByHash(ctx context.Context, hash string) (*APIToken, *User, error)
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
	RevokeAPIToken(ctx context.Context, id int64, at time.Time) error
}

// Password rules.
const (
	MinPasswordLength = 12
	maxPasswordBytes  = 1024 // hashing is costly: bound the input
)

// MaxPasswordBytes bounds a password: longer ones are refused before they are hashed.
const MaxPasswordBytes = maxPasswordBytes

// CheckPassword applies the password rules to a new password of username.
func CheckPassword(username, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return Invalid("password", "err.password.short", MinPasswordLength)
	}
	if len(password) > maxPasswordBytes {
		return Invalid("password", "err.password.long", maxPasswordBytes)
	}
	if !utf8.ValidString(password) {
		return Invalid("password", "err.password.utf8")
	}
	if strings.EqualFold(strings.TrimSpace(password), username) {
		return Invalid("password", "err.password.username")
	}
	// Spaces, or one character over and over, are no password.
	distinct := map[rune]bool{}
	for _, r := range password {
		if !unicode.IsSpace(r) {
			distinct[r] = true
		}
	}
	if len(distinct) < 4 {
		return Invalid("password", "err.password.distinct", 4)
	}
	return nil
}
