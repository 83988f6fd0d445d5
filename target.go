package tinhso

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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

// Target flags.
const (
	FlagTypo     = "typo"     // the text holds a slip of the source, kept verbatim
	FlagUnparsed = "unparsed" // the text could not be read; it is kept verbatim
)

// Target is a target as written and its parsed form.
type Target struct {
	Text       string   `json:"text"`
	Kind       string   `json:"kind"`
	Comparator string   `json:"comparator,omitempty"`
	Value      *float64 `json:"value,omitempty"`
	Upper      *float64 `json:"upper,omitempty"`
	// Unit is the unit written after the number ("%", "% GRDP", "Mbit/s"); when the text
	// writes none, or a shorter form of it ("%" for "%/năm"), it is the indicator's unit.
	// A rank has none.
	Unit string `json:"unit,omitempty"`
	// Reference names the outside figure of a TargetReference.
	Reference string `json:"reference,omitempty"`
	// Flags: "typo" when the text holds a slip of the source kept verbatim, "unparsed"
	// when it could not be read.
	Flags []string `json:"flags,omitempty"`
}

// comparatorWord is a word or symbol that states a comparison.
type comparatorWord struct {
	word, cmp string
	// comparative: the word compares with something ("không thấp hơn", "≥"), so words
	// after it without a number name an outside figure. "đạt" (to reach) and "từ"
	// (from) are not: "đạt mức tiên tiến" is prose.
	comparative bool
	// strict: with no number and no reference after it, the text is a comparison that
	// could not be read, not prose.
	strict bool
}

// Comparator words, longest first so that "không thấp hơn" wins over "hơn" and "thấp hơn".
var comparatorWords = []comparatorWord{
	{"không thấp hơn", CmpGE, true, true}, {"không nhỏ hơn", CmpGE, true, true},
	{"không ít hơn", CmpGE, true, true}, {"không dưới", CmpGE, true, true},
	{"không vượt quá", CmpLE, true, true}, {"không cao hơn", CmpLE, true, true},
	{"không lớn hơn", CmpLE, true, true}, {"không quá", CmpLE, true, true},
	{"tối thiểu", CmpGE, true, true}, {"ít nhất", CmpGE, true, true}, {"tối đa", CmpLE, true, true},
	{"nhiều hơn", CmpGT, true, false}, {"cao hơn", CmpGT, true, false}, {"lớn hơn", CmpGT, true, false},
	{"thấp hơn", CmpLT, true, false}, {"nhỏ hơn", CmpLT, true, false}, {"ít hơn", CmpLT, true, false},
	{"vượt", CmpGT, true, false}, {"trên", CmpGT, true, false}, {"hơn", CmpGT, true, false},
	{"dưới", CmpLT, true, false}, {"bằng", CmpEQ, true, false},
	{"từ", CmpGE, false, false}, {"đạt", CmpGE, false, false},
	{"≥", CmpGE, true, true}, {">=", CmpGE, true, true}, {"≤", CmpLE, true, true}, {"<=", CmpLE, true, true},
	{">", CmpGT, true, true}, {"<", CmpLT, true, true}, {"=", CmpEQ, true, true},
}

// comparatorStrength orders comparators found together: "đạt trên" is ">", "đạt tối
// thiểu" is "≥". "đạt" alone counts only when nothing else is written.
var comparatorStrength = map[string]int{CmpEQ: 0, CmpGE: 1, CmpLE: 1, CmpGT: 2, CmpLT: 2}

// fillerWords may stand before the number of a target without making it prose:
// "ở mức trên 55%", "phấn đấu có từ 150", "khoảng 30", "xếp hạng thứ 10".
var fillerWords = map[string]bool{"ở": true, "mức": true, "là": true, "khoảng": true,
	"phấn": true, "đấu": true, "có": true, "cấp": true, "độ": true, "xếp": true, "hạng": true, "thứ": true}

// referenceWords mark the outside figure of a reference target.
var referenceWords = []string{"mức", "dự toán", "so với", "bình quân", "trung bình", "kế hoạch",
	"chỉ tiêu", "cùng kỳ", "năm trước"}

// knownSlips are slips of the seed documents that a reader must be warned of.
var knownSlips = []string{
	"thuế dịch vụ giám sát", // "thuê dịch vụ" (hire a service), Decision 1893 §I.2.e
}

var (
	// A number as written in Vietnamese: thousands with dots, decimals with a comma.
	numberRe = regexp.MustCompile(`\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?`)
	// A range: 16-18, 16 - 18, 8 – 10, 1% - 3%, từ 5 đến 10.
	rangeRe = regexp.MustCompile(`^(` + numberRe.String() + `)\s*%?\s*(?:-|–|đến)\s*(` + numberRe.String() + `)`)
	// A letter glued in front of the digits after a comparator ("≤ n10"): a slip kept verbatim.
	gluedRe = regexp.MustCompile(`[≤≥<>=]\s*(\pL)\d`)
	topRe   = regexp.MustCompile(`(?:^|[^\pL])top\s*(\d+)`)
	// "đặt" where "đạt" (to reach) is meant, before a level or a number.
	datTypoRe = regexp.MustCompile(`đặt\s+(cấp|mức|\d)`)
	// A year as the outside figure: "không thấp hơn năm 2024".
	yearRefRe = regexp.MustCompile(`(?:^|\s)năm\s*\d{4}`)
	// A date inside the words before a number: "đến năm 2030", "giai đoạn 2021 – 2025".
	yearPhraseRe = regexp.MustCompile(`(?:(?:đến|tới|trong|vào)\s+)?(?:năm|giai đoạn)\s*\d{4}(?:\s*[-–]\s*\d{4})?`)
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
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// ParseTarget parses a target as written. unit is the indicator's unit, which tells a
// rank ("Thứ bậc") from a count and stands in for a unit the text does not write.
// Nothing is dropped: the text is kept in Text whatever the outcome.
func ParseTarget(text, unit string) Target {
	t := Target{Text: text}
	s := strings.TrimSpace(text)
	if s == "" {
		t.Kind = TargetNone
		return t
	}
	unit = strings.TrimSpace(unit)
	rank := strings.EqualFold(unit, "thứ bậc")
	// low has the same byte offsets as s, so a span found in low is cut from s.
	low := lowerSameLen(s)

	if datTypoRe.MatchString(low) {
		// "đặt cấp độ 5" for "đạt cấp độ 5" ("đặt trụ sở" is a real word and stays).
		t.addFlag(FlagTypo)
		low = datTypoRe.ReplaceAllString(low, "đạt $1") // same length
	}
	for _, slip := range knownSlips {
		if strings.Contains(low, slip) {
			t.addFlag(FlagTypo)
		}
	}
	if m := gluedRe.FindStringSubmatchIndex(low); m != nil {
		t.addFlag(FlagTypo)
		s, low = s[:m[2]]+s[m[3]:], low[:m[2]]+low[m[3]:] // drop the glued letter
	}

	if m := topRe.FindStringSubmatch(low); m != nil {
		if v, ok := ParseNumber(m[1]); ok {
			t.Kind, t.Comparator, t.Value = TargetRank, CmpLE, &v
			return t
		}
	}

	loc := findNumber(low)
	if loc == nil {
		return t.withoutNumber(s, low, unit)
	}
	cmp, weak, leftover := readComparator(low[:loc[0]])
	if leftover {
		// Prose with a number in it ("… mạng di động 6G") is a target only when the
		// number is followed by the indicator's unit ("tại 03 thành phố").
		after := strings.TrimLeft(low[loc[1]:], " ")
		if unit == "" || rank || !strings.HasPrefix(after, lowerSameLen(unit)) {
			t.Kind = TargetQualitative
			return t
		}
		// Only the words right before the number compare: "trên địa bàn … tại ít
		// nhất 03 thành phố" is at least 3.
		cmp, weak, _ = readComparator(comparatorTail(low[:loc[0]]))
	}
	if weak || cmp == "" {
		// "đạt 100%" is at least 100; "đạt hạng 10", "top 10" of a rank is 10th or better.
		switch {
		case rank:
			cmp = CmpLE
		case weak:
			cmp = CmpGE
		default:
			cmp = CmpEQ
		}
	}

	if m := rangeRe.FindStringSubmatchIndex(low[loc[0]:]); m != nil {
		lo, ok1 := ParseNumber(low[loc[0]+m[2] : loc[0]+m[3]])
		hi, ok2 := ParseNumber(low[loc[0]+m[4] : loc[0]+m[5]])
		end := loc[0] + m[1]
		if !ok1 || !ok2 || lo > hi || malformedAfter(low, loc[0]+m[5]) {
			return t.unparsed()
		}
		t.Kind, t.Comparator, t.Value, t.Upper = TargetNumeric, CmpRange, &lo, &hi
		if rank {
			t.Kind = TargetRank
		} else {
			t.Unit = chooseUnit(unitAfter(s[end:]), unit)
		}
		return t
	}
	v, ok := ParseNumber(low[loc[0]:loc[1]])
	if !ok || malformedAfter(low, loc[1]) {
		return t.unparsed()
	}
	t.Kind, t.Comparator, t.Value = TargetNumeric, cmp, &v
	if rank {
		t.Kind = TargetRank
	} else {
		t.Unit = chooseUnit(unitAfter(s[loc[1]:]), unit)
		if t.Unit == "" && strings.Contains(low[:loc[0]], "cấp độ") {
			t.Unit = "cấp độ" // "đạt cấp độ 5": the unit is written before the number
		}
	}
	return t
}

// withoutNumber reads a target that holds no number: a comparison with an outside
// figure, prose, or a comparison that could not be read.
func (t Target) withoutNumber(s, low, unit string) Target {
	rest, cmpEnd, cw := low, 0, comparatorWord{}
	if strings.HasPrefix(rest, "đạt ") {
		cmpEnd = len("đạt ")
	}
	for _, w := range comparatorWords {
		if strings.HasPrefix(rest[cmpEnd:], w.word) && wordBoundary(rest, cmpEnd, len(w.word)) {
			cw = w
			cmpEnd += len(w.word)
			break
		}
	}
	if cw.word == "" {
		t.Kind = TargetQualitative
		return t
	}
	if cw.comparative && hasReferenceWord(low[cmpEnd:]) {
		t.Kind, t.Comparator, t.Unit = TargetReference, cw.cmp, unit
		t.Reference = strings.TrimRight(strings.TrimSpace(s[cmpEnd:]), ".;")
		return t
	}
	if cw.strict {
		return t.unparsed()
	}
	t.Kind = TargetQualitative
	return t
}

func (t Target) unparsed() Target {
	t.Kind, t.Comparator, t.Value, t.Upper, t.Unit = TargetUnparsed, "", nil, nil, ""
	t.addFlag(FlagUnparsed)
	return t
}

func (t *Target) addFlag(f string) {
	for _, g := range t.Flags {
		if g == f {
			return
		}
	}
	t.Flags = append(t.Flags, f)
}

// findNumber finds the target's number: the first one that is not a year of a date
// ("năm 2030", "giai đoạn 2021 – 2025") nor part of a word ("G20").
func findNumber(low string) []int {
	for off := 0; off < len(low); {
		loc := numberRe.FindStringIndex(low[off:])
		if loc == nil {
			return nil
		}
		loc[0], loc[1] = loc[0]+off, loc[1]+off
		r, _ := utf8.DecodeLastRuneInString(low[:loc[0]])
		if !unicode.IsLetter(r) && !isYearContext(low, loc) {
			return loc
		}
		off = loc[1]
	}
	return nil
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

// malformedAfter reports whether the number ending at i goes on in a way no Vietnamese
// number does: "1.5", "1,5,2", "10.00".
func malformedAfter(low string, i int) bool {
	if i >= len(low) {
		return false
	}
	c := low[i]
	if c >= '0' && c <= '9' {
		return true
	}
	return (c == '.' || c == ',') && i+1 < len(low) && low[i+1] >= '0' && low[i+1] <= '9'
}

// readComparator reads the words before the number: the comparator they state, whether
// that is only the weak "đạt" (to reach), and whether other words are left (prose).
func readComparator(prefix string) (cmp string, weak, leftover bool) {
	p := yearPhraseRe.ReplaceAllString(prefix, " ")
	best, bestStrength, sawDat := "", -1, false
	for {
		found := false
		for _, w := range comparatorWords {
			i := strings.Index(p, w.word)
			if i < 0 || !wordBoundary(p, i, len(w.word)) {
				continue
			}
			if w.word == "đạt" {
				sawDat = true
			} else if s := comparatorStrength[w.cmp]; s > bestStrength {
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
	for _, f := range strings.FieldsFunc(p, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
	}) {
		if !fillerWords[f] {
			leftover = true
		}
	}
	if best == "" && sawDat {
		return CmpGE, true, leftover
	}
	return best, false, leftover
}

// comparatorTail is the end of prose before a number that holds only comparator and
// filler words.
func comparatorTail(prefix string) string {
	words := strings.Fields(prefix)
	i := len(words)
	for i > 0 {
		w := strings.TrimFunc(words[i-1], func(r rune) bool { return unicode.IsPunct(r) })
		if w != "" && !fillerWords[w] && !isComparatorPart(w) && !strings.ContainsAny(w, "≥≤<>=") {
			break
		}
		i--
	}
	return strings.Join(words[i:], " ")
}

// isComparatorPart reports whether w is a word of a comparator ("thấp" of "không thấp hơn").
func isComparatorPart(w string) bool {
	for _, c := range comparatorWords {
		for _, part := range strings.Fields(c.word) {
			if part == w {
				return true
			}
		}
	}
	return false
}

// wordBoundary reports whether s[i:i+n] is a whole word (symbols always are).
func wordBoundary(s string, i, n int) bool {
	isLetter := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	first, _ := utf8.DecodeRuneInString(s[i:])
	if !isLetter(first) {
		return true
	}
	if r, _ := utf8.DecodeLastRuneInString(s[:i]); i > 0 && isLetter(r) {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(s[i+n:]); i+n < len(s) && isLetter(r) {
		return false
	}
	return true
}

func hasReferenceWord(low string) bool {
	if yearRefRe.MatchString(low) {
		return true
	}
	for _, w := range referenceWords {
		if i := strings.Index(low, w); i >= 0 && wordBoundary(low, i, len(w)) {
			return true
		}
	}
	return false
}

// lowerSameLen lower-cases s rune by rune, keeping a rune whose lower case would take
// another number of bytes, so that byte offsets in the result are offsets in s.
func lowerSameLen(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); r != utf8.RuneError && utf8.RuneLen(l) == n {
			b.WriteRune(l)
		} else {
			b.WriteString(s[i : i+n]) // an invalid byte, or a rune whose lower case is longer
		}
		i += n
	}
	return b.String()
}

// chooseUnit picks the unit of a target: the one written, unless the indicator's unit
// says more ("%" written, "%/năm" in the unit column), says the same in its own case
// ("thành phố" written, "Thành phố" in the unit column) or none is written.
func chooseUnit(written, unit string) string {
	if written == "" {
		return unit
	}
	if len(unit) >= len(written) && strings.HasPrefix(lowerSameLen(unit), lowerSameLen(written)) {
		return unit
	}
	return written
}

// unitAfter reads the unit written right after a number: "%", "% GRDP", "%/năm",
// "Mbit/s", "doanh nghiệp", "người/01 vạn dân". It stops at punctuation and at words that
// start a qualifier ("so với", "trên", "các", "cả", "thuộc"). Letters keep their case.
func unitAfter(rest string) string {
	rest = strings.TrimLeft(rest, " ")
	if rest == "" {
		return ""
	}
	if strings.HasPrefix(rest, "%") {
		r := lowerSameLen(strings.TrimLeft(rest[1:], " "))
		switch {
		case strings.HasPrefix(r, "grdp"):
			return "% GRDP"
		case strings.HasPrefix(r, "dân số"):
			return "% dân số"
		case strings.HasPrefix(r, "/năm"):
			return "%/năm"
		}
		return "%"
	}
	stop := map[string]bool{"so": true, "trên": true, "các": true, "cả": true, "thuộc": true, "được": true,
		"có": true, "và": true, "của": true, "tại": true, "trong": true, "đối": true, "khởi": true,
		"đến": true, "vào": true, "giai": true}
	var words []string
	fields := strings.Fields(rest)
	for i, w := range fields {
		lw := lowerSameLen(w)
		if strings.HasPrefix(w, "-") || strings.HasPrefix(w, "–") || stop[lw] || len(words) == 3 {
			break
		}
		if lw == "năm" && i+1 < len(fields) && fields[i+1][0] >= '0' && fields[i+1][0] <= '9' {
			break // "… năm 2030": a date follows, not a unit
		}
		end := strings.IndexAny(w, ",;:().")
		if end == 0 {
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
