// Package locale holds tinhso's message catalogues, one per language (vi.toml,
// en.toml, embedded), and renders keys, messages and errors in a language: the domain
// produces keys with arguments (tinhso.Message, tinhso.Error), the edge renders them
// for its reader with a Printer.
//
//	p := locale.For(locale.Negotiate(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"), locale.EN))
//	p.T("board.title")                   // "Operations board"
//	p.Error(err)                         // the error in the reader's language
//	p.Message(tinhso.M("reminder.overdue", "Q1/2026", tinhso.Date("2026-04-24")))
//
// A catalogue is TOML: [section] headers and key = "text" lines; a key is its
// section and its name joined with dots ("err.user.disabled"). A text is a fmt format
// (%[2]s reorders arguments; %% is a percent sign), or, when it writes {name}
// placeholders, takes one map[string]any argument by name (the form of the keyed
// errors of netguard and tsdb). A plural key has the forms
// key.one and key.other and takes the count as its first argument; Vietnamese has only
// "other". Keys are named <area>.<what>: the pages' keys by page or part of a page
// (board.title, nav.board), the domain's errors under err.<area> (err.text.required,
// err.user.disabled), record descriptions under what.<record>, field labels under
// field.<name> (used for tinhso.Field arguments), and texts of the spreadsheets and
// reminders under xlsx. and reminder.. The tests fail when a key is missing in a
// language, unused in the code, or used in the code but missing.
//
// It imports the root package only.
package locale

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Lang is a language of the catalogues.
type Lang string

// The languages.
const (
	VI Lang = "vi" // Vietnamese: the pages' default
	EN Lang = "en" // English: the API's default
)

// Langs lists the languages, Vietnamese first.
func Langs() []Lang { return []Lang{VI, EN} }

// Parse reads a language tag ("vi", "en", "vi-VN", "EN-us") and reports whether it
// is one of the catalogues'.
func Parse(tag string) (Lang, bool) {
	base, _, _ := strings.Cut(strings.TrimSpace(tag), "-")
	base, _, _ = strings.Cut(base, "_")
	switch strings.ToLower(base) {
	case "vi":
		return VI, true
	case "en":
		return EN, true
	}
	return "", false
}

// Negotiate picks the language of a response: the one a "lang" parameter names, else
// the first of the Accept-Language header's (by quality) the catalogues have, else def.
// The API passes EN as def; the pages pass VI and their lang cookie as param, and no
// header, since they are Vietnamese unless asked otherwise.
func Negotiate(param, acceptLanguage string, def Lang) Lang {
	if l, ok := Parse(param); ok {
		return l
	}
	type choice struct {
		lang Lang
		q    float64
		at   int
	}
	var choices []choice
	for i, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(part, ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			name, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(name), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
					q = f
				} else {
					q = 0
				}
			}
		}
		if l, ok := Parse(tag); ok && q > 0 {
			choices = append(choices, choice{l, q, i})
		}
	}
	sort.SliceStable(choices, func(i, j int) bool { return choices[i].q > choices[j].q })
	if len(choices) > 0 {
		return choices[0].lang
	}
	return def
}

// FromRequest negotiates a request's language from its "lang" query parameter and its
// Accept-Language header.
func FromRequest(r *http.Request, def Lang) Lang {
	return Negotiate(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"), def)
}
