// Package orgcsv reads org units from CSV files (the import of the API, the page and
// the command line): the codec only; the units are checked by tinhso.OrgUnit.Validate.
package orgcsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
)

// Read reads org units from CSV with the header code,name,kind,parent (and
// optionally aliases, separated by "|", and synthetic: true for example data). Errors
// name the row and column.
func Read(r io.Reader) ([]*tinhso.OrgUnit, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 0 // every row as many fields as the header
	header, err := cr.Read()
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tinhso.Errorf(tinhso.ETOOLARGE, "The CSV file is too large.")
		}
		if err == io.EOF {
			return nil, tinhso.Invalid("body", "the CSV file is empty; its first line must be the header code,name,kind,parent")
		}
		return nil, tinhso.Invalid("body", "the CSV header could not be read: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		switch h {
		case "code", "name", "kind", "parent", "aliases", "synthetic":
			col[h] = i
		default:
			return nil, tinhso.Invalid(h, "unknown column %q in the header; the columns are code,name,kind,parent[,aliases][,synthetic]", h)
		}
	}
	for _, need := range []string{"code", "name", "kind"} {
		if _, ok := col[need]; !ok {
			return nil, tinhso.Invalid(need, "the header lacks the column %q", need)
		}
	}
	var out []*tinhso.OrgUnit
	seen := map[string]int{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, tinhso.Errorf(tinhso.ETOOLARGE, "The CSV file is too large.")
			}
			if errors.Is(err, csv.ErrFieldCount) {
				return nil, tinhso.Invalid("body", "row %d has %d fields; the header has %d", row, len(rec), len(header))
			}
			return nil, tinhso.Invalid("body", "row %d: %v", row, err)
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
				return nil, tinhso.Invalid("body", "row %d is not valid UTF-8", row)
			}
			// A cell a spreadsheet would run as a formula is refused, not stored.
			if t := strings.TrimSpace(f); t != "" && strings.ContainsRune("=+@", rune(t[0])) {
				return nil, tinhso.Invalid(header[i], "row %d, column %s: %q looks like a spreadsheet formula", row, header[i], tinhso.Clip(f, 40))
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
			return nil, tinhso.Invalid("synthetic", "row %d, column synthetic: write true or false, not %q", row, get("synthetic"))
		}
		if err := u.Validate(); err != nil {
			e := err.(*tinhso.Error)
			e.Message = fmt.Sprintf("row %d, column %s: %s", row, e.Field, e.Message)
			return nil, e
		}
		if prev, dup := seen[u.Code]; dup {
			return nil, tinhso.Invalid("code", "row %d: code %q is already on row %d", row, u.Code, prev)
		}
		seen[u.Code] = row
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, tinhso.Invalid("body", "the CSV file has a header but no rows")
	}
	return out, nil
}
