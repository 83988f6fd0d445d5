package locale_test

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
	"golang.org/x/text/unicode/norm"
)

// TestSameKeys fails on a key that one language has and the other lacks. A plural's
// "one" form is English only: Vietnamese has the one form "other".
func TestSameKeys(t *testing.T) {
	t.Parallel()
	c := locale.Default()
	vi, en := set(c.Keys(locale.VI)), set(c.Keys(locale.EN))
	if len(vi) < 500 {
		t.Fatalf("the Vietnamese catalogue has %d keys", len(vi))
	}
	for k := range en {
		if vi[k] {
			continue
		}
		if base, ok := strings.CutSuffix(k, ".one"); ok && vi[base+".other"] && en[base+".other"] {
			continue
		}
		t.Errorf("%s is in en.toml but not in vi.toml", k)
	}
	for k := range vi {
		if !en[k] {
			t.Errorf("%s is in vi.toml but not in en.toml", k)
		}
		if base, ok := strings.CutSuffix(k, ".one"); ok && vi[base+".other"] {
			t.Errorf("%s: Vietnamese has no plural forms; give %s.other only", k, base)
		}
	}
	for k := range en {
		if base, ok := strings.CutSuffix(k, ".one"); ok && !en[base+".other"] {
			t.Errorf("%s has no %s.other", k, base)
		}
	}
}

// TestNFC fails on a text that is not in Unicode normal form C (a Vietnamese letter
// typed as a base letter and combining marks looks the same and never matches).
func TestNFC(t *testing.T) {
	t.Parallel()
	c := locale.Default()
	for _, l := range locale.Langs() {
		for _, k := range c.Keys(l) {
			s, _ := c.Text(l, k)
			if !norm.NFC.IsNormalString(s) {
				t.Errorf("%s.toml %s is not NFC: %q", l, k, s)
			}
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s.toml %s is empty", l, k)
			}
		}
	}
}

// TestVerbs fails when a key's texts take their arguments with other verbs in the two
// languages (counted by argument, so %[2]s may reorder), or use a verb fmt rejects.
func TestVerbs(t *testing.T) {
	t.Parallel()
	c := locale.Default()
	for _, k := range c.Keys(locale.EN) {
		en, _ := c.Text(locale.EN, k)
		viKey := k
		if base, ok := strings.CutSuffix(k, ".one"); ok {
			viKey = base + ".other"
		}
		if placeholderRe.MatchString(en) {
			vi, _ := c.Text(locale.VI, viKey)
			if pe, pv := placeholders(en), placeholders(vi); pe != pv {
				t.Errorf("%s: the placeholders differ: en %s, vi %s", k, pe, pv)
			}
			continue
		}
		ve, err := verbs(en)
		if err != nil {
			t.Errorf("en.toml %s: %v: %q", k, err, en)
			continue
		}
		vi, ok := c.Text(locale.VI, viKey)
		if !ok {
			continue // TestSameKeys says so
		}
		vv, err := verbs(vi)
		if err != nil {
			t.Errorf("vi.toml %s: %v: %q", viKey, err, vi)
			continue
		}
		if fmt.Sprint(ve) != fmt.Sprint(vv) {
			t.Errorf("%s: the verbs differ: en %v %q, vi %v %q", k, ve, en, vv, vi)
		}
	}
}

var placeholderRe = regexp.MustCompile(`\{[a-z_][a-z0-9_]*\}`)

// placeholders lists a text's {name} placeholders, sorted, without repeats.
func placeholders(text string) string {
	m := map[string]bool{}
	for _, p := range placeholderRe.FindAllString(text, -1) {
		m[p] = true
	}
	return strings.Join(sorted(m), " ")
}

var verbRe = regexp.MustCompile(`%(\[(\d+)\])?[-+# 0]*(\d+|\*)?(\.\d*)?([a-zA-Z%])?`)

// verbs lists the verb of each argument a format takes, by argument number.
func verbs(format string) ([]string, error) {
	byArg := map[int]string{}
	next := 1
	for _, m := range verbRe.FindAllStringSubmatch(format, -1) {
		if m[5] == "%" && m[1] == "" && m[3] == "" && m[4] == "" {
			continue
		}
		if m[5] == "" || m[5] == "%" {
			return nil, fmt.Errorf("a %% that is no verb (write %%%% for a percent sign)")
		}
		if !strings.Contains("vTtbcdoOqxXUeEfFgGsp", m[5]) {
			return nil, fmt.Errorf("unknown verb %%%s", m[5])
		}
		n := next
		if m[2] != "" {
			n, _ = strconv.Atoi(m[2])
		}
		if prev, ok := byArg[n]; ok && prev != m[5] {
			return nil, fmt.Errorf("argument %d is shown with %%%s and %%%s", n, prev, m[5])
		}
		byArg[n] = m[5]
		next = n + 1
	}
	var out []string
	for n := 1; n <= len(byArg); n++ {
		v, ok := byArg[n]
		if !ok {
			return nil, fmt.Errorf("argument %d is not shown", n)
		}
		out = append(out, v)
	}
	return out, nil
}

// TestFallbackAgrees checks that the root package's reading of en.toml (for Error()
// and Message.String()) gives every English text as this package does.
func TestFallbackAgrees(t *testing.T) {
	t.Parallel()
	c := locale.Default()
	en := locale.For(locale.EN)
	for _, k := range c.Keys(locale.EN) {
		text, _ := c.Text(locale.EN, k)
		args := sampleArgs(text)
		if placeholderRe.MatchString(text) {
			args = []any{map[string]any{"line": 3, "host": "a.vn"}}
		}
		if got, want := tinhso.M(k, args...).String(), en.T(k, args...); got != want {
			t.Errorf("%s: the root package renders %q, locale %q", k, got, want)
		}
		if !tinhso.IsMessageKey(k) {
			t.Errorf("%s is no key to the root package", k)
		}
	}
	for _, n := range []float64{16303827, -1234.5678, 0.1} {
		m := tinhso.M("err.value.over_100", "8.1", tinhso.Number(n))
		if got, want := m.String(), en.Message(m); got != want {
			t.Errorf("number %v: the root package renders %q, locale %q", n, got, want)
		}
	}
	for _, n := range []int{1, 3} {
		m := tinhso.M("err.xlsx.problems", n)
		if got, want := m.String(), en.Message(m); got != want {
			t.Errorf("plural %d: the root package renders %q, locale %q", n, got, want)
		}
	}
}

// sampleArgs makes arguments for a format's verbs.
func sampleArgs(format string) []any {
	vs, _ := verbs(format)
	out := make([]any, len(vs))
	for i, v := range vs {
		switch v {
		case "d", "x", "X", "c", "U":
			out[i] = 42 + i
		case "f", "g", "e":
			out[i] = 1.5
		default:
			out[i] = "x" + strconv.Itoa(i)
		}
	}
	return out
}

func set(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
