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

// Passwords easy to guess are refused whatever their length, with the rule they break
// (issue 9); the list is embedded and holds a few thousand entries.
func TestWeakPasswords(t *testing.T) {
	t.Parallel()
	if n := credential.CommonPasswords(); n < 3000 {
		t.Errorf("the list of common passwords has %d entries", n)
	}
	for _, c := range []struct{ user, pw, key string }{
		{"admin", "123456789012", "err.password.weak.common"},
		{"admin", "adminadminadmin", "err.password.weak.username"},
		{"tc.baocao", "adminadminadmin", "err.password.weak.repeated"},
		{"tc.baocao", "abcdabcdabcd", "err.password.weak.repeated"},
		{"tc.baocao", "hellohello2026", "err.password.weak.repeated"},
		{"tc.baocao", "246802468024", "err.password.weak.repeated"},
		{"tc.baocao", "98765432109876", "err.password.weak.sequence"},
		{"tc.baocao", "zzzzzzzzzz1234", "err.password.weak.repeated"},
		{"tc.baocao", "zzzzzzzab1234", "err.password.weak.run"},
		{"tc.baocao", "abcdefghijklm", "err.password.weak.sequence"},
		{"tc.baocao", "Password2025!", "err.password.weak.common"},
		{"tc.baocao", "p@ssw0rd2026", "err.password.weak.common"},
		{"tc.baocao", "Thainguyen@2025", "err.password.weak.common"},
		{"tc.baocao", "Mật khẩu 123456", "err.password.weak.common"},
		{"tc.baocao", "anhyeuem123456", "err.password.weak.common"},
		{"tc.baocao", "qwertyuiop123", "err.password.weak.common"},
		{"tc.baocao", "1qaz2wsx3edc", "err.password.weak.common"},
		{"tc.baocao", "NguyenVanAn1990", "err.password.weak.common"},
		{"nguyen.van.an", "Nguyễn.Văn.An-2026", "err.password.weak.username"},
		{"lanh.dao", "toi la LANH.DAO day", "err.password.weak.username"},
		{"admin", "mật khẩu đủ dài 2026", ""},
		{"admin", "twelve chars", ""},
		{"tc.baocao", "correct horse battery staple", ""},
		{"tc.baocao", "Sở KH&CN Thái Nguyên 2026", ""},
	} {
		err := credential.CheckPassword(c.user, c.pw)
		if got := tinhso.ErrorKey(err); got != c.key {
			t.Errorf("CheckPassword(%q, %q) = %v, want key %q", c.user, c.pw, err, c.key)
		}
	}
	for range 200 {
		otp, _ := credential.OneTimePassword()
		if err := credential.CheckPassword("admin", otp); err != nil {
			t.Errorf("one-time password %q: %v", otp, err)
		}
	}
}
