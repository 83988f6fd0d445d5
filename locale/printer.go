package locale

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// Printer renders keys, messages, errors, numbers and dates in one language.
type Printer struct {
	lang  Lang
	texts map[string]string
}

// Printer returns the catalogue's printer for a language; a language it lacks prints
// every key as missing.
func (c *Catalogue) Printer(l Lang) *Printer {
	return &Printer{lang: l, texts: c.texts[l]}
}

// Lang is the printer's language.
func (p *Printer) Lang() Lang { return p.lang }

// Has reports whether the language has a key (or a plural key of that name).
func (p *Printer) Has(key string) bool {
	if _, ok := p.texts[key]; ok {
		return true
	}
	_, ok := p.texts[key+".other"]
	return ok
}

// T renders a key with its arguments: the text's fmt verbs take them in order, or, when
// the one argument is a map[string]any, its {name} placeholders take them by name. A
// plural key takes its form from the count, the first argument. A missing key shows
// as ??key??, which the pages' tests look for.
func (p *Printer) T(key string, args ...any) string {
	text, ok := p.texts[key]
	if !ok {
		if text, ok = p.plural(key, args); !ok {
			return "??" + key + "??"
		}
	}
	if len(args) == 1 {
		if named, ok := args[0].(map[string]any); ok {
			return placeholderRe.ReplaceAllStringFunc(text, func(ph string) string {
				if v, ok := named[ph[1:len(ph)-1]]; ok {
					return fmt.Sprint(p.arg(v))
				}
				return ph
			})
		}
	}
	shown := make([]any, len(args))
	for i, a := range args {
		shown[i] = p.arg(a)
	}
	return fmt.Sprintf(text, shown...)
}

// placeholderRe finds the named placeholders of a text that takes one map argument:
// "Dòng {line}: …" (the form tsdb.LineError and netguard.RefusedError give their
// arguments in). Such a text is no fmt format: a % in it is a percent sign.
var placeholderRe = regexp.MustCompile(`\{[a-z_][a-z0-9_]*\}`)

// plural returns the form of a plural key for the count in args[0].
func (p *Printer) plural(key string, args []any) (string, bool) {
	other, ok := p.texts[key+".other"]
	if !ok {
		return "", false
	}
	if p.lang == EN && len(args) > 0 {
		if n, ok := count(args[0]); ok && n == 1 {
			if one, ok := p.texts[key+".one"]; ok {
				return one, true
			}
		}
	}
	return other, true
}

func count(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case uint:
		return float64(n), true
	case float64:
		return n, true
	case tinhso.Number:
		return float64(n), true
	}
	return 0, false
}

// arg shows a typed argument in the printer's language.
func (p *Printer) arg(a any) any {
	switch x := a.(type) {
	case tinhso.Date:
		return p.Date(string(x))
	case tinhso.Number:
		return p.Number(float64(x))
	case tinhso.Field:
		if label, ok := p.texts["field."+string(x)]; ok {
			return label
		}
		return string(x)
	case time.Time:
		return p.Time(x)
	case tinhso.Message:
		return p.Message(x)
	case *tinhso.Error:
		return p.Error(x)
	case error:
		// An error given as an argument was chosen to be shown (a parser's complaint).
		return x.Error()
	}
	return a
}

// Message renders a message. A message without a key (an error made from a format)
// shows its one argument as it is.
func (p *Printer) Message(m tinhso.Message) string {
	if m.Key == "" {
		if len(m.Args) == 1 {
			return fmt.Sprint(m.Args[0])
		}
		return ""
	}
	return p.T(m.Key, m.Args...)
}

// Error renders an error for its reader: an application error by its key and
// arguments, an internal error or any other error as the generic internal-error
// message, never its own text.
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	var e *tinhso.Error
	if !errors.As(err, &e) || e.Code == tinhso.EINTERNAL {
		return p.T(tinhso.KeyInternal)
	}
	return p.T(e.Key, e.Args...)
}

// Items renders the items of an application error.
func (p *Printer) Items(err error) []string {
	var e *tinhso.Error
	if !errors.As(err, &e) || e.Code == tinhso.EINTERNAL {
		return nil
	}
	if len(e.Items) == 0 {
		return nil
	}
	out := make([]string, len(e.Items))
	for i, m := range e.Items {
		out[i] = p.Message(m)
	}
	return out
}

// Number shows a number (int, int64, float64, *float64, tinhso.Number) with at most
// three decimals and the language's separators: 1.234,5 in Vietnamese, 1,234.5 in
// English; a nil pointer shows as "", a NaN or infinity as "–".
func (p *Printer) Number(x any) string {
	switch n := x.(type) {
	case int:
		return formatNumber(float64(n), p.lang)
	case int64:
		return formatNumber(float64(n), p.lang)
	case float64:
		return formatNumber(n, p.lang)
	case tinhso.Number:
		return formatNumber(float64(n), p.lang)
	case *float64:
		if n == nil {
			return ""
		}
		return formatNumber(*n, p.lang)
	}
	return fmt.Sprint(x)
}

// Date shows a date (yyyy-mm-dd), month (yyyy-mm) or year as dd/mm/yyyy, mm/yyyy,
// yyyy, in both languages (the province's convention).
func (p *Printer) Date(s string) string {
	switch {
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		return s[8:10] + "/" + s[5:7] + "/" + s[0:4]
	case len(s) == 7 && s[4] == '-':
		return s[5:7] + "/" + s[0:4]
	}
	return s
}

// Time shows a moment as dd/mm/yyyy hh:mm in the province's time zone; the zero time
// as "".
func (p *Printer) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(tinhso.Location).Format("02/01/2006 15:04")
}

// formatNumber writes n with at most three decimals, grouping thousands: Vietnamese
// groups with "." and marks decimals with ",", English the other way round.
func formatNumber(n float64, l Lang) string {
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
	if l == EN {
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
