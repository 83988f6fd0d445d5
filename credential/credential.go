// Package credential makes and checks credentials: argon2id password hashes (PHC
// string format), one-time passwords, random tokens and their stored SHA-256. The rules
// a new password must follow are the domain's (tinhso.CheckPassword).
package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"

	"github.com/tinhso/tinhso"
)

// Hasher makes argon2id hashes with its parameters (Memory in KiB, Time passes,
// Threads lanes). A stored hash carries its own, so they can be raised later without
// invalidating old ones, and any hash verifies whatever hasher made it.
type Hasher struct {
	Memory  uint32
	Time    uint32
	Threads uint8
	dummy   *dummy
}

// dummy is a hasher's hash of no password, made on first use.
type dummy struct {
	once sync.Once
	hash string
}

// NewHasher returns a hasher with the given parameters.
func NewHasher(memoryKiB, time uint32, threads uint8) Hasher {
	return Hasher{Memory: memoryKiB, Time: time, Threads: threads, dummy: &dummy{}}
}

// Default is the hasher of new passwords: OWASP's parameters (19 MiB, 2 passes, 1 lane).
var Default = NewHasher(19*1024, 2, 1)

// HashPassword returns the argon2id hash of a password in PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (unpadded standard base64).
func (h Hasher) HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.Time, h.Memory, h.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.Memory, h.Time, h.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyNothing spends the time of one VerifyPassword of a hash h made: it is verified
// against when a username is unknown, so that a wrong username takes as long as a wrong
// password.
func (h Hasher) VerifyNothing(password string) {
	if h.dummy == nil {
		h = Default // a Hasher made without NewHasher
	}
	d := h.dummy
	d.once.Do(func() { d.hash, _ = h.HashPassword("tinhso-no-such-user-password") })
	VerifyPassword(d.hash, password)
}

// HashPassword is Default.HashPassword.
func HashPassword(password string) (string, error) { return Default.HashPassword(password) }

// VerifyNothing is Default.VerifyNothing.
func VerifyNothing(password string) { Default.VerifyNothing(password) }

// VerifyPassword reports whether a password matches a hash made by HashPassword. An
// empty or malformed hash matches nothing.
func VerifyPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(password) > tinhso.MaxPasswordBytes {
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

// HashToken returns the hex SHA-256 of a token (a session's, an API token): what is
// stored instead of it.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// RandomToken returns n random bytes, base64url without padding.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
