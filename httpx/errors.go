package httpx

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
)

// ErrorBody is the JSON body of every error.
type ErrorBody struct {
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

// StatusOf is the HTTP status of an error code (0 for a code it does not know).
func StatusOf(code string) int { return statusOf[code] }

// Status is the HTTP status of an error: its code's, 500 for any other.
func Status(err error) int {
	if s := statusOf[tinhso.ErrorCode(err)]; s != 0 {
		return s
	}
	return http.StatusInternalServerError
}

// Error writes err as JSON with the status of its code; internal errors are logged and
// shown only as "Internal error.".
func Error(w http.ResponseWriter, r *http.Request, err error) {
	code := tinhso.ErrorCode(err)
	body := ErrorBody{Error: tinhso.ErrorMessage(err), Code: code}
	var e *tinhso.Error
	if errors.As(err, &e) {
		body.Field, body.Details = e.Field, e.Details
	}
	if code == tinhso.EINTERNAL {
		slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "error", err.Error())
	}
	WriteJSON(w, statusOf[code], body)
}

// TooManyRequests answers 429 with Retry-After (at least a second) and a message.
func TooManyRequests(w http.ResponseWriter, seconds int, message string) {
	w.Header().Set("Retry-After", strconv.Itoa(max(seconds, 1)))
	WriteJSON(w, http.StatusTooManyRequests, ErrorBody{Code: "too_many_requests", Error: message})
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
