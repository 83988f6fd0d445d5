// Package orgcsv reads org units from CSV files (the import of the API, the page and
// the command line): the codec only; the units are checked by tinhso.OrgUnit.Validate.
package orgcsv

import (
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
)

// The limits of one import, whoever sends it (the API, the page, the command): a
// province's communes and departments are a few hundred rows, far below them.
const (
	MaxBytes = 1 << 20 // 1 MiB
	MaxRows  = 5000
)

// errTooLarge is what limited gives past MaxBytes.
var errTooLarge = errors.New("orgcsv: more than MaxBytes")

// limited reads at most MaxBytes, then fails with errTooLarge.
type limited struct {
	r io.Reader
	n int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// tooLarge is the error of a file over the limits.
func tooLarge() error {
	return tinhso.Errorf(tinhso.ETOOLARGE, "err.orgimport.too_large", MaxBytes>>20, MaxRows)
}

// Read reads org units from CSV with the header code,name,kind,parent (and
// optionally aliases, separated by "|", and synthetic: true for example data): at most
// MaxBytes and MaxRows. Errors name the row and column.
func Read(r io.Reader) ([]*tinhso.OrgUnit, error) {
	cr := csv.NewReader(&limited{r: r, n: MaxBytes})
	cr.FieldsPerRecord = 0 // every row as many fields as the header
	header, err := cr.Read()
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || errors.Is(err, errTooLarge) {
			return nil, tooLarge()
		}
		if err == io.EOF {
			return nil, tinhso.Invalid("body", "err.csv.empty")
		}
		return nil, tinhso.Invalid("body", "err.csv.header", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch h {
		case "code", "name", "kind", "parent", "aliases", "synthetic":
			col[h] = i
		default:
			return nil, tinhso.Invalid(h, "err.csv.column", h)
		}
	}
	for _, need := range []string{"code", "name", "kind"} {
		if _, ok := col[need]; !ok {
			return nil, tinhso.Invalid(need, "err.csv.lacks", need)
		}
	}
	var out []*tinhso.OrgUnit
	seen := map[string]int{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if row-1 > MaxRows {
			return nil, tooLarge()
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) || errors.Is(err, errTooLarge) {
				return nil, tooLarge()
			}
			if errors.Is(err, csv.ErrFieldCount) {
				return nil, tinhso.Invalid("body", "err.csv.fields", row, len(rec), len(header))
			}
			return nil, tinhso.Invalid("body", "err.csv.row", row, err)
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		for i, f := range rec {
			if !utf8.ValidString(f) {
				return nil, tinhso.Invalid("body", "err.csv.utf8", row)
			}
			// A cell a spreadsheet would run as a formula is refused, not stored.
			if t := strings.TrimSpace(f); t != "" && strings.ContainsRune("=+@", rune(t[0])) {
				return nil, tinhso.Invalid(header[i], "err.csv.formula", row, header[i], tinhso.Clip(f, 40))
			}
			rec[i] = norm.NFC.String(f)
		}
		u := &tinhso.OrgUnit{Code: get("code"), Name: get("name"), Kind: get("kind"), ParentCode: get("parent")}
		if a := get("aliases"); a != "" {
			u.Aliases = strings.Split(a, "|")
		}
		switch strings.ToLower(get("synthetic")) {
		case "", "false", "0", "no", "không":
		case "true", "1", "yes", "có":
			u.Synthetic = true
		default:
			return nil, tinhso.Invalid("synthetic", "err.csv.synthetic", row, get("synthetic"))
		}
		if err := u.Validate(); err != nil {
			e := err.(*tinhso.Error)
			return nil, tinhso.Invalid(e.Field, "err.csv.row_column", row, e.Field, e)
		}
		if prev, dup := seen[u.Code]; dup {
			return nil, tinhso.Invalid("code", "err.csv.duplicate", row, u.Code, prev)
		}
		seen[u.Code] = row
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, tinhso.Invalid("body", "err.csv.no_rows")
	}
	return out, nil
}
