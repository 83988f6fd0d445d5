package app

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold makes text comparable without diacritics or case: "Chuyển đổi số" → "chuyen doi so".
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Matcher finds records whose text holds every word of a query, diacritics and case aside.
type Matcher []string

// NewMatcher is the matcher of a search query.
func NewMatcher(q string) Matcher { return Matcher(strings.Fields(Fold(q))) }

// Match reports whether the texts hold every word of the query.
func (m Matcher) Match(texts ...string) bool {
	if len(m) == 0 {
		return true
	}
	hay := Fold(strings.Join(texts, " \u0000 "))
	for _, w := range m {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// NaturalCmp compares "2.10" after "2.9": runs of digits by value.
func NaturalCmp(a, b string) int {
	for a != "" && b != "" {
		da, db := leadingDigits(a), leadingDigits(b)
		if da != "" && db != "" {
			na, _ := strconv.Atoi(da)
			nb, _ := strconv.Atoi(db)
			if na != nb {
				return CmpInt(na, nb)
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return CmpInt(int(a[0]), int(b[0]))
		}
		a, b = a[1:], b[1:]
	}
	return CmpInt(len(a), len(b))
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 9 {
		i++
	}
	return s[:i]
}

// CmpInt compares two numbers: -1, 0 or 1.
func CmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TextCmp compares texts as a Vietnamese reader would, roughly: folded first.
func TextCmp(a, b string) int {
	fa, fb := Fold(a), Fold(b)
	if fa != fb {
		return strings.Compare(fa, fb)
	}
	return strings.Compare(a, b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}
