// Package secret keeps the secrets tinhso stores (webhook secrets, the SMTP password,
// connector credentials): a Secret type that never shows its value in logs, JSON or
// formatted text, and a Keyring that encrypts secrets for storage with the key in
// TINHSO_SECRET_KEY.
//
// # The key
//
// TINHSO_SECRET_KEY holds either
//   - 32 random bytes in base64 (standard or URL alphabet, padded or not) or in hex
//     (64 digits): `openssl rand -base64 32` makes one; or
//   - a passphrase of at least 20 characters, from which the key is derived with
//     PBKDF2-HMAC-SHA256 (600,000 iterations, a fixed salt: the passphrase is a server
//     setting, not a user's password, and must give the same key on every node).
//
// Spaces and line breaks around the value are ignored. Anything shorter is refused at
// start, so a typo cannot silently weaken the key. From
// the key two values are derived with HKDF-SHA256: the AES-256 key and a key id (8 hex
// digits) written in front of every stored value, so that a later key can be added and
// old values re-encrypted (rotation) while both are known.
//
// # Without the key
//
// tinhso starts and works, but cannot store or read a secret: Seal and Open return
// ErrNoKey (code invalid), whose message names TINHSO_SECRET_KEY and how to make one.
// Features that need a secret (signed webhooks, SMTP with a password, connectors with
// credentials) are refused when saved, not silently stored in the clear. A key is not
// generated and kept beside the database, since a backup would then carry both.
//
// # Stored form
//
//	v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>
//
// AES-256-GCM with a random 96-bit nonce per value; "v1:<key id>" is the additional
// authenticated data, so neither the version nor the key id can be changed unnoticed.
// The empty string stands for "no secret".
package secret

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/tinhso/tinhso"
)

// EnvKey is the environment variable that holds the key.
const EnvKey = "TINHSO_SECRET_KEY"

// Redacted is what a set secret shows instead of its value.
const Redacted = "***"

// NotSet is what a secret with no value shows.
const NotSet = "(not set)"

// MinPassphrase is the fewest characters a passphrase may have.
const MinPassphrase = 20

// PassphraseIterations is the PBKDF2 work factor for a passphrase (OWASP's figure for
// PBKDF2-HMAC-SHA256).
const PassphraseIterations = 600_000

// Errors of the keyring. Each is a *tinhso.Error; errors.Is finds them in what Seal and
// Open return.
var (
	// ErrNoKey: TINHSO_SECRET_KEY is not set.
	ErrNoKey = &tinhso.Error{Code: tinhso.EINVALID, Key: "secret.no_key"}
	// ErrWrongKey: the value was sealed with a key the keyring does not hold.
	ErrWrongKey = &tinhso.Error{Code: tinhso.EINTERNAL, Key: "secret.wrong_key"}
	// ErrTampered: the value fails authentication: changed, or cut short.
	ErrTampered = &tinhso.Error{Code: tinhso.EINTERNAL, Key: "secret.tampered"}
	// ErrMalformed: the value is not in the stored form at all.
	ErrMalformed = &tinhso.Error{Code: tinhso.EINTERNAL, Key: "secret.malformed"}
)

// Secret is a value that must not be shown: String, GoString, every fmt verb, JSON,
// text marshalling and slog give "***" (or "(not set)"), never the value. Only Reveal
// gives it, at the point of use. The zero Secret is not set.
type Secret struct {
	// fmt cannot call Format on a Secret in an unexported field of a struct it prints:
	// it walks the fields by reflection, and with a verb other than %v it even prints
	// what a pointer points to. A closure is the one thing it cannot look into: it
	// prints its address.
	v *value
}

type value struct{ reveal func() string }

// New returns a secret holding s; the empty string gives a secret that is not set.
func New(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{v: &value{func() string { return s }}}
}

// IsSet reports whether the secret has a value.
func (s Secret) IsSet() bool { return s.v != nil }

// Reveal returns the value. Call it only where the value is used (signing, dialling).
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return s.v.reveal()
}

// Equal reports in constant time whether two secrets hold the same value.
func (s Secret) Equal(o Secret) bool {
	return subtle.ConstantTimeCompare([]byte(s.Reveal()), []byte(o.Reveal())) == 1 && s.IsSet() == o.IsSet()
}

// String returns "***", or "(not set)".
func (s Secret) String() string {
	if s.IsSet() {
		return Redacted
	}
	return NotSet
}

// GoString is what %#v shows.
func (s Secret) GoString() string { return fmt.Sprintf("secret.Secret(%q)", s.String()) }

// Format shows String for every verb (%x and %d too), and %q quoted.
func (s Secret) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'q':
		fmt.Fprintf(f, "%q", s.String())
	case verb == 'v' && f.Flag('#'):
		io.WriteString(f, s.GoString())
	default:
		io.WriteString(f, s.String())
	}
}

// LogValue makes slog show "***" or "(not set)".
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON gives "***" for a set secret and null otherwise: an API answer says that
// a secret is set, never what it is.
func (s Secret) MarshalJSON() ([]byte, error) {
	if !s.IsSet() {
		return []byte("null"), nil
	}
	return json.Marshal(Redacted)
}

// UnmarshalJSON reads a JSON string (null or "" for no secret). It refuses "***", which
// is what MarshalJSON writes: a form that sends back what it was given must not replace
// the secret with the placeholder. To keep a secret unchanged, leave the field out.
func (s *Secret) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*s = Secret{}
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return tinhso.Invalid("", "err.secret.json")
	}
	if v == Redacted {
		return tinhso.Invalid("", "secret.placeholder")
	}
	*s = New(v)
	return nil
}

// MarshalText gives "***" or "(not set)" (for encoders that use text, such as XML).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Keyring seals and opens stored secrets. The zero value and nil hold no key: every
// Seal and Open of a set secret fails with ErrNoKey.
type Keyring struct {
	primary *key
	keys    map[string]*key
}

type key struct {
	id   string
	aead cipher.AEAD
}

// FromEnv reads the key from TINHSO_SECRET_KEY through getenv (os.Getenv). An unset or
// empty variable gives a keyring without a key (see the package documentation); a
// value that is not a usable key is an error naming the variable.
func FromEnv(getenv func(string) string) (*Keyring, error) {
	v := strings.TrimSpace(getenv(EnvKey))
	if v == "" {
		return &Keyring{}, nil
	}
	return NewKeyring(v)
}

// NewKeyring returns a keyring that seals with primary and opens what primary or any
// of previous sealed (for rotation: the old key stays known until everything is
// re-sealed with the new one). Each is written as TINHSO_SECRET_KEY is.
func NewKeyring(primary string, previous ...string) (*Keyring, error) {
	kr := &Keyring{keys: map[string]*key{}}
	for i, s := range append([]string{primary}, previous...) {
		k, err := parseKey(s)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			kr.primary = k
		}
		if _, dup := kr.keys[k.id]; !dup {
			kr.keys[k.id] = k
		}
	}
	return kr, nil
}

// GenerateKey returns a new random key, in base64, for TINHSO_SECRET_KEY.
func GenerateKey() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand panics rather than return short
	return base64.StdEncoding.EncodeToString(b)
}

func parseKey(s string) (*key, error) {
	s = strings.TrimSpace(s)
	raw := decodeRaw(s)
	if raw == nil {
		if n := utf8.RuneCountInString(s); n < MinPassphrase {
			return nil, tinhso.Invalid(EnvKey, "secret.key_too_short", map[string]any{"count": n, "min": MinPassphrase})
		}
		var err error
		raw, err = pbkdf2.Key(sha256.New, s, []byte("tinhso "+EnvKey+" v1"), PassphraseIterations, 32)
		if err != nil {
			return nil, fmt.Errorf("secret: deriving the key: %w", err)
		}
	}
	aesKey, err := hkdf.Key(sha256.New, raw, nil, "tinhso secret aes-256-gcm v1", 32)
	if err != nil {
		return nil, fmt.Errorf("secret: deriving the key: %w", err)
	}
	idBytes, err := hkdf.Key(sha256.New, raw, nil, "tinhso secret key id v1", 4)
	if err != nil {
		return nil, fmt.Errorf("secret: deriving the key id: %w", err)
	}
	block, err := aes.NewCipher(aesKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &key{id: hex.EncodeToString(idBytes), aead: aead}, nil
}

// decodeRaw returns the 32 bytes s holds in base64 or hex, or nil.
func decodeRaw(s string) []byte {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == 32 {
			return b
		}
	}
	if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
		return b
	}
	return nil
}

// Enabled reports whether the keyring holds a key.
func (kr *Keyring) Enabled() bool { return kr != nil && kr.primary != nil }

// KeyID returns the id of the key that seals (empty without a key), for diagnostics.
func (kr *Keyring) KeyID() string {
	if !kr.Enabled() {
		return ""
	}
	return kr.primary.id
}

const version = "v1"

// Seal encrypts s for storage. A secret that is not set gives "" (and needs no key).
func (kr *Keyring) Seal(s Secret) (string, error) {
	if !s.IsSet() {
		return "", nil
	}
	if !kr.Enabled() {
		return "", ErrNoKey
	}
	k := kr.primary
	header := version + ":" + k.id
	p := s.Reveal()
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(p)+k.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secret: %w", err)
	}
	data := k.aead.Seal(nonce, nonce, []byte(p), []byte(header))
	return header + ":" + base64.RawURLEncoding.EncodeToString(data), nil
}

// Open decrypts what Seal returned. "" gives a secret that is not set.
func (kr *Keyring) Open(sealed string) (Secret, error) {
	if sealed == "" {
		return Secret{}, nil
	}
	ver, rest, ok1 := strings.Cut(sealed, ":")
	id, body, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 || ver != version {
		return Secret{}, ErrMalformed
	}
	if !kr.Enabled() {
		return Secret{}, ErrNoKey
	}
	k := kr.keys[id]
	if k == nil {
		return Secret{}, fmt.Errorf("%w (the value's key id is %s, the key's is %s)", ErrWrongKey, id, kr.primary.id)
	}
	data, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(data) < k.aead.NonceSize()+k.aead.Overhead() {
		return Secret{}, ErrMalformed
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, data[:n], data[n:], []byte(ver+":"+id))
	if err != nil {
		return Secret{}, ErrTampered
	}
	return New(string(plain)), nil
}

// NeedsReseal reports whether sealed was sealed with another key than the one that
// seals now: a rotation re-seals those.
func (kr *Keyring) NeedsReseal(sealed string) bool {
	if sealed == "" || !kr.Enabled() {
		return false
	}
	_, rest, _ := strings.Cut(sealed, ":")
	id, _, _ := strings.Cut(rest, ":")
	return id != kr.primary.id
}
