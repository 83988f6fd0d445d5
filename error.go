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

// KeyInternal is the message shown for an internal error, whose own text is never shown.
const KeyInternal = "err.internal"

// Error is the application's error: a code, for invalid input the field it is about,
// and what to tell the user as a message key with its arguments, which the edge renders
// in the reader's language (locale.Printer.Error).
type Error struct {
	Code  string
	Field string
	Key   string
	Args  Args
	// Items lists further facts, each a message: the records that refer to one being
	// deleted, the cells of a spreadsheet that are wrong.
	Items []Message
}

// Error describes the error for logs, in English.
func (e *Error) Error() string {
	var key string
	if e.Key != "" {
		key = " key=" + e.Key
	}
	if e.Field != "" {
		return fmt.Sprintf("tinhso error: code=%s field=%s%s message=%s", e.Code, e.Field, key, e.text())
	}
	return fmt.Sprintf("tinhso error: code=%s%s message=%s", e.Code, key, e.text())
}

// text is the error's message in English, for logs.
func (e *Error) text() string { return fallbackRender(e.Key, e.Args) }

// Msg returns the error's message.
func (e *Error) Msg() Message { return Message{Key: e.Key, Args: e.Args} }

// With adds items to the error and returns it.
func (e *Error) With(items ...Message) *Error {
	e.Items = append(e.Items, items...)
	return e
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

// ErrorKey returns the message key of an application error, KeyInternal for any other
// error, "" for nil.
func ErrorKey(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Key
	}
	return KeyInternal
}

// Errorf returns an application error with the given code and the message key with its
// arguments (see M for how arguments show). The key must be one of the catalogues'
// (locale/en.toml): the tests of package locale fail on a literal key they lack, and
// a printer shows any other as ??key??.
func Errorf(code string, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid returns an EINVALID error about field with the message key and its
// arguments.
func Invalid(field, key string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Key: key, Args: args}
}
