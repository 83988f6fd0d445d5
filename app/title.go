package app

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ReadableTitle is a title the source writes in capitals ("PHÊ DUYỆT CHIẾN LƯỢC CHUYỂN
// ĐỔI SỐ TỈNH THÁI NGUYÊN ĐẾN NĂM 2030") as a sentence ("Phê duyệt Chiến lược chuyển đổi
// số tỉnh Thái Nguyên đến năm 2030"): lower case with its diacritics, the first letter a
// capital, the names of places and bodies capitalised as Vietnamese writes them
// (titleNames), abbreviations and numbers ("03/NQ-CP", "UBND") as written, whitespace
// runs made one space. A title that is not in capitals is returned as it is; ok tells
// whether it was changed, so that a page can keep the source form beside it.
func ReadableTitle(s string) (title string, ok bool) {
	if !inCapitals(s) {
		return s, false
	}
	words := strings.Fields(s)
	lower := make([]string, len(words))
	for i, w := range words {
		if keepAsWritten(w) {
			lower[i] = w
			continue
		}
		lower[i] = strings.ToLower(w)
	}
	out := append([]string(nil), lower...)
	for i := 0; i < len(words); {
		key, n := nameAt(lower, i)
		if n == 0 {
			i++
			continue
		}
		for j, cap := range titleNames[key] {
			if cap {
				out[i+j] = upperFirst(out[i+j])
			}
		}
		i += n
	}
	if len(out) > 0 {
		out[0] = upperFirst(out[0])
	}
	title = strings.Join(out, " ")
	return title, title != s
}

// inCapitals tells whether a text is written in capitals: at least four letters and
// no more than one in ten in lower case (a "của" in an otherwise capital title).
func inCapitals(s string) bool {
	upper, lower := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		}
	}
	return upper >= 4 && lower*10 <= upper
}

// titleAbbreviations are written in capitals in a sentence too.
var titleAbbreviations = map[string]bool{
	"UBND": true, "HĐND": true, "MTTQ": true, "KH&CN": true, "KHCN": true, "CNTT": true, "ĐMST": true, "CĐS": true,
	"KT-XH": true, "TW": true, "AI": true, "IOT": true, "DTI": true, "PAPI": true, "PCI": true, "SIPAS": true, "PAR": true,
}

// keepAsWritten: a word with a digit or a slash ("03/NQ-CP", "2026-2030") or a known
// abbreviation, punctuation around it aside.
func keepAsWritten(w string) bool {
	if strings.ContainsAny(w, "0123456789/") {
		return true
	}
	return titleAbbreviations[strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) && r != '&' })]
}

// titleNames are the names a sentence keeps capitalised, as Vietnamese writes them:
// places, the Party's and the State's bodies, and the kinds of paper a title cites by
// name ("Nghị quyết số 57-NQ/TW"). Both tone placements of "ủy"/"uỷ" are listed: a
// source may use either, and the title keeps the source's.
//
// nameIndex finds the names by their first word (lower case): their keys in titleNames.
var titleNames, nameIndex = indexNames([]string{
	"Việt Nam", "Thái Nguyên", "Lạng Sơn", "Bắc Kạn", "Hà Nội",
	"Tỉnh ủy", "Tỉnh uỷ", "Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh uỷ", "Ban Chấp hành Đảng bộ tỉnh", "Đảng bộ tỉnh",
	"Chính phủ", "Thủ tướng Chính phủ", "Bộ Chính trị", "Quốc hội", "Trung ương", "Ban Chấp hành Trung ương",
	"Ủy ban nhân dân", "Uỷ ban nhân dân", "Hội đồng nhân dân",
	"Nghị quyết", "Chương trình hành động", "Chiến lược",
})

func indexNames(names []string) (map[string][]bool, map[string][]string) {
	titleNames, nameIndex := map[string][]bool{}, map[string][]string{}
	for _, name := range names {
		ws := strings.Fields(name)
		caps := make([]bool, len(ws))
		for i, w := range ws {
			r, _ := utf8.DecodeRuneInString(w)
			caps[i] = unicode.IsUpper(r)
		}
		key := strings.ToLower(name)
		titleNames[key] = caps
		first := strings.ToLower(ws[0])
		nameIndex[first] = append(nameIndex[first], key)
	}
	return titleNames, nameIndex
}

// nameAt is the longest name starting at words[i]: its key and length in words (0 for
// none). Punctuation at the end of a name's last word ("Nguyên,") does not stop it.
func nameAt(words []string, i int) (string, int) {
	best, bestKey := 0, ""
	for _, key := range nameIndex[words[i]] {
		ws := strings.Fields(key)
		n := len(ws)
		if n <= best || i+n > len(words) {
			continue
		}
		match := true
		for j, w := range ws {
			got := words[i+j]
			if j == n-1 {
				got = strings.TrimRightFunc(got, unicode.IsPunct)
			}
			if got != w {
				match = false
				break
			}
		}
		if match {
			best, bestKey = n, key
		}
	}
	return bestKey, best
}

func upperFirst(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return w
	}
	return string(unicode.ToUpper(r)) + w[n:]
}
