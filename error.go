package tinhso

import (
	"errors"
	"fmt"
)

// Error codes. Storage maps driver errors to them; HTTP maps them to statuses.
const (
	ECONFLICT     = "conflict"     // e.g. a duplicate key, or a row others refer to
	EINTERNAL     = "internal"     // never shown to the client
	EINVALID      = "invalid"      // bad input
	ENOTFOUND     = "not_found"    // no such record
	EUNAUTHORIZED = "unauthorized" // no or bad credentials
	EFORBIDDEN    = "forbidden"    // credentials lack the right
	EPRECONDITION = "precondition" // an If-Match that no longer holds
	ETOOLARGE     = "too_large"    // a body over the limit
)

// Error is the application's error: a code, a message for the user and, for invalid
// input, the field it is about.
type Error struct {
	Code    string
	Message string
	Field   string
	// Details lists further facts, e.g. the records that refer to one being deleted.
	Details []string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("tinhso error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("tinhso error: code=%s message=%s", e.Code, e.Message)
}

// ErrorCode returns the code of an application error, or EINTERNAL for any other.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an application error, or a generic message.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// Errorf returns an application error with the given code.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}
