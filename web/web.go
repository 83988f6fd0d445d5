// Package web serves tinhso's pages: the operations board, the plan's lists and
// records, the public portal, and the signed-in pages (reporting, review, periods,
// accounts). Templates and assets are embedded and made once at start; messages come
// in Vietnamese and English. Each handler reads what its page shows from the use-cases
// (app) and renders it; the rules live there and in engine.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// The pages' templates and static files, embedded in the binary and parsed once.
var (
	//go:embed html/*.html
	templateFS embed.FS
	//go:embed assets
	assetFS embed.FS
)

// Web is the pages' dependencies, and their templates and assets made once.
type Web struct {
	cfg   *httpx.Config
	auth  *httpx.Auth
	app   *app.App
	store tinhso.Store
	blobs tinhso.BlobStore

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

// New makes the pages over the use-cases; blobs keeps evidence files. The templates
// are embedded: an error parsing them is a programming error every test catches.
func New(cfg *httpx.Config, auth *httpx.Auth, a *app.App, blobs tinhso.BlobStore) (*Web, error) {
	u := &Web{cfg: cfg, auth: auth, app: a, store: a.Store(), blobs: blobs,
		pages: map[string]*template.Template{}, assets: map[string]asset{}, urls: map[string]string{}}
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
		"join": strings.Join,
		// nfc composes a text's letters and marks (seed passages may be NFD), so the
		// page font draws each diacritic on its letter.
		"nfc":     norm.NFC.String,
		"has":     func(list []string, s string) bool { return slices.Contains(list, s) },
		"pct":     func(p *float64) float64 { return math.Round(*p*1000) / 10 },
		"list":    func(s ...string) []string { return s },
		"percent": func(n, of int) int { return int(math.Round(float64(n) * 100 / math.Max(float64(of), 1))) },
	}
	names, err := fs.Glob(templateFS, "html/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" || base == "common.html" || strings.HasPrefix(base, "partial_") {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "html/layout.html", "html/common.html", "html/partial_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		u.pages[strings.TrimSuffix(base, ".html")] = t
	}
	return u, nil
}

// Register puts the pages on mux. Pages are not part of the API: they are not in the
// OpenAPI document.
func (u *Web) Register(mux *http.ServeMux) {
	// Any other path: a page in the reader's language, with a way back (HTTP 404).
	mux.HandleFunc("/", u.notFound)
	for _, rt := range [][]route{u.planRoutes(), u.portalRoutes(), u.proposalRoutes(), u.accountRoutes(), u.reportingRoutes(), u.adminRoutes(), u.seriesRoutes(), u.successionRoutes(), u.alertRoutes(), u.monitoringRoutes(), u.assessmentPortalRoutes(), u.assessmentRoutes(), u.topicRuleRoutes()} {
		for _, r := range rt {
			mux.HandleFunc(r.pattern, r.handler)
		}
	}
}

// route is a page: its pattern ("GET /tasks/{id}") and handler, behind its guard when
// it needs one.
type route struct {
	pattern string
	handler http.HandlerFunc
}

// serveAsset serves an embedded file by its checksummed URL: the URL changes when the
// file does, so it may be cached for a year.
func (u *Web) serveAsset(w http.ResponseWriter, r *http.Request) {
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

// render writes a page, or an error page if the template fails.
func (u *Web) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
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

// show renders a page of data d with a title, or the error page when err is set: the
// end of every page handler that loads one thing and shows it.
func (u *Web) show(w http.ResponseWriter, r *http.Request, v *view, page, title string, d any, err error) {
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	if title != "" {
		v.Title = title
	}
	v.D = d
	u.render(w, r, http.StatusOK, page, v)
}

// fail shows an error as a page: not found and bad requests with their message,
// anything else as an internal error (logged, never shown).
func (u *Web) fail(w http.ResponseWriter, r *http.Request, v *view, err error) {
	if v == nil {
		v = u.newView(w, r, "")
	}
	code := tinhso.ErrorCode(err)
	status := httpx.StatusOf(code)
	if status == 0 {
		status = http.StatusInternalServerError
	}
	msg := v.printer().Error(err)
	if code == tinhso.EINTERNAL {
		u.cfg.Log.Error("page failed", "method", r.Method, "path", r.URL.Path, "error", err.Error())
		msg = ""
	}
	ev := *v
	ev.Title = v.T("error.title")
	if status == http.StatusNotFound {
		ev.Title = v.T("w9.error.not_found_title")
	}
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

// notFound answers a path no page has: the error page, 404.
func (u *Web) notFound(w http.ResponseWriter, r *http.Request) {
	u.fail(w, r, nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.page.not_found", tinhso.Clip(r.URL.Path, 200)))
}

// today is the date in the province (yyyy-mm-dd).
func (u *Web) today() string { return u.cfg.Today() }

// user is the signed-in user a page's guard recognised.
func user(r *http.Request) *tinhso.User { return httpx.UserFrom(r.Context()) }
