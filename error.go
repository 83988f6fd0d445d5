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

	// Message is the text of the error in English, or in the language a package that
	// knows its reader chose (xlsx: the form's).
	//
	// Deprecated: render Key and Args with package locale; kept filled until the web
	// layer does (phase 2 of issue 8), and the only text of errors made with a format
	// instead of a key.
	Message string
	// Details are Items as text, like Message.
	//
	// Deprecated: render Items with package locale.
	Details []string
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

// text is the error's message in English (or the language Message was filled in).
func (e *Error) text() string {
	if e.Message == "" && e.Key != "" {
		return fallbackRender(e.Key, e.Args)
	}
	return e.Message
}

// Msg returns the error's message. An error made from a format has the key "" and its
// text as the one argument.
func (e *Error) Msg() Message {
	if e.Key == "" {
		return Message{Args: Args{e.Message}}
	}
	return Message{Key: e.Key, Args: e.Args}
}

// With adds items to the error and returns it.
func (e *Error) With(items ...Message) *Error {
	for _, m := range items {
		e.Items = append(e.Items, m)
		e.Details = append(e.Details, m.String())
	}
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
// error, "" for nil and for an error made from a format.
func ErrorKey(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Key
	}
	return KeyInternal
}

// ErrorMessage returns the message of an application error in English, or a generic
// message.
//
// Deprecated: render errors with locale.Printer.Error, in the reader's language.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.text()
	}
	return fallbackRender(KeyInternal, nil)
}

// Errorf returns an application error with the given code and the message key with its
// arguments (see M for how arguments show).
//
// A key the catalogues lack is taken as an English fmt format, the text of the error:
// the callers not yet converted (http/, cmd/, blob/) still pass one. Phase 2 of issue 8
// converts them and removes this; a test in package locale keeps converted packages
// from passing anything but keys.
func Errorf(code string, key string, args ...any) *Error {
	return newError(code, "", key, args)
}

// Invalid returns an EINVALID error about field with the message key and its
// arguments; like Errorf, it still takes an English format where the key is unknown.
func Invalid(field, key string, args ...any) *Error {
	return newError(EINVALID, field, key, args)
}

func newError(code, field, key string, args []any) *Error {
	e := &Error{Code: code, Field: field}
	if IsMessageKey(key) {
		e.Key, e.Args = key, args
		e.Message = fallbackRender(key, args)
	} else {
		e.Message = fmt.Sprintf(key, args...)
	}
	return e
}
