package credential

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
)

// commonText is the list of common passwords and password stems, one a line, folded
// (lower case, no diacritics, no spaces); lines starting with # are comments. It is
// made by scripts/gen-common-passwords.py.
//
//go:embed common-passwords.txt
var commonText string

var common = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 10000)
	for _, line := range strings.Split(commonText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// CommonPasswords is how many entries the embedded list of common passwords has.
func CommonPasswords() int { return len(common()) }

// CheckPassword applies the domain's password rules (tinhso.CheckPassword) and then
// refuses passwords that are easy to guess whatever their length: one on the list of
// common passwords, or a common word with digits or symbols around it ("Thainguyen@2025",
// "p@ssw0rd2026"); one part repeated ("adminadminadmin"); a run of consecutive keys or
// digits ("123456789012", "abcdefghijkl"); a run of one character making half of it; and any
// password containing the username (at least 3 characters), letter case and diacritics
// aside. Every new password goes through it.
func CheckPassword(username, password string) error {
	if err := tinhso.CheckPassword(username, password); err != nil {
		return err
	}
	f := fold(password)
	if u := fold(username); len(u) >= 3 && strings.Contains(f, u) {
		return tinhso.Invalid("password", "err.password.weak.username")
	}
	core := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) })
	list := common()
	for _, c := range []string{f, core, unleet(core), strings.TrimFunc(unleet(f), func(r rune) bool { return !unicode.IsLetter(r) })} {
		if list[c] {
			return tinhso.Invalid("password", "err.password.weak.common")
		}
	}
	for _, c := range []string{f, core} {
		if len(c) >= 4 && repeated(c) {
			return tinhso.Invalid("password", "err.password.weak.repeated")
		}
	}
	if sequence(f) {
		return tinhso.Invalid("password", "err.password.weak.sequence")
	}
	if longestRun(f)*2 >= len([]rune(f)) {
		return tinhso.Invalid("password", "err.password.weak.run")
	}
	return nil
}

// fold makes a password comparable with the list: lower case, without diacritics (đ
// as d) and without spaces.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.IsSpace(r):
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unleet undoes the substitutions people make for letters: p@ssw0rd is password.
func unleet(s string) string {
	return strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "@", "a", "$", "s", "!", "i").Replace(s)
}

// repeated reports whether s is a shorter part said again and again (the last time
// possibly cut short): "adminadminadmin", "abcabcabcab", "12121212".
func repeated(s string) bool {
	r := []rune(s)
	for l := 1; l <= len(r)/2; l++ {
		ok := true
		for i := l; i < len(r) && ok; i++ {
			ok = r[i] == r[i-l]
		}
		if ok {
			return true
		}
	}
	return false
}

// sequence reports whether s steps through digits or letters by one constant step,
// wrapping around: "123456789012", "9876543210", "13579135", "abcdefghijkl".
func sequence(s string) bool {
	r := []rune(s)
	if len(r) < 3 {
		return false
	}
	digits, letters := true, true
	for _, c := range r {
		digits = digits && c >= '0' && c <= '9'
		letters = letters && c >= 'a' && c <= 'z'
	}
	var base, mod rune
	switch {
	case digits:
		base, mod = '0', 10
	case letters:
		base, mod = 'a', 26
	default:
		return false
	}
	step := ((r[1] - base) - (r[0] - base) + mod) % mod
	for i := 2; i < len(r); i++ {
		if ((r[i]-base)-(r[i-1]-base)+mod)%mod != step {
			return false
		}
	}
	return !letters || step == 1 || step == mod-1
}

// longestRun is the length of the longest run of one character in s.
func longestRun(s string) int {
	best, n := 0, 0
	var prev rune = -1
	for _, c := range s {
		if c == prev {
			n++
		} else {
			prev, n = c, 1
		}
		best = max(best, n)
	}
	return best
}
