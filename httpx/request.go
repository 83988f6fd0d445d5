package httpx

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
)

// Query reads a list's query parameters, refusing any it does not know.
type Query struct {
	r    *http.Request
	used map[string]bool
	err  error
}

// NewQuery starts reading the query of a request.
func NewQuery(r *http.Request) *Query { return &Query{r: r, used: map[string]bool{}} }

// Str reads a parameter given at most once.
func (q *Query) Str(name string) string {
	q.used[name] = true
	v := q.r.URL.Query()[name]
	if len(v) > 1 && q.err == nil {
		q.err = tinhso.Invalid(name, "err.http.param_twice", name, len(v))
	}
	if len(v) == 0 {
		return ""
	}
	if !utf8.ValidString(v[0]) && q.err == nil {
		q.err = tinhso.Invalid(name, "err.http.param_utf8", name)
	}
	return v[0]
}

// OneOf reads a parameter that must be one of a list.
func (q *Query) OneOf(name string, allowed []string) string {
	s := q.Str(name)
	if s != "" && !contains(allowed, s) && q.err == nil {
		q.err = tinhso.Invalid(name, "err.http.param_one_of", name, strings.Join(allowed, ", "), s)
	}
	return s
}

// Int reads a whole number from min to max (0 when absent).
func (q *Query) Int(name string, min, max int) int {
	s := q.Str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if (err != nil || n < min || n > max) && q.err == nil {
		q.err = tinhso.Invalid(name, "err.http.param_int", name, min, max, s)
	}
	return n
}

// Date reads a date yyyy-mm-dd.
func (q *Query) Date(name string) string {
	s := q.Str(name)
	if s == "" {
		return ""
	}
	if _, err := time.Parse("2006-01-02", s); err != nil && q.err == nil {
		q.err = tinhso.Invalid(name, "err.http.param_date", name, s)
	}
	return s
}

// Bool reads true or false (nil when absent).
func (q *Query) Bool(name string) *bool {
	switch s := q.Str(name); s {
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
			q.err = tinhso.Invalid(name, "err.http.param_bool", name, s)
		}
		return nil
	}
}

// Page reads limit (default 50, at most 1000) and offset.
func (q *Query) Page() tinhso.Page {
	p := tinhso.Page{Limit: 50}
	if s := q.Str("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			if q.err == nil {
				q.err = tinhso.Invalid("limit", "err.http.limit", s)
			}
		} else {
			p.Limit = n
		}
	}
	p.Offset = q.Int("offset", 0, 1<<31-1)
	return p
}

// Done reports the first bad parameter, or one the endpoint does not know ("lang",
// the language of error messages, is known everywhere).
func (q *Query) Done() error {
	if q.err != nil {
		return q.err
	}
	for name := range q.r.URL.Query() {
		// lang picks the language of the answer's messages on every endpoint.
		if !q.used[name] && name != "lang" {
			known := make([]string, 0, len(q.used))
			for k := range q.used {
				known = append(known, k)
			}
			sort.Strings(known)
			return tinhso.Invalid(name, "err.http.param_unknown", name, strings.Join(known, ", "))
		}
	}
	return nil
}

// Decode reads a JSON body into v strictly: one object, known fields, valid UTF-8,
// within max bytes. Fields already set in v stay unless the body sets them, which
// makes PATCH a decode over the current record. computed names fields that cannot be
// set, with what they are computed from.
func Decode(w http.ResponseWriter, r *http.Request, max int64, v any, computed map[string]string) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/merge-patch+json") {
		return tinhso.Invalid("Content-Type", "err.http.content_type", ct)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tinhso.Errorf(tinhso.ETOOLARGE, "err.http.body_large", max)
		}
		return tinhso.Invalid("body", "err.http.body_read")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return tinhso.Invalid("body", "err.http.body_empty")
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
		return tinhso.Invalid("body", "err.http.body_utf8", i)
	}
	// Computed fields are refused by name, with the field they come from.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		raw = nil
	} else {
		for name, from := range computed {
			if _, ok := raw[name]; ok {
				return tinhso.Invalid(name, "err.http.computed", name, from)
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
		return tinhso.Invalid("body", "err.http.json_many")
	}
	if _, err := dec.Token(); err != io.EOF {
		return tinhso.Invalid("body", "err.http.json_many")
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
		return tinhso.Invalid("body", "err.http.json_at", line, col, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return tinhso.Invalid("body", "err.http.json_object", te.Value)
		}
		return tinhso.Invalid(field, "err.http.json_type", field, jsonType(te.Type.Kind().String()), te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return tinhso.Invalid("body", "err.http.json_short")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return tinhso.Invalid(name, "err.http.json_field", name)
	}
	return tinhso.Invalid("body", "err.http.json", strings.TrimPrefix(err.Error(), "json: "))
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

// IDParam reads a numeric {id} path parameter.
func IDParam(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, tinhso.Invalid("id", "err.http.id", s)
	}
	return id, nil
}

// IfMatch reads the version a write is conditional on: 0 when there is no If-Match.
func IfMatch(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	v, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(h, "W/"), `"`))
	if err != nil || v < 1 {
		return 0, tinhso.Invalid("If-Match", "err.http.if_match")
	}
	return v, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
