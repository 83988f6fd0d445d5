package credential_test

import (
	"strings"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/credential"
)

// Passwords: at least 12 characters, not the username; hashes carry their parameters.
func TestPasswordRules(t *testing.T) {
	for _, c := range []struct {
		user, pw string
		ok       bool
	}{
		{"admin", "short", false},
		{"admin", "elevenchars", false},
		{"a-very-long-name", "A-VERY-LONG-NAME", false},
		{"admin", "twelve chars", true},
		{"admin", "mật khẩu dài đủ", true},
	} {
		if err := tinhso.CheckPassword(c.user, c.pw); (err == nil) != c.ok {
			t.Errorf("CheckPassword(%q, %q) = %v", c.user, c.pw, err)
		}
	}
	h1, _ := credential.HashPassword("twelve chars")
	h2, _ := credential.HashPassword("twelve chars")
	if h1 == h2 || !credential.VerifyPassword(h1, "twelve chars") || credential.VerifyPassword("", "") || credential.VerifyPassword("plain", "plain") {
		t.Errorf("hashes: %q %q", h1, h2)
	}
	otp, err := credential.OneTimePassword()
	if err != nil || len(otp) != 20 || tinhso.CheckPassword("admin", otp) != nil {
		t.Errorf("one-time password %q: %v", otp, err)
	}
}

// A token's stored form is its SHA-256; random tokens differ.
func TestTokens(t *testing.T) {
	t.Parallel()
	if got := credential.HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken: %s", got)
	}
	a, b := credential.RandomToken(32), credential.RandomToken(32)
	if a == b || len(a) != 43 || strings.ContainsAny(a, "+/=") {
		t.Errorf("random tokens %q %q", a, b)
	}
}

// Any hasher's hash verifies; a cheap one for tests carries its parameters.
func TestHasher(t *testing.T) {
	t.Parallel()
	h := credential.NewHasher(64, 1, 1)
	hash, err := h.HashPassword("twelve chars")
	if err != nil || !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") || !credential.VerifyPassword(hash, "twelve chars") || credential.VerifyPassword(hash, "twelve chars!") {
		t.Errorf("hash %q: %v", hash, err)
	}
	h.VerifyNothing("anything")
	credential.Hasher{}.VerifyNothing("a hasher made without NewHasher verifies as the default")
	if d, _ := credential.HashPassword("x"); !strings.HasPrefix(d, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("default hash %q", d)
	}
}
