// Package http serves tinhso's JSON API (and, later, its pages) over HTTP. Handlers
// parse, call a store, and render, or call Error.
package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/credential"
)

// Server holds the API's dependencies. Build it with NewServer, serve Handler().
type Server struct {
	store tinhso.Store
	app   *app.App
	log   *slog.Logger
	// adminTokenHash is the SHA-256 of the bootstrap admin token (hex).
	adminTokenHash string
	// MaxBodyBytes bounds request bodies.
	MaxBodyBytes int64
	// Now is the clock; tests set it.
	Now func() time.Time
	// Blobs keeps evidence files.
	Blobs tinhso.BlobStore
	// PublicURL, when set, is the address the open-data catalogue's links use instead
	// of the request's Host (which a client chooses).
	PublicURL string
	// web is the pages' templates and assets, made once.
	web *ui
	// Auth configures how callers are recognised (auth.go).
	Auth AuthOptions

	mux    *http.ServeMux
	routes []route
}

// NewServer makes a server over the use-cases. adminTokenHash is the hex SHA-256 of
// the token that may write.
func NewServer(a *app.App, adminTokenHash string, log *slog.Logger) *Server {
	s := &Server{store: a.Store(), app: a, log: log, adminTokenHash: adminTokenHash, MaxBodyBytes: 1 << 20, Now: time.Now, mux: http.NewServeMux()}
	s.registerHealth()
	s.registerDocuments()
	s.registerOrgUnits()
	s.registerIndicators()
	s.registerTasks()
	s.registerProblems()
	s.registerAccounts()
	s.registerMeasures()
	s.registerReporting()
	s.registerReportingXLSX()
	s.registerProposals()
	s.registerOpenAPI()
	s.registerUI()
	s.registerAccountUI()
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		if allow := s.allowed(r.URL.Path); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			if r.Method == http.MethodOptions {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			Error(w, r, &tinhso.Error{Code: "method_not_allowed", Message: fmt.Sprintf("%s does not take %s; it takes %s.", r.URL.Path, r.Method, strings.Join(allow, ", "))})
			return
		}
		Error(w, r, tinhso.Errorf(tinhso.ENOTFOUND, "No API endpoint %s %s; see /api/v1/openapi.json.", r.Method, r.URL.Path))
	})
	return s
}

// allowed lists the methods the routes take on a path.
func (s *Server) allowed(path string) []string {
	var out []string
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, rt := range s.routes {
		ps := strings.Split(strings.Trim(rt.path, "/"), "/")
		if len(ps) != len(segs) {
			continue
		}
		match := true
		for i := range ps {
			if !strings.HasPrefix(ps[i], "{") && ps[i] != segs[i] || segs[i] == "" {
				match = false
				break
			}
		}
		if match && !containsString(out, rt.method) {
			out = append(out, rt.method)
		}
	}
	if len(out) > 0 && containsString(out, "GET") {
		out = append(out, "HEAD")
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// HashToken returns the hex SHA-256 of a token, as stored.
func HashToken(token string) string { return credential.HashToken(token) }

// Handler returns the server's handler with logging and panic recovery around it.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &statusWriter{ResponseWriter: w, status: 200}
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
				Error(rw, r, fmt.Errorf("panic: %v", v))
			}
			if s.log.Enabled(r.Context(), slog.LevelDebug) || rw.status >= 500 {
				s.log.Log(r.Context(), levelFor(rw.status), "request", "method", r.Method, "path", r.URL.Path, "status", rw.status,
					"duration_ms", float64(time.Since(start).Microseconds())/1000)
			}
		}()
		rw.Header().Set("X-Content-Type-Options", "nosniff")
		if err := checkURL(r); err != nil {
			Error(rw, r, err)
			return
		}
		normalizeURL(r)
		s.mux.ServeHTTP(rw, r)
	})
}

// checkURL refuses a path or query that is not valid UTF-8 or holds control
// characters: no record has such a key, and PostgreSQL would refuse a NUL.
func checkURL(r *http.Request) error {
	for _, part := range []struct{ name, val string }{{"path", r.URL.Path}, {"query", r.URL.RawQuery}} {
		val := part.val
		if part.name == "query" {
			if q, err := url.QueryUnescape(val); err == nil {
				val = q
			} else {
				return tinhso.Invalid("query", "the query string is not well formed: %v", err)
			}
		}
		if !utf8.ValidString(val) {
			return tinhso.Invalid(part.name, "the %s is not valid UTF-8", part.name)
		}
		for _, c := range val {
			if c < 0x20 || c == 0x7f {
				return tinhso.Invalid(part.name, "the %s holds a control character (U+%04X)", part.name, c)
			}
		}
	}
	return nil
}

// normalizeURL puts the path and query values into NFC, so a decomposed "Thái Nguyên"
// finds what the composed one does.
func normalizeURL(r *http.Request) {
	if !norm.NFC.IsNormalString(r.URL.Path) {
		r.URL.Path = norm.NFC.String(r.URL.Path)
		r.URL.RawPath = ""
	}
	if q := r.URL.RawQuery; q != "" {
		if dq, err := url.QueryUnescape(q); err == nil && !norm.NFC.IsNormalString(dq) {
			vals := r.URL.Query()
			for k, vs := range vals {
				for i := range vs {
					vs[i] = norm.NFC.String(vs[i])
				}
				vals[k] = vs
			}
			r.URL.RawQuery = vals.Encode()
		}
	}
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelDebug
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// errorBody is the JSON body of every error.
type errorBody struct {
	Error   string   `json:"error"`
	Code    string   `json:"code"`
	Field   string   `json:"field,omitempty"`
	Details []string `json:"details,omitempty"`
}

var statusOf = map[string]int{
	tinhso.ECONFLICT:     http.StatusConflict,
	tinhso.EINVALID:      http.StatusBadRequest,
	tinhso.ENOTFOUND:     http.StatusNotFound,
	tinhso.EUNAUTHORIZED: http.StatusUnauthorized,
	tinhso.EFORBIDDEN:    http.StatusForbidden,
	tinhso.EPRECONDITION: http.StatusPreconditionFailed,
	tinhso.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	tinhso.EINTERNAL:     http.StatusInternalServerError,
	"method_not_allowed": http.StatusMethodNotAllowed,
}

// Error writes err as JSON with the status of its code; internal errors are logged and
// shown only as "Internal error.".
func Error(w http.ResponseWriter, r *http.Request, err error) {
	code := tinhso.ErrorCode(err)
	body := errorBody{Error: tinhso.ErrorMessage(err), Code: code}
	var e *tinhso.Error
	if errors.As(err, &e) {
		body.Field, body.Details = e.Field, e.Details
	}
	if code == tinhso.EINTERNAL {
		slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "error", err.Error())
	}
	writeJSON(w, statusOf[code], body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// list is the body of every list response.
type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

func writeList[T any](w http.ResponseWriter, items []T, total int, p tinhso.Page) {
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, list[T]{Items: items, Total: total, Limit: p.Limit, Offset: p.Offset})
}

// query reads a list's query parameters, refusing any it does not know.
type query struct {
	r    *http.Request
	used map[string]bool
	err  error
}

func newQuery(r *http.Request) *query { return &query{r: r, used: map[string]bool{}} }

func (q *query) str(name string) string {
	q.used[name] = true
	v := q.r.URL.Query()[name]
	if len(v) > 1 && q.err == nil {
		q.err = tinhso.Invalid(name, "query parameter %s is given %d times; give it once", name, len(v))
	}
	if len(v) == 0 {
		return ""
	}
	if !utf8.ValidString(v[0]) && q.err == nil {
		q.err = tinhso.Invalid(name, "query parameter %s is not valid UTF-8", name)
	}
	return v[0]
}

// oneOf reads a parameter that must be one of a list.
func (q *query) oneOf(name string, allowed []string) string {
	s := q.str(name)
	if s != "" && !containsString(allowed, s) && q.err == nil {
		q.err = tinhso.Invalid(name, "query parameter %s must be one of %s, not %q", name, strings.Join(allowed, ", "), s)
	}
	return s
}

func (q *query) int(name string, min, max int) int {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if (err != nil || n < min || n > max) && q.err == nil {
		q.err = tinhso.Invalid(name, "query parameter %s must be a whole number from %d to %d, not %q", name, min, max, s)
	}
	return n
}

func (q *query) date(name string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	if _, err := time.Parse("2006-01-02", s); err != nil && q.err == nil {
		q.err = tinhso.Invalid(name, "query parameter %s must be a date yyyy-mm-dd, not %q", name, s)
	}
	return s
}

func (q *query) boolean(name string) *bool {
	switch s := q.str(name); s {
	case "":
		return nil
	case "true", "1":
		b := true
		return &b
	case "false", "0":
		b := false
		return &b
	default:
		if q.err == nil {
			q.err = tinhso.Invalid(name, "query parameter %s must be true or false, not %q", name, s)
		}
		return nil
	}
}

// page reads limit (default 50, at most 1000) and offset.
func (q *query) page() tinhso.Page {
	p := tinhso.Page{Limit: 50}
	if s := q.str("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			if q.err == nil {
				q.err = tinhso.Invalid("limit", "limit must be a whole number from 1 to 1000, not %q", s)
			}
		} else {
			p.Limit = n
		}
	}
	p.Offset = q.int("offset", 0, 1<<31-1)
	return p
}

// done reports the first bad parameter, or one the endpoint does not know.
func (q *query) done() error {
	if q.err != nil {
		return q.err
	}
	for name := range q.r.URL.Query() {
		if !q.used[name] {
			known := make([]string, 0, len(q.used))
			for k := range q.used {
				known = append(known, k)
			}
			return tinhso.Invalid(name, "unknown query parameter %q; this endpoint takes %s", name, strings.Join(sortStrings(known), ", "))
		}
	}
	return nil
}

// decode reads a JSON body into v strictly: one object, known fields, valid UTF-8,
// within the size limit. Fields already set in v stay unless the body sets them, which
// makes PATCH a decode over the current record.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any, computed map[string]string) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/merge-patch+json") {
		return tinhso.Invalid("Content-Type", "the body must be JSON (Content-Type: application/json), not %q", ct)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tinhso.Errorf(tinhso.ETOOLARGE, "The body is larger than %d bytes.", s.MaxBodyBytes)
		}
		return tinhso.Invalid("body", "the body could not be read")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return tinhso.Invalid("body", "the body is empty; send a JSON object")
	}
	if !utf8.Valid(body) {
		i := 0
		for i < len(body) {
			r, size := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		return tinhso.Invalid("body", "the body is not valid UTF-8 (bad byte at offset %d)", i)
	}
	// Computed fields are refused by name, with the field they come from.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		raw = nil
	} else {
		for name, from := range computed {
			if _, ok := raw[name]; ok {
				return tinhso.Invalid(name, "%s is computed from %s and cannot be set", name, from)
			}
		}
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, body)
	}
	// JSON null clears a field (RFC 7396), whatever Go's decoder would keep.
	if raw != nil {
		clearNulls(v, raw)
	}
	// Text is stored as NFC: "Tháng 7/2025" typed in decomposed form must parse and
	// match like the composed one.
	normalizeStrings(reflect.ValueOf(v))
	if dec.More() {
		return tinhso.Invalid("body", "the body holds more than one JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return tinhso.Invalid("body", "the body holds more than one JSON value")
	}
	return nil
}

// clearNulls sets to its zero value every field of *v the body gave as null.
func clearNulls(v any, raw map[string]json.RawMessage) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return
	}
	rv = rv.Elem()
	for i := 0; i < rv.NumField(); i++ {
		name, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("json"), ",")
		if m, ok := raw[name]; ok && string(m) == "null" {
			rv.Field(i).SetZero()
		}
	}
}

// normalizeStrings puts every string reachable from v into Unicode NFC.
func normalizeStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			normalizeStrings(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				normalizeStrings(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			normalizeStrings(v.Index(i))
		}
	case reflect.String:
		if v.CanSet() && !norm.NFC.IsNormalString(v.String()) {
			v.SetString(norm.NFC.String(v.String()))
		}
	}
}

func jsonError(err error, body []byte) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := position(body, se.Offset)
		return tinhso.Invalid("body", "malformed JSON at line %d, column %d: %s", line, col, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return tinhso.Invalid("body", "the body must be a JSON object, not %s", te.Value)
		}
		return tinhso.Invalid(field, "%s must be %s, not %s", field, jsonType(te.Type.Kind().String()), te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return tinhso.Invalid("body", "malformed JSON: the body ends too early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return tinhso.Invalid(name, "unknown field %q", name)
	}
	return tinhso.Invalid("body", "malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int64", "int32":
		return "a whole number"
	case "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	}
	return kind
}

func position(b []byte, offset int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < offset && i < int64(len(b)); i++ {
		if b[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return
}

// idParam reads a numeric {id} path parameter.
func idParam(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, tinhso.Invalid("id", "id must be a positive whole number, not %q", s)
	}
	return id, nil
}

// ifMatch reads the version a write is conditional on: 0 when there is no If-Match.
func ifMatch(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil || v < 1 {
		return 0, tinhso.Invalid("If-Match", "If-Match must be an ETag this API sent, such as \"3\"")
	}
	return v, nil
}

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

func writeVersioned(w http.ResponseWriter, status, version int, v any) {
	w.Header().Set("ETag", etag(version))
	writeJSON(w, status, v)
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}
