package tinhso

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Target kinds.
const (
	TargetNumeric     = "numeric"     // a comparison with a number: ≥ 85, trên 0,80, 16-18
	TargetRank        = "rank"        // a place in a ranking, lower is better: ≤ 10, top 10
	TargetReference   = "reference"   // a comparison with a figure from outside: không thấp hơn mức dự toán …
	TargetQualitative = "qualitative" // words only: Đạt mức tiên tiến …
	TargetNone        = "none"        // no target (a group row)
	TargetUnparsed    = "unparsed"    // kept verbatim, flagged
)

// Comparators of a parsed target.
const (
	CmpGE    = ">="
	CmpGT    = ">"
	CmpEQ    = "="
	CmpLE    = "<="
	CmpLT    = "<"
	CmpRange = "range"
)

// Target is a target as written and its parsed form.
type Target struct {
	Text       string   `json:"text"`
	Kind       string   `json:"kind"`
	Comparator string   `json:"comparator,omitempty"`
	Value      *float64 `json:"value,omitempty"`
	Upper      *float64 `json:"upper,omitempty"`
	Unit       string   `json:"unit,omitempty"`
	// Reference names the outside figure of a TargetReference.
	Reference string `json:"reference,omitempty"`
	// Flags: "typo" when the text holds a slip of the source kept verbatim.
	Flags []string `json:"flags,omitempty"`
}

// Comparator words, longest first so that "không thấp hơn" wins over "hơn".
var comparatorWords = []struct {
	word, cmp string
}{
	{"không thấp hơn", CmpGE}, {"không nhỏ hơn", CmpGE}, {"không ít hơn", CmpGE},
	{"không vượt quá", CmpLE}, {"không quá", CmpLE}, {"không cao hơn", CmpLE},
	{"tối thiểu", CmpGE}, {"ít nhất", CmpGE}, {"tối đa", CmpLE},
	{"nhiều hơn", CmpGT}, {"cao hơn", CmpGT}, {"vượt", CmpGT},
	{"trên", CmpGT}, {"hơn", CmpGT}, {"dưới", CmpLT},
	{"từ", CmpGE}, {"đạt", CmpGE}, {"≥", CmpGE}, {">=", CmpGE}, {"≤", CmpLE}, {"<=", CmpLE},
	{">", CmpGT}, {"<", CmpLT}, {"=", CmpEQ},
}

// comparatorStrength orders comparators found together: "đạt trên" is ">", "đạt tối thiểu" is "≥".
var comparatorStrength = map[string]int{CmpEQ: 0, CmpGE: 1, CmpLE: 1, CmpGT: 2, CmpLT: 2}

var (
	// A number as written in Vietnamese: thousands with dots, decimals with a comma.
	numberRe = regexp.MustCompile(`\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?`)
	// A range: 16-18, 16 - 18, 8 – 10, 1% - 3%, từ 5 đến 10.
	rangeRe = regexp.MustCompile(`^(` + numberRe.String() + `)\s*%?\s*(?:-|–|đến)\s*(` + numberRe.String() + `)`)
	// A letter glued in front of digits ("≤ n10"): a slip kept verbatim.
	gluedRe = regexp.MustCompile(`(^|[\s≤≥<>=])\pL(\d)`)
	topRe   = regexp.MustCompile(`(?i)\btop\s*(\d+)`)
	// "đặt" where "đạt" (to reach) is meant, before a level or a number.
	datTypoRe = regexp.MustCompile(`đặt\s+(cấp|mức|\d)`)
)

// ParseNumber reads a number written the Vietnamese way ("0,75", "10.000", "16.303.827").
func ParseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if !numberRe.MatchString(s) || numberRe.FindString(s) != s {
		return 0, false
	}
	s = strings.ReplaceAll(s, ".", "")
	s = strings.ReplaceAll(s, ",", ".")
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// ParseTarget parses a target as written. unit is the indicator's unit, which tells a
// rank ("Thứ bậc") from a count. Nothing is dropped: the text is kept in Text whatever
// the outcome.
func ParseTarget(text, unit string) Target {
	t := Target{Text: text}
	s := strings.TrimSpace(text)
	if s == "" {
		t.Kind = TargetNone
		return t
	}
	low := strings.ToLower(s)
	rank := strings.EqualFold(strings.TrimSpace(unit), "thứ bậc")

	if datTypoRe.MatchString(low) {
		// "đặt cấp độ 5" for "đạt cấp độ 5" ("đặt trụ sở" is a real word and stays).
		t.Flags = append(t.Flags, "typo")
		low = datTypoRe.ReplaceAllString(low, "đạt $1")
	}
	if m := gluedRe.FindStringSubmatchIndex(low); m != nil {
		t.Flags = append(t.Flags, "typo")
		low = low[:m[3]] + low[m[4]:] // drop the glued letter
	}

	if m := topRe.FindStringSubmatch(low); m != nil {
		v, _ := ParseNumber(m[1])
		t.Kind, t.Comparator, t.Value = TargetRank, CmpLE, &v
		return t
	}

	loc := numberRe.FindStringIndex(low)
	// A number inside a "năm 2030" or a "giai đoạn 2021 – 2025" is a date, not the target.
	for loc != nil && isYearContext(low, loc) {
		next := numberRe.FindStringIndex(low[loc[1]:])
		if next == nil {
			loc = nil
			break
		}
		loc = []int{loc[1] + next[0], loc[1] + next[1]}
	}
	prefix := low
	if loc != nil {
		prefix = low[:loc[0]]
	}
	cmp := findComparator(prefix)

	if loc == nil {
		if cmp != "" && (cmp == CmpGE || cmp == CmpLE || cmp == CmpGT || cmp == CmpLT) && hasReferenceWord(low) {
			t.Kind, t.Comparator = TargetReference, cmp
			t.Reference = referenceName(s)
			return t
		}
		t.Kind = TargetQualitative
		return t
	}

	rest := low[loc[0]:]
	if m := rangeRe.FindStringSubmatch(rest); m != nil {
		lo, ok1 := ParseNumber(m[1])
		hi, ok2 := ParseNumber(m[2])
		if ok1 && ok2 && lo <= hi {
			t.Kind, t.Comparator, t.Value, t.Upper = TargetNumeric, CmpRange, &lo, &hi
			t.Unit = unitAfter(rest[len(m[0]):])
			if rank {
				t.Kind = TargetRank
			}
			return t
		}
		t.Kind = TargetUnparsed
		t.Flags = append(t.Flags, "unparsed")
		return t
	}
	v, ok := ParseNumber(low[loc[0]:loc[1]])
	if !ok || math.IsInf(v, 0) {
		t.Kind = TargetUnparsed
		t.Flags = append(t.Flags, "unparsed")
		return t
	}
	if cmp == "" {
		cmp = CmpEQ
	}
	t.Kind, t.Comparator, t.Value = TargetNumeric, cmp, &v
	if rank {
		t.Kind = TargetRank
	} else {
		t.Unit = unitAfter(low[loc[1]:])
	}
	return t
}

func isYearContext(low string, loc []int) bool {
	before := strings.TrimSpace(low[:loc[0]])
	num := low[loc[0]:loc[1]]
	if len(num) != 4 || !(strings.HasPrefix(num, "19") || strings.HasPrefix(num, "20")) {
		return false
	}
	return strings.HasSuffix(before, "năm") || strings.HasSuffix(before, "giai đoạn") ||
		strings.HasSuffix(before, "–") || strings.HasSuffix(before, "-")
}

func findComparator(prefix string) string {
	best, bestStrength := "", -1
	p := prefix
	for len(p) > 0 {
		found := false
		for _, w := range comparatorWords {
			i := strings.Index(p, w.word)
			if i < 0 || !wordBoundary(p, i, len(w.word)) {
				continue
			}
			if s := comparatorStrength[w.cmp]; s > bestStrength {
				best, bestStrength = w.cmp, s
			}
			p = p[:i] + " " + p[i+len(w.word):]
			found = true
			break
		}
		if !found {
			break
		}
	}
	return best
}

// wordBoundary reports whether s[i:i+n] is a whole word (symbols always are).
func wordBoundary(s string, i, n int) bool {
	isLetter := func(r byte) bool { return r >= 'a' && r <= 'z' || r >= 0x80 }
	w := s[i : i+n]
	if !isLetter(w[0]) {
		return true
	}
	if i > 0 && isLetter(s[i-1]) {
		return false
	}
	if i+n < len(s) && isLetter(s[i+n]) {
		return false
	}
	return true
}

func hasReferenceWord(low string) bool {
	return strings.Contains(low, "mức") || strings.Contains(low, "dự toán") || strings.Contains(low, "so với")
}

// referenceName is the named outside figure: the text after the comparator words.
func referenceName(s string) string {
	low := strings.ToLower(s)
	for _, w := range comparatorWords {
		if i := strings.Index(low, w.word); i >= 0 && wordBoundary(low, i, len(w.word)) {
			return strings.TrimSpace(s[i+len(w.word):])
		}
	}
	return s
}

// unitAfter reads the unit written right after a number: "%", "% GRDP", "%/năm",
// "Mbit/s", "doanh nghiệp", "người/vạn dân". It stops at punctuation and at words that
// start a qualifier ("so với", "trên", "các", "cả", "thuộc").
func unitAfter(rest string) string {
	rest = strings.TrimLeft(rest, " ")
	if rest == "" {
		return ""
	}
	if strings.HasPrefix(rest, "%") {
		r := strings.TrimLeft(rest[1:], " ")
		for _, suf := range []string{"grdp", "dân số", "/năm"} {
			if strings.HasPrefix(r, suf) {
				if suf == "grdp" {
					return "% GRDP"
				}
				return "%" + map[string]string{"dân số": " dân số", "/năm": "/năm"}[suf]
			}
		}
		return "%"
	}
	stop := map[string]bool{"so": true, "trên": true, "các": true, "cả": true, "thuộc": true, "được": true,
		"có": true, "và": true, "của": true, "tại": true, "trong": true, "đối": true, "khởi": true}
	var words []string
	for _, w := range strings.Fields(rest) {
		end := strings.IndexAny(w, ",;:().")
		if end == 0 {
			break
		}
		if stop[w] || len(words) == 3 {
			break
		}
		if end > 0 {
			words = append(words, w[:end])
			break
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}
