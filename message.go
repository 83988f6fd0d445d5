package tinhso

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Message is a text for people, as the key of the message catalogues (locale/vi.toml,
// locale/en.toml) and the arguments its verbs take. Rules produce Messages, never
// finished sentences; the edge renders them in the reader's language (package locale).
type Message struct {
	Key  string `json:"key"`
	Args Args   `json:"args,omitempty"`
}

// M returns the message of key with args. Arguments of the types Date, Number, Field,
// Message, error and time.Time are shown the way the reader's language writes them;
// others are given to the key's fmt verbs as they are. A text written with {name}
// placeholders takes one map[string]any argument instead.
func M(key string, args ...any) Message { return Message{Key: key, Args: args} }

// String renders the message in English, for logs and tests (package locale renders it
// in a language).
func (m Message) String() string { return fallbackRender(m.Key, m.Args) }

// IsZero reports whether the message is empty (no key).
func (m Message) IsZero() bool { return m.Key == "" }

// Date is a message argument holding a date as stored (yyyy-mm-dd, or yyyy-mm, yyyy),
// shown as the language writes dates (dd/mm/yyyy).
type Date string

// Number is a message argument shown with the language's separators: 1.234,5 in
// Vietnamese, 1,234.5 in English.
type Number float64

// Field is a message argument naming an input field ("cutoff_day"): shown as the
// field's label, the catalogue's "field.<name>", where it has one, else as the name.
type Field string

// Args are a message's arguments. In JSON (the API's errors, stored notifications) an
// argument is a string, number or boolean as it is, and the typed ones an object that
// reads back as the same type: {"date": "2026-03-24"}, {"number": 12.5},
// {"field": "name"}, {"time": "2026-03-24T08:00:00Z"}, a message {"key": …, "args": […]},
// the one map of named arguments {"named": {"line": 3, …}}. Whole numbers read back as
// int64, other numbers as float64.
type Args []any

// MarshalJSON writes the arguments with their types.
func (a Args) MarshalJSON() ([]byte, error) {
	out := make([]any, len(a))
	for i, v := range a {
		out[i] = encodeArg(v)
	}
	return json.Marshal(out)
}

func encodeArg(v any) any {
	switch x := v.(type) {
	case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return x
	case float32:
		return encodeFloat(float64(x))
	case float64:
		return encodeFloat(x)
	case Date:
		return map[string]string{"date": string(x)}
	case Number:
		return map[string]any{"number": encodeFloat(float64(x))}
	case Field:
		return map[string]string{"field": string(x)}
	case time.Time:
		return map[string]string{"time": x.UTC().Format(time.RFC3339Nano)}
	case Message:
		return x
	case *Error:
		return Message{Key: x.Key, Args: x.Args}
	case error:
		return x.Error()
	case map[string]any:
		named := make(map[string]any, len(x))
		for k, a := range x {
			named[k] = encodeArg(a)
		}
		return map[string]any{"named": named}
	}
	return fmt.Sprint(v)
}

// encodeFloat keeps what JSON cannot hold (NaN, ±Inf) as text.
func encodeFloat(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return f
}

// UnmarshalJSON reads arguments written by MarshalJSON.
func (a *Args) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Args, len(raw))
	for i, r := range raw {
		v, err := decodeArg(r)
		if err != nil {
			return fmt.Errorf("message argument %d: %w", i+1, err)
		}
		out[i] = v
	}
	*a = out
	return nil
}

func decodeArg(r json.RawMessage) (any, error) {
	r = bytes.TrimSpace(r)
	if len(r) > 0 && r[0] == '{' {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(r, &obj); err != nil {
			return nil, err
		}
		if _, ok := obj["key"]; ok {
			var m Message
			err := json.Unmarshal(r, &m)
			return m, err
		}
		var s string
		var f float64
		for name, v := range obj {
			switch name {
			case "named":
				var raw map[string]json.RawMessage
				if err := json.Unmarshal(v, &raw); err != nil {
					return nil, err
				}
				named := make(map[string]any, len(raw))
				for k, r := range raw {
					a, err := decodeArg(r)
					if err != nil {
						return nil, err
					}
					named[k] = a
				}
				return named, nil
			case "date":
				err := json.Unmarshal(v, &s)
				return Date(s), err
			case "field":
				err := json.Unmarshal(v, &s)
				return Field(s), err
			case "number":
				err := json.Unmarshal(v, &f)
				return Number(f), err
			case "time":
				if err := json.Unmarshal(v, &s); err != nil {
					return nil, err
				}
				return time.Parse(time.RFC3339Nano, s)
			}
		}
		return nil, errors.New("an object argument must be a message or hold date, number, field, time or named")
	}
	d := json.NewDecoder(bytes.NewReader(r))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i, nil
		}
		return n.Float64()
	}
	return v, nil
}

// The English catalogue, read here so that Error() and Message.String() are sentences
// in logs and so that errors made before the edge renders them still carry a text
// (Error.Message, deprecated). Package locale reads the catalogues in full; a test
// there checks that this reader and it agree on every English text.
//
//go:embed locale/en.toml
var englishCatalogue string

var englishTexts = sync.OnceValue(func() map[string]string {
	m, err := readCatalogue(englishCatalogue)
	if err != nil {
		// The locale tests fail on a catalogue this cannot read; meanwhile, keys show.
		return map[string]string{}
	}
	return m
})

// IsMessageKey reports whether key is a key of the catalogues (a plural key counts by
// its base, "err.xlsx.problems" for "err.xlsx.problems.one" and ".other").
func IsMessageKey(key string) bool {
	t := englishTexts()
	if _, ok := t[key]; ok {
		return true
	}
	_, ok := t[key+".other"]
	return ok
}

// fallbackRender renders a key in English; a key the catalogue lacks shows as itself
// with its arguments.
func fallbackRender(key string, args []any) string {
	t := englishTexts()
	text, ok := t[key]
	if !ok {
		if other, plural := t[key+".other"]; plural {
			text = other
			if one, has := t[key+".one"]; has && len(args) > 0 && isOne(args[0]) {
				text = one
			}
		} else {
			if len(args) == 0 {
				return key
			}
			parts := make([]string, len(args))
			for i, a := range args {
				parts[i] = fmt.Sprint(fallbackArg(a))
			}
			return key + " (" + strings.Join(parts, ", ") + ")"
		}
	}
	if len(args) == 1 {
		if named, ok := args[0].(map[string]any); ok {
			return placeholderRe.ReplaceAllStringFunc(text, func(ph string) string {
				if v, ok := named[ph[1:len(ph)-1]]; ok {
					return fmt.Sprint(fallbackArg(v))
				}
				return ph
			})
		}
	}
	shown := make([]any, len(args))
	for i, a := range args {
		shown[i] = fallbackArg(a)
	}
	return fmt.Sprintf(text, shown...)
}

// placeholderRe finds the {name} placeholders of a text that takes its arguments as
// one map[string]any.
var placeholderRe = regexp.MustCompile(`\{[a-z_][a-z0-9_]*\}`)

// isOne reports whether a count argument is exactly one (English "one" form).
func isOne(v any) bool {
	switch n := v.(type) {
	case int:
		return n == 1
	case int64:
		return n == 1
	case float64:
		return n == 1
	case Number:
		return n == 1
	}
	return false
}

// fallbackArg shows a typed argument in English.
func fallbackArg(a any) any {
	switch x := a.(type) {
	case Date:
		return showDate(string(x))
	case Number:
		return englishNumber(float64(x))
	case Field:
		if label, ok := englishTexts()["field."+string(x)]; ok {
			return label
		}
		return string(x)
	case time.Time:
		return x.In(Location).Format("02/01/2006 15:04")
	case Message:
		return x.String()
	case *Error:
		return x.text()
	case error:
		return x.Error()
	}
	return a
}

// showDate writes yyyy-mm-dd as dd/mm/yyyy and yyyy-mm as mm/yyyy.
func showDate(s string) string {
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		return s[8:10] + "/" + s[5:7] + "/" + s[0:4]
	case len(s) == 7 && s[4] == '-':
		return s[5:7] + "/" + s[0:4]
	}
	return s
}

// englishNumber writes a number with at most three decimals and thousands grouped
// with commas.
func englishNumber(n float64) string {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return "–"
	}
	s := strconv.FormatFloat(n, 'f', -1, 64)
	if strings.Contains(s, ".") {
		s = strconv.FormatFloat(math.Round(n*1000)/1000, 'f', -1, 64)
	}
	neg := strings.HasPrefix(s, "-")
	intPart, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// readCatalogue reads the subset of TOML the catalogues are written in: comments,
// [section] and [section.sub] headers, and key = "basic string" lines, keys bare or
// quoted and possibly dotted. Keys are the section and key joined with dots.
func readCatalogue(src string) (map[string]string, error) {
	out := map[string]string{}
	section := ""
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return nil, fmt.Errorf("line %d: a section header without ]", n+1)
			}
			key, rest, err := readKey(line[1:end])
			if err != nil || strings.TrimSpace(rest) != "" {
				return nil, fmt.Errorf("line %d: bad section name", n+1)
			}
			section = key
			continue
		}
		key, rest, err := readKey(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		rest = strings.TrimSpace(rest)
		if !strings.HasPrefix(rest, "=") {
			return nil, fmt.Errorf("line %d: no = after the key", n+1)
		}
		value, tail, err := readString(strings.TrimSpace(rest[1:]))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		if tail = strings.TrimSpace(tail); tail != "" && tail[0] != '#' {
			return nil, fmt.Errorf("line %d: text after the value", n+1)
		}
		if section != "" {
			key = section + "." + key
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("line %d: key %s is defined twice", n+1, key)
		}
		out[key] = value
	}
	return out, nil
}

// readKey reads a bare, quoted or dotted key at the start of s and returns the rest.
func readKey(s string) (key, rest string, err error) {
	var parts []string
	for {
		s = strings.TrimLeft(s, " \t")
		switch {
		case strings.HasPrefix(s, `"`):
			var p string
			if p, s, err = readString(s); err != nil {
				return "", "", err
			}
			parts = append(parts, p)
		default:
			end := strings.IndexFunc(s, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
			})
			if end < 0 {
				end = len(s)
			}
			if end == 0 {
				return "", "", errors.New("no key")
			}
			parts, s = append(parts, s[:end]), s[end:]
		}
		s = strings.TrimLeft(s, " \t")
		if !strings.HasPrefix(s, ".") {
			return strings.Join(parts, "."), s, nil
		}
		s = s[1:]
	}
}

// readString reads a TOML basic string ("…" with backslash escapes) at the start of s.
func readString(s string) (value, rest string, err error) {
	if !strings.HasPrefix(s, `"`) || strings.HasPrefix(s, `"""`) {
		return "", "", errors.New(`a value must be a one-line "string"`)
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return b.String(), s[i+1:], nil
		case '\\':
			if i+1 >= len(s) {
				return "", "", errors.New("a string ends in a backslash")
			}
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case '"', '\\':
				b.WriteByte(s[i])
			case 'u', 'U':
				size := 4
				if s[i] == 'U' {
					size = 8
				}
				if i+size >= len(s) {
					return "", "", errors.New("a short \\u escape")
				}
				r, err := strconv.ParseUint(s[i+1:i+1+size], 16, 32)
				if err != nil {
					return "", "", errors.New("a bad \\u escape")
				}
				b.WriteRune(rune(r))
				i += size
			default:
				return "", "", fmt.Errorf("an unknown escape \\%c", s[i])
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errors.New("a string without its closing quote")
}
