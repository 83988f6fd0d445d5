package app

import (
	"context"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/engine"
)

// Accounts: the first admin, sign-in, passwords, accounts and API tokens.

// SignInPolicy is how long sessions live and how many failed sign-ins are allowed.
type SignInPolicy struct {
	// SessionIdle ends a session not used for this long (8 h); SessionMax ends any
	// session this long after sign-in (7 days).
	SessionIdle, SessionMax time.Duration
	// MaxFailures failed sign-ins of one account within FailureWindow refuse further
	// attempts until the oldest of them is FailureWindow old; MaxAddressFailures of one
	// client address likewise (higher: offices share an address).
	MaxFailures, MaxAddressFailures int
	FailureWindow                   time.Duration
}

// DefaultSignInPolicy is the policy an App starts with.
var DefaultSignInPolicy = SignInPolicy{
	SessionIdle: 8 * time.Hour, SessionMax: 7 * 24 * time.Hour,
	MaxFailures: 5, MaxAddressFailures: 20, FailureWindow: 15 * time.Minute,
}

// TokenPrefix starts every API token.
const TokenPrefix = "tsk_"

// ThrottledError refuses an attempt after too many failures: Wait is how long until
// the next may be made.
type ThrottledError struct{ Wait time.Duration }

func (e *ThrottledError) Error() string {
	return "too many failed attempts; try again in " + e.Wait.Round(time.Second).String()
}

// Seconds is Wait in whole seconds, at least 1 (for Retry-After).
func (e *ThrottledError) Seconds() int { return max(1, int(math.Ceil(e.Wait.Seconds()))) }

// Errors of sign-in and password changes that the pages word themselves.
var (
	ErrWrongPassword    = tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.account.wrong_password")
	ErrWrongCurrent     = tinhso.Invalid("current", "err.account.wrong_current")
	ErrSamePassword     = tinhso.Invalid("new", "err.account.same_password")
	ErrPasswordMismatch = tinhso.Invalid("confirm", "err.account.mismatch")
)

// onField moves an invalid-input error to field (a password rule broken by the "new"
// password of a change), keeping its message key and arguments.
func onField(err error, field string) error {
	var e *tinhso.Error
	if errors.As(err, &e) && e.Code == tinhso.EINVALID {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

// hash runs argon2 with a bound on how many run at once.
func (a *App) hash(fn func()) {
	a.hashing <- struct{}{}
	defer func() { <-a.hashing }()
	fn()
}

// HashPassword hashes a password within the bound on concurrent hashing.
func (a *App) HashPassword(password string) (string, error) {
	var h string
	var err error
	a.hash(func() { h, err = a.hasher.HashPassword(password) })
	return h, err
}

// EnsureAdmin creates the account "admin" when there is no account at all: with
// password, or else a one-time password it returns (shown once); either must be
// changed at first sign-in. Several nodes starting at once create it once. created
// reports whether it did.
func (a *App) EnsureAdmin(ctx context.Context, password string) (created bool, oneTime string, err error) {
	generated := password == ""
	if generated {
		if password, err = credential.OneTimePassword(); err != nil {
			return false, "", err
		}
	} else if err := credential.CheckPassword("admin", password); err != nil {
		return false, "", err
	}
	err = a.store.Exclusive(ctx, "tinhso-accounts", func(ctx context.Context) error {
		if n, err := a.store.CountUsers(ctx); err != nil || n > 0 {
			return err
		}
		hash, err := a.HashPassword(password)
		if err != nil {
			return err
		}
		u := &tinhso.User{Username: "admin", Name: "Quản trị hệ thống", Role: tinhso.RoleAdmin, MustChangePassword: true}
		created = true
		return a.store.CreateUser(ctx, u, hash)
	})
	if err != nil || !created {
		return false, "", err
	}
	if generated {
		return true, password, nil
	}
	return true, "", nil
}

// SignIn is a sign-in attempt.
type SignIn struct {
	Username, Password string
	// Address is the client's; UserAgent its browser.
	Address, UserAgent string
	// OldToken is the session token the browser came with, if any: it is ended (a
	// session id is never adopted from a request).
	OldToken string
	Now      time.Time
}

// SignedIn is a new session: the token goes into the cookie, never into storage.
type SignedIn struct {
	User    *tinhso.User
	Session *tinhso.Session
	Token   string
}

// SignIn checks a username and password and starts a session. Failures are throttled
// per account and per address (*ThrottledError); a wrong username and a wrong password
// get the same answer (ErrWrongPassword) after the same work; a disabled account or
// one of a dissolved unit is refused (EFORBIDDEN).
func (a *App) SignIn(ctx context.Context, in SignIn) (*SignedIn, error) {
	username := strings.ToLower(strings.TrimSpace(in.Username))
	if username == "" || in.Password == "" {
		return nil, tinhso.Invalid("username", "err.account.credentials")
	}
	p := a.SignInPolicy()
	accountKey, addrKey := "account:"+username, "address:"+in.Address
	wait, err := a.throttle.Wait(ctx, accountKey, in.Now, p.MaxFailures, p.FailureWindow)
	if err != nil {
		return nil, err
	}
	if w2, err := a.throttle.Wait(ctx, addrKey, in.Now, p.MaxAddressFailures, p.FailureWindow); err != nil {
		return nil, err
	} else if w2 > wait {
		wait = w2
	}
	if wait > 0 {
		return nil, &ThrottledError{Wait: wait}
	}
	u, hash, err := a.store.FindUserByUsername(ctx, username)
	if err != nil && tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
		return nil, err
	}
	ok := false
	a.hash(func() {
		if u == nil {
			a.hasher.VerifyNothing(in.Password)
		} else {
			ok = credential.VerifyPassword(hash, in.Password)
		}
	})
	if !ok {
		if err := a.throttle.Fail(ctx, accountKey, in.Now, p.MaxFailures, p.FailureWindow); err != nil {
			return nil, err
		}
		if err := a.throttle.Fail(ctx, addrKey, in.Now, p.MaxAddressFailures, p.FailureWindow); err != nil {
			return nil, err
		}
		return nil, ErrWrongPassword
	}
	if err := a.throttle.Reset(ctx, accountKey); err != nil {
		return nil, err
	}
	if err := u.Active(in.Now.In(tinhso.Location).Format("2006-01-02")); err != nil {
		return nil, err
	}
	if in.OldToken != "" {
		if err := a.store.DeleteSession(ctx, credential.HashToken(in.OldToken)); err != nil {
			return nil, err
		}
	}
	token := credential.RandomToken(32)
	sess := &tinhso.Session{ID: credential.HashToken(token), UserID: u.ID, CSRFToken: credential.RandomToken(32), CreatedAt: in.Now, LastSeenAt: in.Now,
		ExpiresAt: engine.SessionExpiry(in.Now, in.Now, p.SessionIdle, p.SessionMax), IP: in.Address, UserAgent: tinhso.Clip(in.UserAgent, 300)}
	if err := a.store.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	return &SignedIn{User: u, Session: sess, Token: token}, nil
}

// PasswordChange is a user changing their own password.
type PasswordChange struct {
	User         *tinhso.User
	Current, New string
	// Confirm, when given, must equal New (a form's second field).
	Confirm *string
	// KeepSession is the session that stays signed in; every other one ends.
	KeepSession string
	// RevokeTokens revokes the user's API tokens too (asked when a password may have
	// leaked: a token made with it stays valid otherwise).
	RevokeTokens bool
	Now          time.Time
}

// ChangePassword checks the current password (throttled like sign-ins), applies the
// rules to the new one and stores it, ending the user's other sessions and, when asked,
// revoking its API tokens; it returns the user as stored now.
func (a *App) ChangePassword(ctx context.Context, c PasswordChange) (*tinhso.User, error) {
	p := a.SignInPolicy()
	key := "account:" + c.User.Username
	if wait, err := a.throttle.Wait(ctx, key, c.Now, p.MaxFailures, p.FailureWindow); err != nil {
		return nil, err
	} else if wait > 0 {
		return nil, &ThrottledError{Wait: wait}
	}
	_, hash, err := a.store.FindUserByUsername(ctx, c.User.Username)
	if err != nil {
		return nil, err
	}
	var ok bool
	a.hash(func() { ok = credential.VerifyPassword(hash, c.Current) })
	if !ok {
		if err := a.throttle.Fail(ctx, key, c.Now, p.MaxFailures, p.FailureWindow); err != nil {
			return nil, err
		}
		return nil, ErrWrongCurrent
	}
	if err := credential.CheckPassword(c.User.Username, c.New); err != nil {
		return nil, onField(err, "new")
	}
	if c.New == c.Current {
		return nil, ErrSamePassword
	}
	if c.Confirm != nil && *c.Confirm != c.New {
		return nil, ErrPasswordMismatch
	}
	newHash, err := a.HashPassword(c.New)
	if err != nil {
		return nil, err
	}
	if err := a.store.SetPassword(ctx, c.User.ID, newHash, false, c.KeepSession, c.RevokeTokens); err != nil {
		return nil, err
	}
	if err := a.throttle.Reset(ctx, key); err != nil {
		return nil, err
	}
	return a.store.FindUser(ctx, c.User.ID)
}

// CreateUser stores a new account with password, or, when password is "", with a
// one-time password it returns (shown once) and must change at first sign-in.
func (a *App) CreateUser(ctx context.Context, u *tinhso.User, password string) (oneTime string, err error) {
	if err := u.Validate(); err != nil {
		return "", err
	}
	if password == "" {
		if password, err = credential.OneTimePassword(); err != nil {
			return "", err
		}
		oneTime, u.MustChangePassword = password, true
	} else if err := credential.CheckPassword(u.Username, password); err != nil {
		return "", err
	}
	hash, err := a.HashPassword(password)
	if err != nil {
		return "", err
	}
	if err := a.store.CreateUser(ctx, u, hash); err != nil {
		return "", err
	}
	return oneTime, nil
}

// ResetPassword gives an account a new one-time password (returned, shown once), ends
// its sessions and revokes its API tokens (whoever knew the old password may have made
// one); it returns the account as stored now.
func (a *App) ResetPassword(ctx context.Context, id int64) (*tinhso.User, string, error) {
	password, err := credential.OneTimePassword()
	if err != nil {
		return nil, "", err
	}
	hash, err := a.HashPassword(password)
	if err != nil {
		return nil, "", err
	}
	if err := a.store.SetPassword(ctx, id, hash, true, "", true); err != nil {
		return nil, "", err
	}
	u, err := a.store.FindUser(ctx, id)
	return u, password, err
}

// NewToken asks for an API token of Owner.
type NewToken struct {
	Owner  *tinhso.User
	Name   string
	Scopes []string
	// ExpiresAt, when set, must be after Now.
	ExpiresAt *time.Time
	// Via is the token the request came with, if any: a token makes no token that may
	// do more than itself.
	Via *tinhso.APIToken
	Now time.Time
}

// CreateToken makes an API token with scopes the owner's role allows; it returns the
// stored token and the token itself (shown once).
func (a *App) CreateToken(ctx context.Context, in NewToken) (*tinhso.APIToken, string, error) {
	u := in.Owner
	if err := u.Active(in.Now.In(tinhso.Location).Format("2006-01-02")); err != nil {
		return nil, "", err
	}
	t := &tinhso.APIToken{UserID: u.ID, Name: in.Name, Scopes: in.Scopes, ExpiresAt: in.ExpiresAt}
	if err := t.Validate(); err != nil {
		return nil, "", err
	}
	for _, sc := range t.Scopes {
		if sc != tinhso.ScopeAll && !u.Can(sc) {
			return nil, "", tinhso.Invalid("scopes", "err.account.token_role", u.Username, u.Role, sc)
		}
		if in.Via != nil && !in.Via.Allows(sc) {
			return nil, "", tinhso.Invalid("scopes", "err.account.token_scope", sc)
		}
	}
	if t.ExpiresAt != nil && !t.ExpiresAt.After(in.Now) {
		return nil, "", tinhso.Invalid("expires_at", "err.account.expires")
	}
	token := TokenPrefix + credential.RandomToken(32)
	t.Hash = credential.HashToken(token)
	if err := a.store.CreateAPIToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, token, nil
}

// TokenScopes lists the scopes u may give a token: "all" and the actions its role
// allows.
func TokenScopes(u *tinhso.User) []string {
	out := []string{tinhso.ScopeAll}
	for _, a := range tinhso.Actions() {
		if u.Can(a) {
			out = append(out, a)
		}
	}
	return out
}

// IsThrottled tells whether err refuses an attempt for too many failures, and how long
// until the next.
func IsThrottled(err error) (*ThrottledError, bool) {
	var te *ThrottledError
	ok := errors.As(err, &te)
	return te, ok
}
