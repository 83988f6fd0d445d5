package tinhso

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
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

// Can reports whether the user may do an action; scope-specific checks (a reporter's
// own unit) are made where the record is known.
func (u *User) Can(action string) bool {
	if u == nil || u.Disabled {
		return false
	}
	allowed, ok := permissions[action]
	return ok && contains(allowed, u.Role)
}

// Actions checked with Can.
const (
	ActWritePlan       = "plan:write"         // change documents, indicators, tasks, org units, problems
	ActManageUsers     = "users:manage"       // create users, reset passwords
	ActManageReporting = "reporting:manage"   // regimes and periods
	ActReview          = "submissions:review" // return and approve
	ActReadAll         = "submissions:read"   // read every unit's submissions
	ActReport          = "submissions:write"  // fill in one's own unit's submission
	ActReadAudit       = "audit:read"
	ActVerifyBusiness  = "users:verify"  // mark a business account verified
	ActSignedIn        = "session"       // any signed-in user: own session, sign out, own password
	ActManageTokens    = "tokens:manage" // own API tokens
)

// ScopeAll is the API-token scope that stands for every action the user's role allows.
const ScopeAll = "all"

var permissions = map[string][]string{
	ActWritePlan:       {RoleAdmin},
	ActManageUsers:     {RoleAdmin},
	ActManageReporting: {RoleAdmin, RoleReviewer},
	ActReview:          {RoleReviewer},
	ActReadAll:         {RoleAdmin, RoleReviewer, RoleLeader},
	ActReport:          {RoleReporter},
	ActReadAudit:       {RoleAdmin, RoleReviewer},
	ActVerifyBusiness:  {RoleAdmin, RoleReviewer},
	ActSignedIn:        Roles,
	ActManageTokens:    Roles,
}

// Actions lists every action, sorted: what an API token's scopes may name.
func Actions() []string {
	out := make([]string, 0, len(permissions))
	for a := range permissions {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
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
	// user's sessions but keepSession ("" : all).
	SetPassword(ctx context.Context, userID int64, hash string, mustChange bool, keepSession string) error

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

// Argon2id parameters of new hashes (OWASP's: 19 MiB, 2 passes, 1 lane); a stored hash
// carries its own, so they can be raised later without invalidating old ones.
var argonParams = struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}{19 * 1024, 2, 1}

// HashPassword returns the argon2id hash of a password in PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded standard base64).
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	p := argonParams
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether a password matches a hash made by HashPassword. An
// empty or malformed hash matches nothing.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(password) > maxPasswordBytes {
		return false
	}
	var version int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 16 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 128 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a username is unknown, so that a wrong username
// takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("tinhso-no-such-user-password")
	return h
})

// VerifyNothing spends the time of one VerifyPassword.
func VerifyNothing(password string) { VerifyPassword(dummyHash(), password) }

// OneTimePassword returns a new random password of 20 characters from an alphabet
// without look-alikes (about 100 bits).
func OneTimePassword() (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	out := make([]byte, len(b))
	for i := range b {
		// Rejection sampling: no modulo bias.
		for int(b[i]) >= 256-256%len(alphabet) {
			var c [1]byte
			if _, err := rand.Read(c[:]); err != nil {
				return "", err
			}
			b[i] = c[0]
		}
		out[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(out), nil
}
