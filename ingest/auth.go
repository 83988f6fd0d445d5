package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
)

// UserTokens resolves the API tokens of the user store (stored as the hex SHA-256 of
// the token, as the web layer stores them): refused when unknown, revoked or expired,
// or when the user is not active. The web layer's own resolver (with the bootstrap
// admin token) can take its place.
type UserTokens struct {
	Users tinhso.UserStore
	Now   func() time.Time
	// CacheFor keeps a resolved token this long (zero: not at all), sparing the store a
	// read per batch; a revoked or expired token is then refused within CacheFor.
	CacheFor time.Duration

	mu    sync.Mutex
	cache map[[32]byte]cachedToken
}

type cachedToken struct {
	user    *tinhso.User
	scopes  []string
	expires time.Time
}

// ResolveToken implements TokenResolver.
func (a *UserTokens) ResolveToken(ctx context.Context, token string) (*tinhso.User, []string, error) {
	now := time.Now()
	if a.Now != nil {
		now = a.Now()
	}
	sum := sha256.Sum256([]byte(token))
	if a.CacheFor > 0 {
		a.mu.Lock()
		c, ok := a.cache[sum]
		a.mu.Unlock()
		if ok && now.Before(c.expires) {
			return c.user, c.scopes, nil
		}
	}
	u, scopes, err := a.resolve(ctx, sum, now)
	if err == nil && a.CacheFor > 0 {
		a.mu.Lock()
		if a.cache == nil || len(a.cache) > 10000 {
			a.cache = map[[32]byte]cachedToken{}
		}
		a.cache[sum] = cachedToken{u, scopes, now.Add(a.CacheFor)}
		a.mu.Unlock()
	}
	return u, scopes, err
}

func (a *UserTokens) resolve(ctx context.Context, sum [32]byte, now time.Time) (*tinhso.User, []string, error) {
	t, u, err := a.Users.FindAPITokenByHash(ctx, hex.EncodeToString(sum[:]))
	if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
		return nil, nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.ingest.token")
	} else if err != nil {
		return nil, nil, err
	}
	if t.RevokedAt != nil || t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
		return nil, nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.ingest.token_gone", t.Name)
	}
	if err := u.Active(now.In(tinhso.Location).Format("2006-01-02")); err != nil {
		return nil, nil, err
	}
	return u, t.Scopes, nil
}
