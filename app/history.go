package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/xlsx"
)

// Imported history: the figures of an indicator's past, each with its citation, as a
// table of the columns document, code, date, value, source (CSV separated by "," with
// decimal points, or by ";" with decimal commas as Vietnamese spreadsheets export, or
// the same columns in .xlsx). All rows or none: each error names its row and column.

// HistoryColumns are the columns of a history file, in order.
var HistoryColumns = []string{"document", "code", "date", "value", "source"}

// HistoryMaxRows bounds a history file.
const HistoryMaxRows = 100000

// HistoryFormat is a history file's format.
type HistoryFormat string

// History file formats.
const (
	HistoryCSV  HistoryFormat = "csv"
	HistoryXLSX HistoryFormat = "xlsx"
)

// HistoryFormatOf tells a format from a file name or media type; CSV unless it says
// .xlsx.
func HistoryFormatOf(nameOrType string) HistoryFormat {
	s := strings.ToLower(nameOrType)
	if strings.HasSuffix(s, ".xlsx") || strings.Contains(s, "spreadsheetml") {
		return HistoryXLSX
	}
	return HistoryCSV
}

// HistoryImport is what an import stored.
type HistoryImport struct {
	Rows       int      `json:"rows"`
	Indicators []string `json:"indicators"`
}

// ImportHistory reads a history file and stores its figures, all or none; synthetic
// marks every figure as synthetic (the demo's). Nothing is stored when any row is wrong:
// the error lists every wrong cell as "row N, column C: …".
func (a *App) ImportHistory(ctx context.Context, r io.Reader, format HistoryFormat, synthetic bool) (*HistoryImport, error) {
	rows, decimalComma, err := readHistoryRows(r, format)
	if err != nil {
		return nil, err
	}
	p, err := a.Plan(ctx)
	if err != nil {
		return nil, err
	}
	inds, err := a.AllIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	figs, err := ParseHistory(rows, decimalComma, p, inds)
	if err != nil {
		return nil, err
	}
	for i := range figs {
		figs[i].Synthetic = synthetic
	}
	n, err := a.store.ImportHistory(ctx, figs)
	if err != nil {
		return nil, err
	}
	a.mon.invalidate()
	out := &HistoryImport{Rows: n, Indicators: []string{}}
	seen := map[string]bool{}
	for _, f := range figs {
		if !seen[f.Indicator] {
			seen[f.Indicator] = true
			out.Indicators = append(out.Indicators, f.Indicator)
		}
	}
	a.publish(ctx, "history.imported", "history", "", a.clock(), out)
	return out, nil
}

// readHistoryRows reads the cells of a history file; decimalComma is true for a CSV
// separated by ";".
func readHistoryRows(r io.Reader, format HistoryFormat) ([][]string, bool, error) {
	if format == HistoryXLSX {
		rows, err := xlsx.ReadRows(r)
		return rows, false, err
	}
	data, err := io.ReadAll(io.LimitReader(r, 32<<20+1))
	if err != nil {
		return nil, false, err
	}
	if len(data) > 32<<20 {
		return nil, false, tinhso.Errorf(tinhso.ETOOLARGE, "err.history.too_large", 32)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, false, tinhso.Invalid("file", "err.history.encoding")
	}
	first, _, _ := bufio.NewReader(bytes.NewReader(data)).ReadLine()
	sep := ','
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		sep = ';'
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.FieldsPerRecord, cr.TrimLeadingSpace = sep, -1, true
	rows, err := cr.ReadAll()
	if err != nil {
		line := 0
		if pe, ok := err.(*csv.ParseError); ok {
			line = pe.Line
		}
		return nil, false, tinhso.Invalid("file", "err.history.csv", line)
	}
	return rows, sep == ';', nil
}

var thousandsRe = regexp.MustCompile(`^-?\d{1,3}(\.\d{3})+(,\d+)?$`)

// parseHistoryNumber reads a number with a decimal point, or, in a file separated by
// ";", with a decimal comma (and dots between thousands: 1.234,5).
func parseHistoryNumber(s string, decimalComma bool) (float64, bool) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\u00a0", ""), " ", "")
	if decimalComma {
		if thousandsRe.MatchString(s) {
			s = strings.ReplaceAll(s, ".", "")
		}
		s = strings.Replace(s, ",", ".", 1)
	}
	if s == "" || strings.ContainsAny(s, "eEiInN_xX") {
		return 0, false // no exponents, Inf, NaN, hex, digit separators
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// ParseHistory checks the rows of a history file (a header, then one figure a row)
// against the plan and returns its figures, or an error naming every wrong cell.
func ParseHistory(rows [][]string, decimalComma bool, p *Plan, inds []*tinhso.Indicator) ([]tinhso.HistoryFigure, error) {
	type key struct{ doc, code string }
	byCode := map[key]*tinhso.Indicator{}
	for _, ind := range inds {
		byCode[key{ind.Document, strings.ToLower(ind.Code)}] = ind
	}
	var problems []tinhso.Message
	problem := func(row int, col string, m tinhso.Message) {
		if len(problems) < 100 {
			problems = append(problems, tinhso.M("err.history.cell", row, col, m))
		}
	}
	// Trailing empty rows and cells do not count.
	for len(rows) > 0 && blankRow(rows[len(rows)-1]) {
		rows = rows[:len(rows)-1]
	}
	if len(rows) == 0 {
		return nil, tinhso.Invalid("file", "err.history.empty")
	}
	header := make([]string, 0, len(rows[0]))
	for _, c := range rows[0] {
		header = append(header, strings.ToLower(strings.TrimSpace(c)))
	}
	for len(header) > 0 && header[len(header)-1] == "" {
		header = header[:len(header)-1]
	}
	if strings.Join(header, ",") != strings.Join(HistoryColumns, ",") {
		return nil, tinhso.Invalid("file", "err.history.header", strings.Join(HistoryColumns, ","), strings.Join(header, ","))
	}
	if len(rows)-1 > HistoryMaxRows {
		return nil, tinhso.Invalid("file", "err.history.rows", HistoryMaxRows)
	}
	type seenAt struct {
		ind  string
		date string
	}
	seen := map[seenAt]int{}
	var out []tinhso.HistoryFigure
	for i, row := range rows[1:] {
		n := i + 2 // the row's number in the file, the header being row 1
		if blankRow(row) {
			continue
		}
		cell := func(c int) string {
			if c < len(row) {
				return norm.NFC.String(strings.TrimSpace(row[c]))
			}
			return ""
		}
		for c := len(HistoryColumns); c < len(row); c++ {
			if strings.TrimSpace(row[c]) != "" {
				problem(n, strconv.Itoa(c+1), tinhso.M("err.history.extra"))
				break
			}
		}
		docRef, code, date, value, source := cell(0), cell(1), cell(2), cell(3), cell(4)
		bad := false
		for c, v := range []string{docRef, code, date, value, source} {
			if v == "" {
				problem(n, HistoryColumns[c], tinhso.M("err.history.required"))
				bad = true
			}
		}
		var ind *tinhso.Indicator
		if docRef != "" && code != "" {
			slug := p.ResolveDoc(docRef)
			if _, ok := p.docBySlug[slug]; !ok {
				problem(n, "document", tinhso.M("err.history.document", docRef))
				bad = true
			} else if ind = byCode[key{slug, strings.ToLower(code)}]; ind == nil {
				problem(n, "code", tinhso.M("err.history.indicator", code, docRef))
				bad = true
			}
		}
		if date != "" {
			d, err := time.Parse(time.DateOnly, date)
			if err != nil || d.Format(time.DateOnly) != date {
				problem(n, "date", tinhso.M("err.history.date", date))
				bad = true
			}
		}
		f := tinhso.HistoryFigure{Date: date, Source: source}
		if ind != nil && value != "" {
			f.Indicator = ind.Key
			if ind.Target.Kind == tinhso.TargetQualitative {
				f.Text = value
			} else if v, ok := parseHistoryNumber(value, decimalComma); ok {
				f.Value = &v
			} else {
				key := "err.history.number"
				if decimalComma {
					key = "err.history.number_comma"
				}
				problem(n, "value", tinhso.M(key, value))
				bad = true
			}
		}
		if bad || ind == nil {
			continue
		}
		if first, dup := seen[seenAt{ind.Key, date}]; dup {
			problem(n, "date", tinhso.M("err.history.duplicate", first, code, date))
			continue
		}
		seen[seenAt{ind.Key, date}] = n
		out = append(out, f)
	}
	if len(problems) > 0 {
		return nil, tinhso.Invalid("file", "err.history.problems", len(problems)).With(problems...)
	}
	if len(out) == 0 {
		return nil, tinhso.Invalid("file", "err.history.empty")
	}
	return out, nil
}

func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
