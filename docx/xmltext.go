package docx

import (
	"strings"
	"unicode/utf8"
)

// clean makes s safe to carry in XML 1.0 character data: each run of invalid UTF-8
// becomes one U+FFFD, so that the reader sees something was there; characters XML
// 1.0 does not allow (most C0 controls, U+FFFE, U+FFFF) and those it advises against
// (DEL, C1 controls) are dropped, since no escape can carry them. Tab, line feed and
// carriage return are kept for the caller to map.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	ok := true
	for _, r := range s {
		if !xmlChar(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return -1
	}, s)
}

// xmlChar reports whether r is a Char of XML 1.0 (production [2]) that a document
// should carry: DEL and the C1 controls are Chars, but XML 1.0 (§2.2) advises against
// them and they have no glyph, so they go too.
func xmlChar(r rune) bool {
	if r >= 0x7F && r <= 0x9F {
		return false
	}
	return r == 0x9 || r == 0xA || r == 0xD ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}

// escaper escapes character data and attribute values alike; ']]>' needs no
// special case once '>' is escaped.
var escaper = strings.NewReplacer(
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	`"`, "&quot;",
	"'", "&apos;",
	"\r", "&#xD;", // kept literally would be normalised away by XML parsers
)

// esc returns s cleaned and escaped for XML.
func esc(s string) string { return escaper.Replace(clean(s)) }
