package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
}

// ResolveToken implements TokenResolver.
func (a UserTokens) ResolveToken(ctx context.Context, token string) (*tinhso.User, []string, error) {
	now := time.Now()
	if a.Now != nil {
		now = a.Now()
	}
	sum := sha256.Sum256([]byte(token))
	t, u, err := a.Users.FindAPITokenByHash(ctx, hex.EncodeToString(sum[:]))
	if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
		return nil, nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "The token is not valid.")
	} else if err != nil {
		return nil, nil, err
	}
	if t.RevokedAt != nil || t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
		return nil, nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "The token %q is revoked or expired.", t.Name)
	}
	if err := u.Active(now.In(tinhso.Location).Format("2006-01-02")); err != nil {
		return nil, nil, err
	}
	return u, t.Scopes, nil
}
