package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
	"github.com/xuri/excelize/v2"
)

// Limits of an uploaded form.
const (
	// MaxSize is the largest file Read accepts.
	MaxSize = 10 << 20
	// maxUnzipped bounds the uncompressed size of the whole package and of one XML
	// part, against zip bombs.
	maxUnzipped    = 200 << 20
	maxUnzippedXML = 100 << 20
	maxEntries     = 5000
	// maxDetails bounds the problems listed in one error.
	maxDetails = 500
)

// Read reads a form filled from the one Write made for f, checking it cell by cell,
// and returns the values and progress it holds: an indicator row or task row with
// nothing filled gives nothing. Every problem is listed at once in one EINVALID error
// (key err.xlsx.problems) whose Items name the sheet and cell (xlsx.cell: "Chỉ
// tiêu!F7: …"); Message and Details carry them rendered in f's language. Among the
// problems: a file that is not .xlsx
// (legacy .xls, .xlsm or any macros), a form of another unit or period, formulas,
// merged cells in the table, rows missing, added or whose key was changed, text where
// a number belongs, a percent outside 0–100, a "done" cell other than Có/Không, and
// every rule of tinhso.ValidateValue. A file over MaxSize is ETOOLARGE.
//
// Numbers may be typed as numbers or as text in the Vietnamese way ("12,5",
// "1.500"); a number cell formatted as a percentage counts in percent (0,85 shown as
// 85% is 85). A returned number carries the indicator's unit; the deliverable file of
// a task's progress, which the form does not show, is kept from f.Progress. The file
// may be in either language: its _meta sheet says which.
func Read(r io.Reader, size int64, f Form) ([]tinhso.IndicatorValue, []tinhso.TaskProgress, error) {
	if err := checkForm(f); err != nil {
		return nil, nil, err
	}
	tooLarge := tinhso.Errorf(tinhso.ETOOLARGE, "err.xlsx.too_large", MaxSize>>20)
	tooLarge.Field = "file"
	if size > MaxSize {
		return nil, nil, tooLarge
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("xlsx: reading the upload: %w", err)
	}
	if len(data) > MaxSize {
		return nil, nil, tooLarge
	}
	if m := checkPackage(data); !m.IsZero() {
		return nil, nil, f.fileError(m)
	}
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		return nil, nil, f.fileError(tinhso.M("err.xlsx.open", err))
	}
	defer x.Close()

	rd := &reader{x: x, f: f}
	rd.checkMeta() // and picks the file's language
	values := rd.readIndicators()
	progress := rd.readTasks()
	if len(rd.problems) > 0 {
		return nil, nil, tinhso.Invalid("file", "err.xlsx.problems", len(rd.problems)).With(rd.details()...)
	}
	return values, progress, nil
}

// fileError is the error for a file that is no form at all: the message, also as its
// one item.
func (f Form) fileError(m tinhso.Message) *tinhso.Error {
	return tinhso.Invalid("file", m.Key, m.Args...).With(m)
}

// checkPackage looks at the zip package before excelize parses it, and says why it is
// not an .xlsx form, or nothing (a zero message) when it may be one.
func checkPackage(data []byte) tinhso.Message {
	switch {
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return tinhso.M("err.xlsx.xls")
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return tinhso.M("err.xlsx.not_xlsx")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return tinhso.M("err.xlsx.broken", err)
	}
	if len(zr.File) > maxEntries {
		return tinhso.M("err.xlsx.parts")
	}
	var total uint64
	var workbook, contentTypes *zip.File
	for _, e := range zr.File {
		name := strings.ToLower(e.Name)
		total += e.UncompressedSize64
		switch {
		case strings.HasSuffix(name, "vbaproject.bin") || strings.HasSuffix(name, "vbadata.xml"):
			return tinhso.M("err.xlsx.macros", e.Name)
		case name == "xl/workbook.xml":
			workbook = e
		case name == "[content_types].xml":
			contentTypes = e
		}
	}
	if total > maxUnzipped {
		return tinhso.M("err.xlsx.unzipped", maxUnzipped>>20)
	}
	if workbook == nil || contentTypes == nil {
		return tinhso.M("err.xlsx.incomplete")
	}
	rc, err := contentTypes.Open()
	if err != nil {
		return tinhso.M("err.xlsx.broken", err)
	}
	ct, err := io.ReadAll(io.LimitReader(rc, 1<<20))
	rc.Close()
	if err != nil {
		return tinhso.M("err.xlsx.broken", err)
	}
	// A <Default Extension="bin" …vbaProject> line names a type no part may have
	// (excelize writes one in every file): what counts is a part holding macros, which
	// the loop above refuses, or a workbook declared macro-enabled.
	if macroEnabledOverride(string(ct)) {
		return tinhso.M("err.xlsx.xlsm")
	}
	return tinhso.Message{}
}

type reader struct {
	x        *excelize.File
	f        Form
	tx       texts // the words of the file's language
	problems []problem
}

// problem is one problem found, at a cell ("F7") or range ("F7:G7") of a sheet.
type problem struct {
	sheet, cell string
	msg         tinhso.Message
}

func (rd *reader) problem(sheet, cell, key string, args ...any) {
	rd.problems = append(rd.problems, problem{sheet, cell, tinhso.M(key, args...)})
}

// details lists the problems sheet by sheet (_meta, Chỉ tiêu, Nhiệm vụ), then by row
// and column, each as xlsx.cell: the sheet, the cell and the problem.
func (rd *reader) details() []tinhso.Message {
	order := map[string]int{SheetMeta: 0, rd.tx.indicators: 1, rd.tx.tasks: 2}
	at := func(p problem) (int, int) {
		c, r, _ := excelize.CellNameToCoordinates(strings.Split(p.cell, ":")[0])
		return r, c
	}
	sort.SliceStable(rd.problems, func(i, j int) bool {
		a, b := rd.problems[i], rd.problems[j]
		if order[a.sheet] != order[b.sheet] {
			return order[a.sheet] < order[b.sheet]
		}
		ra, ca := at(a)
		rb, cb := at(b)
		if ra != rb {
			return ra < rb
		}
		return ca < cb
	})
	out := make([]tinhso.Message, 0, min(len(rd.problems), maxDetails+1))
	for i, p := range rd.problems {
		if i == maxDetails {
			out = append(out, tinhso.M("xlsx.more", len(rd.problems)-maxDetails))
			break
		}
		out = append(out, tinhso.M("xlsx.cell", p.sheet, p.cell, p.msg))
	}
	return out
}

func (rd *reader) hasSheet(name string) bool {
	idx, err := rd.x.GetSheetIndex(name)
	return err == nil && idx >= 0
}

// checkMeta checks the _meta sheet and takes the file's language from it (a form
// without one is Vietnamese, as every form was before forms had a language).
func (rd *reader) checkMeta() {
	rd.tx = textsOf(locale.VI)
	if !rd.hasSheet(SheetMeta) {
		if rd.hasSheet(textsOf(locale.EN).indicators) {
			rd.tx = textsOf(locale.EN)
		}
		rd.problem(SheetMeta, "A1", "err.xlsx.no_meta", SheetMeta)
		return
	}
	rows, err := rd.x.GetRows(SheetMeta, excelize.Options{RawCellValue: true})
	if err != nil {
		rd.problem(SheetMeta, "A1", "err.xlsx.unreadable", err)
		return
	}
	meta, at := map[string]string{}, map[string]string{}
	for i, row := range rows {
		if len(row) >= 2 {
			meta[strings.TrimSpace(row[0])] = strings.TrimSpace(row[1])
			at[strings.TrimSpace(row[0])] = ref(2, i+1)
		}
	}
	cell := func(k string) string {
		if c, ok := at[k]; ok {
			return c
		}
		return "A1"
	}
	if l, ok := locale.Parse(meta["lang"]); ok {
		rd.tx = textsOf(l)
	}
	if v := meta["form_version"]; v != FormVersion {
		rd.problem(SheetMeta, cell("form_version"), "err.xlsx.version", v, FormVersion)
	}
	if v := meta["unit_code"]; v != rd.f.UnitCode {
		rd.problem(SheetMeta, cell("unit_code"), "err.xlsx.unit", v, rd.f.UnitCode)
	}
	if id, label := meta["period_id"], meta["period_label"]; id != strconv.FormatInt(rd.f.Period.ID, 10) || label != rd.f.Period.Label {
		rd.problem(SheetMeta, cell("period_id"), "err.xlsx.period", label, id, rd.f.Period.Label, rd.f.Period.ID)
	}
}

// table is what the indicator and task sheets share: the keys expected in order,
// the header, the number of columns.
type table struct {
	sheet   string
	what    tinhso.Message // what a row is: xlsx.what.indicator, xlsx.what.task
	keys    []string
	labels  []string // what each key is called: the indicator's code, the task's number
	headers []string
}

// rows checks the table's frame (sheet, header, merges, formulas, keys) and returns
// the row number of each key found; rows with a problem of their own are left out.
func (rd *reader) rows(t table) (map[string]int, bool) {
	s := t.sheet
	if !rd.hasSheet(s) {
		rd.problem(s, "A1", "err.xlsx.no_sheet", s)
		return nil, false
	}
	ncol := len(t.headers)
	for c, h := range t.headers {
		got, _ := rd.x.GetCellValue(s, ref(c+1, headerRow), excelize.Options{RawCellValue: true})
		if strings.TrimSpace(got) != h {
			rd.problem(s, ref(c+1, headerRow), "err.xlsx.header", h, got)
			return nil, false
		}
	}
	merges, err := rd.x.GetMergeCells(s, true)
	if err != nil {
		rd.problem(s, "A1", "err.xlsx.unreadable", err)
		return nil, false
	}
	for _, m := range merges {
		_, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		_, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 == nil && err2 == nil && max(r1, r2) >= headerRow {
			rd.problem(s, m.GetStartAxis()+":"+m.GetEndAxis(), "err.xlsx.merged")
		}
	}
	raw, err := rd.x.GetRows(s, excelize.Options{RawCellValue: true})
	if err != nil {
		rd.problem(s, "A1", "err.xlsx.unreadable", err)
		return nil, false
	}
	last := max(len(raw), firstRow+len(t.keys)-1)
	if dim, err := rd.x.GetSheetDimension(s); err == nil {
		if parts := strings.Split(dim, ":"); len(parts) == 2 {
			if _, r, err := excelize.CellNameToCoordinates(parts[1]); err == nil {
				last = max(last, r)
			}
		}
	}
	if last > maxRows {
		rd.problem(s, ref(1, maxRows+1), "err.xlsx.rows", maxRows)
		last = maxRows
	}
	expected := map[string]int{} // key → index
	for i, k := range t.keys {
		expected[k] = i
	}
	found := map[string]int{}
	type odd struct {
		row  int
		key  string // "" when the key cell is empty
		dupe int    // the row the key was first found in
	}
	var odds []odd
	for r := headerRow + 1; r <= last; r++ {
		var cells []string
		if r-1 < len(raw) {
			cells = raw[r-1]
		}
		empty := true
		for c := 1; c <= ncol; c++ {
			if c-1 < len(cells) && strings.TrimSpace(cells[c-1]) != "" {
				empty = false
			}
			if fm, _ := rd.x.GetCellFormula(s, ref(c, r)); fm != "" {
				rd.problem(s, ref(c, r), "err.xlsx.formula", strings.TrimPrefix(fm, "="))
				empty = false
			}
		}
		if empty {
			continue
		}
		key := ""
		if len(cells) > 0 {
			key = strings.TrimSpace(cells[0])
		}
		if _, ok := expected[key]; !ok {
			odds = append(odds, odd{row: r, key: key})
		} else if prev, dup := found[key]; dup {
			odds = append(odds, odd{row: r, key: key, dupe: prev})
		} else {
			found[key] = r
		}
	}
	// Pair a row whose key is wrong with the key missing at that row.
	missingAt := map[int]int{} // row → index of the key expected there and missing
	for i, k := range t.keys {
		if _, ok := found[k]; !ok {
			missingAt[firstRow+i] = i
		}
	}
	for _, o := range odds {
		c := ref(1, o.row)
		if o.dupe != 0 {
			rd.problem(s, c, "err.xlsx.key_twice", o.key, o.dupe)
			continue
		}
		if i, ok := missingAt[o.row]; ok {
			delete(missingAt, o.row)
			if o.key == "" {
				rd.problem(s, c, "err.xlsx.key_deleted", t.what, t.labels[i], t.keys[i])
			} else {
				rd.problem(s, c, "err.xlsx.key_changed", t.what, t.labels[i], o.key, t.keys[i])
			}
			continue
		}
		if o.key == "" {
			rd.problem(s, c, "err.xlsx.no_key")
		} else {
			rd.problem(s, c, "err.xlsx.unknown_key", o.key)
		}
	}
	for i, k := range t.keys {
		if _, ok := missingAt[firstRow+i]; ok {
			rd.problem(s, ref(1, firstRow+i), "err.xlsx.missing_row", t.what, t.labels[i], k)
		}
	}
	return found, true
}

func (rd *reader) readIndicators() []tinhso.IndicatorValue {
	t := table{sheet: rd.tx.indicators, what: tinhso.M("xlsx.what.indicator"), headers: rd.tx.indHeaders}
	for _, ind := range rd.f.Indicators {
		t.keys, t.labels = append(t.keys, ind.Key), append(t.labels, ind.Code)
	}
	found, ok := rd.rows(t)
	if !ok {
		return nil
	}
	s := rd.tx.indicators
	var out []tinhso.IndicatorValue
	for _, ind := range rd.f.Indicators {
		r, ok := found[ind.Key]
		if !ok {
			continue
		}
		before := len(rd.problems)
		v := tinhso.IndicatorValue{Indicator: ind.Key}
		c := rd.cell(s, iValue, r)
		switch {
		case c.empty():
		case c.number != nil:
			v.Number = c.number
		case c.text != "":
			n, ok := parseNumber(c.text, strings.HasPrefix(strings.TrimSpace(ind.Unit), "%"), rd.tx.p.Lang())
			if !ok {
				rd.problem(s, c.ref, "err.xlsx.value_text", c.text)
			} else {
				v.Number = &n
			}
		default:
			rd.problem(s, c.ref, "err.xlsx.value_kind", c.kind)
		}
		v.Text = rd.textCell(s, iText, r)
		v.Note = rd.textCell(s, iNote, r)
		if len(rd.problems) > before || v.Number == nil && v.Text == "" && v.Note == "" {
			continue
		}
		if v.Number != nil {
			v.Unit = ind.Unit
		}
		if err := tinhso.ValidateValue("value", v, ind); err != nil {
			col := iValue
			var e *tinhso.Error
			if errors.As(err, &e) {
				switch {
				case strings.HasSuffix(e.Field, ".text"):
					col = iText
				case strings.HasSuffix(e.Field, ".note"):
					col = iNote
				}
			}
			msg := tinhso.M(tinhso.KeyInternal)
			if e != nil {
				msg = e.Msg()
			}
			rd.problems = append(rd.problems, problem{s, ref(col, r), msg})
			continue
		}
		out = append(out, v)
	}
	return out
}

var doneWords = map[string]bool{"có": true, "co": true, "x": true, "yes": true, "true": true, "1": true,
	"không": false, "khong": false, "no": false, "false": false, "0": false}

func (rd *reader) readTasks() []tinhso.TaskProgress {
	t := table{sheet: rd.tx.tasks, what: tinhso.M("xlsx.what.task"), headers: rd.tx.tHeaders}
	for _, task := range rd.f.Tasks {
		t.keys, t.labels = append(t.keys, task.Key), append(t.labels, task.Number)
	}
	found, ok := rd.rows(t)
	if !ok {
		return nil
	}
	before := map[string]tinhso.TaskProgress{}
	for _, p := range rd.f.Progress {
		before[p.Task] = p
	}
	s := rd.tx.tasks
	var out []tinhso.TaskProgress
	for _, task := range rd.f.Tasks {
		r, ok := found[task.Key]
		if !ok {
			continue
		}
		n := len(rd.problems)
		p := tinhso.TaskProgress{Task: task.Key, DeliverableFile: before[task.Key].DeliverableFile}
		filled := false

		c := rd.cell(s, tPercent, r)
		var pct float64
		var has bool
		switch {
		case c.empty():
		case c.number != nil:
			pct, has = *c.number, true
		case c.text != "":
			pct, has = parseNumber(c.text, true, rd.tx.p.Lang())
			if !has {
				rd.problem(s, c.ref, "err.xlsx.percent_text", c.text)
			}
		default:
			rd.problem(s, c.ref, "err.xlsx.percent_kind", c.kind)
		}
		if has {
			switch {
			case pct < 0 || pct > 100:
				rd.problem(s, c.ref, "err.xlsx.percent_range", tinhso.Number(pct))
			case math.Abs(pct-math.Round(pct)) > 1e-9:
				rd.problem(s, c.ref, "err.xlsx.percent_whole", tinhso.Number(pct))
			default:
				i := int(math.Round(pct))
				p.Percent, filled = &i, true
			}
		}

		c = rd.cell(s, tDone, r)
		switch word := strings.ToLower(strings.TrimSpace(c.text)); {
		case c.empty():
		case c.boolean != nil:
			p.Done, filled = *c.boolean, true
		case c.number != nil && (*c.number == 0 || *c.number == 1):
			p.Done, filled = *c.number == 1, true
		case c.text != "":
			if d, ok := doneWords[word]; ok {
				p.Done, filled = d, true
			} else {
				rd.problem(s, c.ref, "err.xlsx.done_text", rd.tx.yes, rd.tx.no, c.text)
			}
		default:
			rd.problem(s, c.ref, "err.xlsx.done_kind", rd.tx.yes, rd.tx.no, c.kind)
		}

		if link := rd.textCell(s, tLink, r); link != "" {
			u, err := url.Parse(link)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(link) > 2000 {
				rd.problem(s, ref(tLink, r), "err.xlsx.link", link)
			} else {
				p.DeliverableLink, filled = link, true
			}
		}
		if p.Note = rd.textCell(s, tNote, r); p.Note != "" {
			filled = true
		}
		if len(rd.problems) > n || !filled {
			continue
		}
		out = append(out, p)
	}
	return out
}

// cell is a cell's content as typed.
type cell struct {
	ref     string
	text    string // a text cell, trimmed
	number  *float64
	boolean *bool
	kind    tinhso.Message // what else it holds: xlsx.kind.error ("một ô lỗi #DIV/0!"), xlsx.kind.date …
}

func (c cell) empty() bool {
	return c.text == "" && c.number == nil && c.boolean == nil && c.kind.IsZero()
}

func (rd *reader) cell(sheet string, col, row int) cell {
	c := cell{ref: ref(col, row)}
	raw, err := rd.x.GetCellValue(sheet, c.ref, excelize.Options{RawCellValue: true})
	if err != nil || strings.TrimSpace(raw) == "" {
		return c
	}
	typ, _ := rd.x.GetCellType(sheet, c.ref)
	switch typ {
	case excelize.CellTypeUnset, excelize.CellTypeNumber:
		n, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			c.kind = tinhso.M("xlsx.kind.raw", raw)
			return c
		}
		if rd.percentFormat(sheet, c.ref) {
			n = math.Round(n*100*1e9) / 1e9
		}
		c.number = &n
	case excelize.CellTypeBool:
		b := strings.TrimSpace(raw) == "1" || strings.EqualFold(strings.TrimSpace(raw), "true")
		c.boolean = &b
	case excelize.CellTypeError:
		c.kind = tinhso.M("xlsx.kind.error", raw)
	case excelize.CellTypeDate:
		c.kind = tinhso.M("xlsx.kind.date", raw)
	default:
		c.text = strings.TrimSpace(raw)
	}
	return c
}

// percentFormat reports whether a cell shows its number as a percentage.
func (rd *reader) percentFormat(sheet, cellRef string) bool {
	id, err := rd.x.GetCellStyle(sheet, cellRef)
	if err != nil || id == 0 {
		return false
	}
	st, err := rd.x.GetStyle(id)
	if err != nil || st == nil {
		return false
	}
	if st.NumFmt == 9 || st.NumFmt == 10 {
		return true
	}
	return st.CustomNumFmt != nil && strings.Contains(strings.ReplaceAll(*st.CustomNumFmt, `"%"`, ""), "%")
}

// textCell reads a text cell (a number typed there counts as its digits), checking
// length and characters.
func (rd *reader) textCell(sheet string, col, row int) string {
	c := rd.cell(sheet, col, row)
	var s string
	switch {
	case c.number != nil:
		s = strings.ReplaceAll(strconv.FormatFloat(*c.number, 'f', -1, 64), ".", ",")
	case c.boolean != nil:
		s = map[bool]string{true: "TRUE", false: "FALSE"}[*c.boolean]
	case !c.kind.IsZero():
		rd.problem(sheet, c.ref, "err.xlsx.text_kind", c.kind)
		return ""
	default:
		s = c.text
	}
	if !utf8.ValidString(s) {
		rd.problem(sheet, c.ref, "err.xlsx.utf8")
		return ""
	}
	if n := utf8.RuneCountInString(s); n > 5000 {
		rd.problem(sheet, c.ref, "err.xlsx.too_long", n, 5000)
		return ""
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7f {
			rd.problem(sheet, c.ref, "err.xlsx.control", r)
			return ""
		}
	}
	return s
}

var (
	dotDecimalRe   = regexp.MustCompile(`^\d+\.\d+$`)
	spaceRe        = regexp.MustCompile(`(\d)[ \x{00A0}\x{202F}](\d{3})`)
	englishGroupRe = regexp.MustCompile(`^\d{1,3}(,\d{3})+(\.\d+)?$`)
	englishRe      = regexp.MustCompile(`^\d+(\.\d+)?$`)
)

// parseNumber reads a number typed as text: the Vietnamese way ("12,5", "1.500",
// "1 500"), or with a decimal point when it cannot be a thousands separator ("12.5",
// but "1.500" is 1500); in an English form also the English way ("1,500.5").
// percent allows a trailing "%".
func parseNumber(s string, percent bool, l locale.Lang) (float64, bool) {
	s = strings.TrimSpace(s)
	if percent {
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	neg := false
	for _, minus := range []string{"-", "−", "–"} {
		if strings.HasPrefix(s, minus) {
			neg, s = true, strings.TrimSpace(strings.TrimPrefix(s, minus))
			break
		}
	}
	s = strings.TrimPrefix(s, "+")
	if l == locale.EN {
		if englishGroupRe.MatchString(s) {
			s = strings.ReplaceAll(s, ",", "")
		}
		if englishRe.MatchString(s) {
			n, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsInf(n, 0) {
				return 0, false
			}
			if neg {
				n = -n
			}
			return n, true
		}
	}
	for spaceRe.MatchString(s) {
		s = spaceRe.ReplaceAllString(s, "$1.$2")
	}
	n, ok := tinhso.ParseNumber(s)
	if !ok && dotDecimalRe.MatchString(s) {
		v, err := strconv.ParseFloat(s, 64)
		n, ok = v, err == nil
	}
	if !ok || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

// macroEnabledOverride reports whether [Content_Types].xml declares a part of a
// macro-enabled type (an <Override>), as an .xlsm's workbook is.
func macroEnabledOverride(contentTypes string) bool {
	for _, part := range strings.Split(contentTypes, "<Override")[1:] {
		end := strings.Index(part, ">")
		if end < 0 {
			end = len(part)
		}
		l := strings.ToLower(part[:end])
		if strings.Contains(l, "macroenabled") || strings.Contains(l, "vbaproject") {
			return true
		}
	}
	return false
}
