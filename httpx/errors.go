package httpx

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
)

// ErrorBody is the JSON body of every error. Code, Field, Key and Args are stable for
// scripts; Error and Details are the message and its items in the reader's language
// (the "lang" parameter, else Accept-Language, else English).
type ErrorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	Field string `json:"field,omitempty"`
	// Key is the message's catalogue key (locale/en.toml), "err.internal" for an internal
	// error.
	Key string `json:"key,omitempty"`
	// Args are the key's arguments; typed ones as objects: {"date": "2026-03-24"},
	// {"number": 12.5}, {"field": "name"}, {"time": …}, a message {"key": …, "args": […]}.
	Args    tinhso.Args `json:"args,omitempty"`
	Details []string    `json:"details,omitempty"`
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

// StatusOf is the HTTP status of an error code (0 for a code it does not know).
func StatusOf(code string) int { return statusOf[code] }

// Status is the HTTP status of an error: its code's, 500 for any other.
func Status(err error) int {
	if s := statusOf[tinhso.ErrorCode(err)]; s != 0 {
		return s
	}
	return http.StatusInternalServerError
}

// Error writes err as JSON with the status of its code, its message in the request's
// language (English unless "lang" or Accept-Language asks for another); internal errors
// are logged and shown only as err.internal.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	WriteJSON(w, Status(err), Body(r, err))
}

// Body is the JSON body of an error for a request.
func Body(r *http.Request, err error) ErrorBody {
	p := locale.For(locale.FromRequest(r, locale.EN))
	code := tinhso.ErrorCode(err)
	body := ErrorBody{Error: p.Error(err), Code: code, Key: tinhso.KeyInternal}
	var e *tinhso.Error
	if code == tinhso.EINTERNAL || !errors.As(err, &e) {
		slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "error", err.Error())
		body.Code = tinhso.EINTERNAL
		return body
	}
	body.Field, body.Key, body.Args, body.Details = e.Field, e.Key, e.Args, p.Items(err)
	return body
}

// TooManyRequests answers 429 with Retry-After (at least a second) and the message of
// err (its code is replaced by too_many_requests).
func TooManyRequests(w http.ResponseWriter, r *http.Request, seconds int, err error) {
	w.Header().Set("Retry-After", strconv.Itoa(max(seconds, 1)))
	body := Body(r, err)
	body.Code = "too_many_requests"
	WriteJSON(w, http.StatusTooManyRequests, body)
}

// WriteJSON writes v as JSON with a status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// List is the body of every list response.
type List[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// WriteList answers a page of a list.
func WriteList[T any](w http.ResponseWriter, items []T, total int, p tinhso.Page) {
	if items == nil {
		items = []T{}
	}
	WriteJSON(w, http.StatusOK, List[T]{Items: items, Total: total, Limit: p.Limit, Offset: p.Offset})
}

// PageOf cuts a page out of a whole list.
func PageOf[T any](all []T, p tinhso.Page) []T {
	if p.Offset >= len(all) {
		return []T{}
	}
	end := min(len(all), p.Offset+p.Limit)
	return all[p.Offset:end]
}

// ETag is the entity tag of a record's version.
func ETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// WriteVersioned answers a record with its version as ETag.
func WriteVersioned(w http.ResponseWriter, status, version int, v any) {
	w.Header().Set("ETag", ETag(version))
	WriteJSON(w, status, v)
}
