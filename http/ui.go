package http

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"mime"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
)

// The pages' templates and static files, embedded in the binary and parsed once.
var (
	//go:embed html/*.html
	templateFS embed.FS
	//go:embed assets
	assetFS embed.FS
)

// ui renders the web pages: templates parsed once, assets served under checksummed
// URLs, messages in Vietnamese and English.
type ui struct {
	s      *Server
	pages  map[string]*template.Template
	assets map[string]asset // by URL path
	urls   map[string]string
}

// asset is an embedded static file and its checksummed URL.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

// registerUI registers the web pages. Page routes are not part of the API, so they are
// put on the mux directly rather than through handle (and the OpenAPI document).
func (s *Server) registerUI() {
	s.webUI().register()
}

// webUI returns the server's pages, made once: templates parsed and assets hashed at
// start, shared by every group of pages.
func (s *Server) webUI() *ui {
	if s.web == nil {
		u, err := newUI(s)
		if err != nil {
			// The templates are embedded: a parse error is a programming error caught by
			// every test.
			panic(err)
		}
		s.web = u
	}
	return s.web
}

func newUI(s *Server) (*ui, error) {
	u := &ui{s: s, pages: map[string]*template.Template{}, assets: map[string]asset{}, urls: map[string]string{}}
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := path.Ext(p)
		if ext != ".css" && ext != ".js" && ext != ".svg" && ext != ".png" && ext != ".ico" {
			return nil // VERSIONS, licences
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:])[:12]
		rel := strings.TrimPrefix(p, "assets/")
		url := "/assets/" + strings.TrimSuffix(rel, ext) + "." + h + ext
		ct := mime.TypeByExtension(ext)
		if ext == ".js" {
			ct = "text/javascript; charset=utf-8"
		} else if ext == ".css" {
			ct = "text/css; charset=utf-8"
		}
		u.assets[url] = asset{body: b, ctype: ct, etag: `"` + h + `"`}
		u.urls[rel] = url
		return nil
	})
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"asset": func(name string) (string, error) {
			if url, ok := u.urls[name]; ok {
				return url, nil
			}
			return "", fmt.Errorf("no asset %q", name)
		},
		"add": func(a, b int) int { return a + b },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict takes pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict keys are strings")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"join":    strings.Join,
		"list":    func(s ...string) []string { return s },
		"percent": func(n, of int) int { return int(math.Round(float64(n) * 100 / math.Max(float64(of), 1))) },
	}
	names, err := fs.Glob(templateFS, "html/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || base == "common.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "html/layout.html", "html/common.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		u.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return u, nil
}

func (u *ui) register() {
	mux := u.s.mux
	mux.HandleFunc("GET /assets/", u.serveAsset)
	mux.HandleFunc("GET /{$}", u.board)
	mux.HandleFunc("GET /tasks", u.tasks)
	mux.HandleFunc("GET /tasks/{id}", u.task)
	mux.HandleFunc("GET /indicators", u.indicators)
	mux.HandleFunc("GET /indicators/{id}", u.indicator)
	mux.HandleFunc("GET /measures", u.measures)
	mux.HandleFunc("GET /measures/{key}", u.measure)
	mux.HandleFunc("GET /problems", u.problems)
	mux.HandleFunc("GET /problems/{id}", u.problem)
	mux.HandleFunc("GET /org-units", u.orgUnits)
	mux.HandleFunc("GET /org-units/{code}", u.orgUnit)
	mux.HandleFunc("GET /documents", u.documents)
	mux.HandleFunc("GET /documents/{slug}", u.document)
	mux.HandleFunc("GET /portal", u.portal)
	mux.HandleFunc("GET /portal/problems", u.portalProblems)
	mux.HandleFunc("GET /portal/data", u.portalData)
	mux.HandleFunc("GET /portal/data/catalog.json", u.catalog)
	mux.HandleFunc("GET /portal/data/{file}", u.download)
}

// serveAsset serves an embedded file by its checksummed URL: the URL changes when the
// file does, so it may be cached for a year.
func (u *ui) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := u.assets[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", a.etag)
	if r.Header.Get("If-None-Match") == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(a.body)
}

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
	// public (ui_account.go).
	Me *account
	D  any
}

// T translates a message key into the page's language; args fill %s/%d verbs.
func (v *view) T(key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		// Tests look for this on every page.
		return "??" + key + "??"
	}
	s := m[0]
	if v.Lang == "en" {
		s = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Flags shows a record's import flags in words ("typo" → "lỗi chính tả trong văn bản
// gốc"); a flag without words is shown as written.
func (v *view) Flags(flags []string) string {
	out := make([]string, len(flags))
	for i, f := range flags {
		name, arg, _ := strings.Cut(f, ":")
		if _, ok := messages["flag."+name]; ok {
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

// Date shows a date (yyyy-mm-dd), month (yyyy-mm) or year as dd/mm/yyyy, mm/yyyy, yyyy.
func (v *view) Date(s string) string { return formatDate(s) }

// Time shows a moment as dd/mm/yyyy hh:mm in the province's time zone.
func (v *view) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(tinhso.Location).Format("02/01/2006 15:04")
}

// Num shows a number with the language's separators: 1.234,5 in Vietnamese, 1,234.5 in English.
func (v *view) Num(x any) string {
	switch n := x.(type) {
	case int:
		return formatNumber(float64(n), v.Lang)
	case int64:
		return formatNumber(float64(n), v.Lang)
	case float64:
		return formatNumber(n, v.Lang)
	case *float64:
		if n == nil {
			return ""
		}
		return formatNumber(*n, v.Lang)
	}
	return fmt.Sprint(x)
}

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

func formatDate(s string) string {
	switch len(s) {
	case 10:
		return s[8:10] + "/" + s[5:7] + "/" + s[0:4]
	case 7:
		return s[5:7] + "/" + s[0:4]
	}
	return s
}

// formatNumber writes n with at most three decimals, grouping thousands: Vietnamese
// groups with "." and marks decimals with ",", English the other way round.
func formatNumber(n float64, lang string) string {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return "–"
	}
	s := strconv.FormatFloat(n, 'f', -1, 64)
	if strings.Contains(s, ".") {
		s = strconv.FormatFloat(math.Round(n*1000)/1000, 'f', -1, 64)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	group, dec := ".", ","
	if lang == "en" {
		group, dec = ",", "."
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString(dec + frac)
	}
	return b.String()
}

// lang picks the page language: ?lang= (remembered in a cookie), then the cookie, then
// Vietnamese.
func lang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "vi" || c.Value == "en") {
		return c.Value
	}
	return "vi"
}

func (u *ui) newView(w http.ResponseWriter, r *http.Request, nav string) *view {
	l := lang(w, r)
	other := "en"
	if l == "en" {
		other = "vi"
	}
	q := r.URL.Query()
	q.Set("lang", other)
	return &view{Lang: l, Nav: nav, Path: r.URL.Path, URL: r.URL.RequestURI(), LangURL: r.URL.Path + "?" + q.Encode(),
		Today: u.today(), Me: u.account(r)}
}

// today is the date in the province (yyyy-mm-dd).
func (u *ui) today() string { return u.s.Now().In(tinhso.Location).Format("2006-01-02") }

// render writes a page, or an error page if the template fails.
func (u *ui) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	t, ok := u.pages[page]
	if !ok {
		u.fail(w, r, v, fmt.Errorf("no page template %q", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		u.fail(w, r, v, fmt.Errorf("render %s: %w", page, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.Lang)
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Cookie")
	// Nothing on a page comes from elsewhere, and nothing inline runs.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail shows an error as a page: not found and bad requests with their message,
// anything else as an internal error (logged, never shown).
func (u *ui) fail(w http.ResponseWriter, r *http.Request, v *view, err error) {
	if v == nil {
		v = u.newView(w, r, "")
	}
	code := tinhso.ErrorCode(err)
	status := statusOf[code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	msg := tinhso.ErrorMessage(err)
	if code == tinhso.EINTERNAL {
		u.s.log.Error("page failed", "method", r.Method, "path", r.URL.Path, "error", err.Error())
		msg = ""
	}
	ev := *v
	ev.Title = v.T("error.title")
	ev.D = struct {
		Status  int
		Message string
	}{status, msg}
	t := u.pages["error"]
	var buf bytes.Buffer
	if t == nil || t.ExecuteTemplate(&buf, "layout", &ev) != nil {
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fold makes text comparable without diacritics or case: "Chuyển đổi số" → "chuyen doi so".
func fold(s string) string {
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

// matcher finds records whose text holds every word of a query, diacritics and case aside.
type matcher []string

func newMatcher(q string) matcher { return matcher(strings.Fields(fold(q))) }

func (m matcher) match(texts ...string) bool {
	if len(m) == 0 {
		return true
	}
	hay := fold(strings.Join(texts, " \u0000 "))
	for _, w := range m {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
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

// plan is the part of the plan a page works on, loaded in full: the province's plan is
// a few hundred records, so filtering, searching and sorting them in Go is cheap and
// folds diacritics as SQL collations cannot on both engines.
type plan struct {
	docs      []*tinhso.Document
	docBySlug map[string]*tinhso.Document
	units     map[string]*tinhso.OrgUnit
	unitList  []*tinhso.OrgUnit
}

func (u *ui) loadPlan(ctx context.Context) (*plan, error) {
	p := &plan{docBySlug: map[string]*tinhso.Document{}, units: map[string]*tinhso.OrgUnit{}}
	docs, err := all(func(pg tinhso.Page) ([]*tinhso.Document, int, error) {
		return u.s.store.FindDocuments(ctx, tinhso.DocumentFilter{Page: pg})
	})
	if err != nil {
		return nil, err
	}
	p.docs = docs
	for _, d := range docs {
		p.docBySlug[d.Slug] = d
	}
	units, err := all(func(pg tinhso.Page) ([]*tinhso.OrgUnit, int, error) {
		return u.s.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Page: pg})
	})
	if err != nil {
		return nil, err
	}
	p.unitList = units
	for _, o := range units {
		p.units[o.Code] = o
	}
	return p, nil
}

// all reads every page of a list.
func all[T any](find func(tinhso.Page) ([]T, int, error)) ([]T, error) {
	var out []T
	for off := 0; ; off += 1000 {
		items, total, err := find(tinhso.Page{Offset: off, Limit: 1000})
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(items) == 0 || off+len(items) >= total {
			return out, nil
		}
	}
}

func (u *ui) allTasks(ctx context.Context, f tinhso.TaskFilter) ([]*tinhso.Task, error) {
	return all(func(pg tinhso.Page) ([]*tinhso.Task, int, error) {
		f.Page = pg
		return u.s.store.FindTasks(ctx, f)
	})
}

func (u *ui) allIndicators(ctx context.Context, f tinhso.IndicatorFilter) ([]*tinhso.Indicator, error) {
	return all(func(pg tinhso.Page) ([]*tinhso.Indicator, int, error) {
		f.Page = pg
		return u.s.store.FindIndicators(ctx, f)
	})
}

func (u *ui) allProblems(ctx context.Context, f tinhso.ProblemFilter) ([]*tinhso.Problem, error) {
	return all(func(pg tinhso.Page) ([]*tinhso.Problem, int, error) {
		f.Page = pg
		return u.s.store.FindProblems(ctx, f)
	})
}

func (u *ui) allMeasures(ctx context.Context) ([]*tinhso.Measure, error) {
	return all(func(pg tinhso.Page) ([]*tinhso.Measure, int, error) {
		return u.s.store.FindMeasures(ctx, pg)
	})
}

// Docs lists the documents.
func (p *plan) Docs() []*tinhso.Document { return p.docs }

// Units lists the org units.
func (p *plan) Units() []*tinhso.OrgUnit { return p.unitList }

// DocName names a document by its number, or its title when it has none.
func (p *plan) DocName(slug string) string {
	d, ok := p.docBySlug[slug]
	if !ok {
		return slug
	}
	if d.Number != "" {
		return d.Number
	}
	return d.Title
}

// UnitName names an org unit by code.
func (p *plan) UnitName(code string) string {
	if o, ok := p.units[code]; ok {
		return o.Name
	}
	return code
}

// latestFigures returns the province figures of the newest period that has any, and
// that period; nil when no figure has been approved yet.
func (u *ui) latestFigures(ctx context.Context) (map[string]tinhso.Figure, *tinhso.Period, error) {
	periods, err := u.s.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	for i, p := range periods {
		if i >= 24 {
			break
		}
		figs, err := u.s.store.FindFigures(ctx, p.ID)
		if err != nil {
			return nil, nil, err
		}
		if len(figs) > 0 {
			out := make(map[string]tinhso.Figure, len(figs))
			for _, f := range figs {
				out[f.Indicator] = f
			}
			return out, p, nil
		}
	}
	return nil, nil, nil
}

// series returns an indicator's province figures over the periods, oldest first.
func (u *ui) series(ctx context.Context, key string, limit int) ([]tinhso.Figure, []*tinhso.Period, error) {
	periods, err := u.s.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	var figs []tinhso.Figure
	var ps []*tinhso.Period
	for i := min(len(periods), limit) - 1; i >= 0; i-- {
		p := periods[i]
		fs, err := u.s.store.FindFigures(ctx, p.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range fs {
			if f.Indicator == key {
				figs = append(figs, f)
				ps = append(ps, p)
			}
		}
	}
	return figs, ps, nil
}

// sortBy sorts a list by the key a sort parameter names; "-key" sorts descending.
func sortBy[T any](list []T, by string, keys map[string]func(a, b T) int) string {
	desc := strings.HasPrefix(by, "-")
	name := strings.TrimPrefix(by, "-")
	cmp, ok := keys[name]
	if !ok {
		return ""
	}
	sort.SliceStable(list, func(i, j int) bool {
		c := cmp(list[i], list[j])
		if desc {
			return c > 0
		}
		return c < 0
	})
	return by
}

// naturalCmp compares "2.10" after "2.9": runs of digits by value.
func naturalCmp(a, b string) int {
	for a != "" && b != "" {
		da, db := leadingDigits(a), leadingDigits(b)
		if da != "" && db != "" {
			na, _ := strconv.Atoi(da)
			nb, _ := strconv.Atoi(db)
			if na != nb {
				return cmpInt(na, nb)
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return cmpInt(int(a[0]), int(b[0]))
		}
		a, b = a[1:], b[1:]
	}
	return cmpInt(len(a), len(b))
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 9 {
		i++
	}
	return s[:i]
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// textCmp compares texts as a Vietnamese reader would, roughly: folded first.
func textCmp(a, b string) int {
	fa, fb := fold(a), fold(b)
	if fa != fb {
		return strings.Compare(fa, fb)
	}
	return strings.Compare(a, b)
}
