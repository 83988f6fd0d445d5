package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
)

// view is what every page template gets: the language, the request, and the page's data.
type view struct {
	Lang  string
	Title string
	// Nav marks the current section of the menu.
	Nav  string
	Path string
	// URL is the request URI; LangURL switches language on the same page.
	URL     string
	LangURL string
	Today   string
	Scripts []string // extra asset names (charts)
	Public  bool     // a portal page
	// Me is the signed-in user, the pages it may use and its CSRF token; nil for the
	// public (guard.go).
	Me *account
	D  any
	// Pre is the page's content already rendered (a kept board), shown instead of its
	// "content" template.
	Pre template.HTML
	// p renders the page's texts, numbers and dates in its language.
	p *locale.Printer
	// live reads the page's live tiles (livetiles.go).
	live func(scope, arg string) *liveTiles
}

// T translates a message key into the page's language from the catalogues
// (locale/vi.toml, locale/en.toml); args fill the text's verbs or {name} placeholders. A
// missing key shows as ??key??, which the tests look for on every page.
func (v *view) T(key string, args ...any) string { return v.printer().T(key, args...) }

// has reports whether the catalogues know key in the page's language.
func (v *view) has(key string) bool { return v.printer().Has(key) }

func (v *view) printer() *locale.Printer {
	if v.p != nil {
		return v.p
	}
	if v.Lang == "en" {
		return locale.For(locale.EN)
	}
	return locale.For(locale.VI)
}

// Flags shows a record's import flags in words ("typo" → "lỗi chính tả trong văn bản
// gốc"); a flag without words is shown as written.
func (v *view) Flags(flags []string) string {
	out := make([]string, len(flags))
	for i, f := range flags {
		name, arg, _ := strings.Cut(f, ":")
		if v.has("flag." + name) {
			out[i] = v.T("flag." + name)
			if arg != "" {
				out[i] += " " + arg
			}
		} else {
			out[i] = f
		}
	}
	return strings.Join(out, "; ")
}

// Msg renders a message of the domain in the page's language.
func (v *view) Msg(m tinhso.Message) string { return v.printer().Message(m) }

// Date shows a date (yyyy-mm-dd), month (yyyy-mm) or year as dd/mm/yyyy, mm/yyyy, yyyy.
func (v *view) Date(s string) string { return v.printer().Date(s) }

// Time shows a moment as dd/mm/yyyy hh:mm in the province's time zone.
func (v *view) Time(t time.Time) string { return v.printer().Time(t) }

// Num shows a number with the language's separators: 1.234,5 in Vietnamese, 1,234.5 in English.
func (v *view) Num(x any) string { return v.printer().Number(x) }

// Target describes a parsed target in words of the page's language.
func (v *view) Target(t tinhso.Target) string {
	unit := t.Unit
	if unit != "" && !strings.HasPrefix(unit, "%") {
		unit = " " + unit
	}
	switch t.Kind {
	case tinhso.TargetNone:
		return v.T("target.none")
	case tinhso.TargetQualitative:
		return v.T("target.qualitative")
	case tinhso.TargetUnparsed, "":
		return v.T("target.unparsed")
	case tinhso.TargetReference:
		return v.T("target.reference", cmpSymbol(t.Comparator), t.Reference)
	}
	if t.Value == nil {
		return v.T("target.unparsed")
	}
	rank := ""
	if t.Kind == tinhso.TargetRank {
		rank = v.T("target.rank") + " "
	}
	if t.Comparator == tinhso.CmpRange && t.Upper != nil {
		return rank + v.Num(*t.Value) + "–" + v.Num(*t.Upper) + unit
	}
	return rank + cmpSymbol(t.Comparator) + " " + v.Num(*t.Value) + unit
}

// Recurrence describes a recurrence in words.
func (v *view) Recurrence(r *tinhso.Recurrence) string {
	if r == nil {
		return ""
	}
	if r.Freq == tinhso.RecurOngoing {
		return v.T("recur.ongoing")
	}
	s := v.T("recur.yearly")
	if r.DueMonth > 0 {
		if r.YearOffset < 0 {
			s += ", " + v.T("recur.month_prev", r.DueMonth)
		} else {
			s += ", " + v.T("recur.month", r.DueMonth)
		}
	}
	if r.FromYear > 0 && r.UntilYear > 0 {
		s += ", " + strconv.Itoa(r.FromYear) + "–" + strconv.Itoa(r.UntilYear)
	} else if r.FromYear > 0 {
		s += ", " + v.T("recur.from", r.FromYear)
	}
	return s
}

// Loc names where a source passage is: "002_….txt, dòng 392–398".
func (v *view) Loc(sp tinhso.Span) string {
	if sp.Line == sp.EndLine || sp.EndLine == 0 {
		return v.T("source.line", sp.File, sp.Line)
	}
	return v.T("source.lines", sp.File, sp.Line, sp.EndLine)
}

// Query returns the page's URL with some query parameters set ("" removes one), and the
// page number reset unless it is among them.
func (v *view) Query(kv ...string) string {
	u, err := url.Parse(v.URL)
	if err != nil {
		return v.Path
	}
	q := u.Query()
	q.Del("page")
	q.Del("lang")
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}

func cmpSymbol(c string) string {
	switch c {
	case tinhso.CmpGE:
		return "≥"
	case tinhso.CmpGT:
		return ">"
	case tinhso.CmpLE:
		return "≤"
	case tinhso.CmpLT:
		return "<"
	case tinhso.CmpEQ:
		return "="
	}
	return c
}

// lang picks the page language: ?lang= (remembered in a cookie), then the cookie, then
// Vietnamese.
func lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	return string(pageLang(r))
}

// pageLang is the page language of a request: ?lang=, then the cookie, then Vietnamese
// (never Accept-Language: the pages are Vietnamese unless asked otherwise).
func pageLang(r *http.Request) locale.Lang {
	param := r.URL.Query().Get("lang")
	if _, ok := locale.Parse(param); !ok {
		if c, err := r.Cookie("lang"); err == nil {
			param = c.Value
		}
	}
	return locale.Negotiate(param, "", locale.VI)
}

// printer renders texts in a request's page language.
func printer(r *http.Request) *locale.Printer { return locale.For(pageLang(r)) }

// errText is an error in the page's language (the generic message for an internal one).
func errText(r *http.Request, err error) string { return printer(r).Error(err) }

// errItems are an error's items (the records in the way, the cells that are wrong) in
// the page's language.
func errItems(r *http.Request, err error) []string { return printer(r).Items(err) }

func (u *Web) newView(w http.ResponseWriter, r *http.Request, nav string) *view {
	l := lang(w, r)
	other := "en"
	if l == "en" {
		other = "vi"
	}
	q := r.URL.Query()
	q.Set("lang", other)
	return &view{Lang: l, p: locale.For(locale.Lang(l)), Nav: nav, Path: r.URL.Path, URL: r.URL.RequestURI(), LangURL: r.URL.Path + "?" + q.Encode(),
		Today: u.today(), Me: u.account(r), live: func(scope, arg string) *liveTiles { return u.liveTiles(r, scope, arg) }}
}

// pager cuts a list into pages of 50.
type pager struct {
	Page, Pages, Total, From, To int
	Links                        []int // page numbers to link, 0 for a gap
}

const perPage = 50

func paginate(r *http.Request, total int) pager {
	p := pager{Total: total, Pages: (total + perPage - 1) / perPage}
	if p.Pages == 0 {
		p.Pages = 1
	}
	p.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	if p.Page < 1 {
		p.Page = 1
	}
	if p.Page > p.Pages {
		p.Page = p.Pages
	}
	p.From = (p.Page - 1) * perPage
	p.To = min(p.From+perPage, total)
	last := 0
	for i := 1; i <= p.Pages; i++ {
		if i == 1 || i == p.Pages || (i >= p.Page-2 && i <= p.Page+2) {
			if last != 0 && i != last+1 {
				p.Links = append(p.Links, 0)
			}
			p.Links = append(p.Links, i)
			last = i
		}
	}
	return p
}

// Href builds a link to path with query parameters (pairs; empty values left out).
func (v *view) Href(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// Link builds a link to a list that keeps the page's document, section and agency
// filters, so a figure on a filtered board links to exactly the records it counts.
func (v *view) Link(path string, kv ...string) string {
	cur, _ := url.Parse(v.URL)
	q := url.Values{}
	if cur != nil {
		for _, k := range []string{"document", "section", "agency"} {
			if x := cur.Query().Get(k); x != "" {
				q.Set(k, x)
			}
		}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// PageURL links a page of the list.
func (v *view) PageURL(n int) string {
	u := v.Query()
	if n <= 1 {
		return u
	}
	if strings.Contains(u, "?") {
		return u + "&page=" + strconv.Itoa(n)
	}
	return u + "?page=" + strconv.Itoa(n)
}

// Flash returns the message key of a completed action named by ?done=, if the
// catalogue has one ("flash.saved"); anything else shows nothing.
func (v *view) Flash() string {
	pu, err := url.Parse(v.URL)
	if err != nil {
		return ""
	}
	done := pu.Query().Get("done")
	if done == "" {
		return ""
	}
	if !v.has("flash." + done) {
		return ""
	}
	return "flash." + done
}

// IsAdmin tells whether the reader administers the plan: who sees the data set's
// internal notes and source files behind a detail.
func (v *view) IsAdmin() bool { return v.Me != nil && v.Me.User.Can(tinhso.ActWritePlan) }

// Role names a role in the page's language.
func (v *view) Role(role string) string {
	if v.has("role." + role) {
		return v.T("role." + role)
	}
	return role
}

// TOr translates key, or shows fallback when the catalogue has no such key (a kind or
// scope added later).
func (v *view) TOr(key, fallback string) string {
	if v.has(key) {
		return v.T(key)
	}
	return fallback
}
