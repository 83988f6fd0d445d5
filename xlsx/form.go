// Package xlsx writes and reads the spreadsheets of electronic reporting: the form an
// org unit downloads for a period, fills in Excel or LibreOffice and uploads back
// (Write, Read), and a period's consolidated report (Consolidated).
package xlsx

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
	"github.com/xuri/excelize/v2"
)

// FormVersion names the layout of the form; Read refuses a form of another layout.
const FormVersion = "tinhso-bieu/1"

// Sheet names of a Vietnamese form (an English one has "Indicators" and "Tasks": the
// catalogues' xlsx.sheet.indicators and xlsx.sheet.tasks); _meta is in every form.
const (
	SheetIndicators = "Chỉ tiêu"
	SheetTasks      = "Nhiệm vụ"
	SheetMeta       = "_meta"
)

// Layout of the two table sheets: a title, a line about the unit and period, a line of
// instructions, the header row, then one row per indicator or task.
const (
	headerRow = 4
	firstRow  = headerRow + 1
	// maxRows bounds how many rows Read looks at.
	maxRows = 20000
)

// Columns of the indicator sheet.
const (
	iKey = iota + 1
	iCode
	iName
	iUnit
	iTarget
	iValue
	iText
	iNote
	iCols = iNote
)

// Columns of the task sheet.
const (
	tKey = iota + 1
	tNumber
	tTitle
	tDeliverable
	tDeadline
	tPercent
	tDone
	tLink
	tNote
	tCols = tNote
)

// The header keys of the two table sheets, column by column.
var indicatorHeaders = []string{"xlsx.col.key", "xlsx.col.indicator_code", "xlsx.col.indicator_name", "xlsx.col.unit",
	"xlsx.col.target", "xlsx.col.value", "xlsx.col.value_text", "xlsx.col.note"}
var indicatorWidths = []float64{22, 10, 60, 14, 26, 16, 36, 30}

var taskHeaders = []string{"xlsx.col.key", "xlsx.col.task_number", "xlsx.col.task_title", "xlsx.col.deliverable",
	"xlsx.col.deadline", "xlsx.col.percent", "xlsx.col.done", "xlsx.col.link", "xlsx.col.note"}
var taskWidths = []float64{22, 8, 60, 36, 18, 14, 16, 36, 30}

// texts are a form's words in its language: sheet names, headers, yes and no.
type texts struct {
	p                    *locale.Printer
	indicators, tasks    string
	indHeaders, tHeaders []string
	yes, no              string
}

func textsOf(l locale.Lang) texts {
	p := locale.For(l)
	t := texts{p: p, indicators: p.T("xlsx.sheet.indicators"), tasks: p.T("xlsx.sheet.tasks"), yes: p.T("xlsx.yes"), no: p.T("xlsx.no")}
	for _, k := range indicatorHeaders {
		t.indHeaders = append(t.indHeaders, p.T(k))
	}
	for _, k := range taskHeaders {
		t.tHeaders = append(t.tHeaders, p.T(k))
	}
	return t
}

// Form is the reporting form of one org unit for one period: the indicators and tasks
// it reports on and the values and progress it has reported so far.
type Form struct {
	Period     tinhso.Period
	Regime     string
	UnitCode   string
	UnitName   string
	Indicators []*tinhso.Indicator
	Tasks      []*tinhso.Task
	Values     []tinhso.IndicatorValue
	Progress   []tinhso.TaskProgress
	// Lang is the reader's language: Write writes the form in it (sheet names, headers,
	// instructions; the _meta sheet records it). Read takes a form in either language
	// (its _meta sheet says which); its errors are keys the edge renders. "" is
	// Vietnamese.
	Lang locale.Lang
}

// lang is the form's language, Vietnamese unless it says otherwise.
func (f Form) lang() locale.Lang {
	if f.Lang == "" {
		return locale.VI
	}
	return f.Lang
}

// Write writes the form as an .xlsx workbook in the form's language: a sheet "Chỉ
// tiêu" (one row per indicator: key, code, name, unit, target, then the cells to fill:
// value, text, note), a sheet "Nhiệm vụ" (one row per task: key, number, title,
// deliverable, deadline, then percent done, done (Có/Không), deliverable link, note)
// and a very hidden sheet "_meta" naming the form version, the period, the unit and
// the language; an English form has the sheets "Indicators" and "Tasks" and Yes/No.
// The cells to fill are unlocked and shaded, the others locked (sheet protection
// without password), the key columns hidden. Existing values and progress are filled
// in.
func Write(w io.Writer, f Form) error {
	if err := checkForm(f); err != nil {
		return err
	}
	tx := textsOf(f.lang())
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", tx.indicators); err != nil {
		return err
	}
	if _, err := x.NewSheet(tx.tasks); err != nil {
		return err
	}
	if _, err := x.NewSheet(SheetMeta); err != nil {
		return err
	}
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	sw := &sheetWriter{x: x}

	// Chỉ tiêu.
	s := tx.indicators
	writeHead(sw, st, s, tx.p.T("xlsx.form.title_indicators", f.Period.Label), f, tx.p, tx.indHeaders, indicatorWidths)
	values := map[string]tinhso.IndicatorValue{}
	for _, v := range f.Values {
		values[v.Indicator] = v
	}
	for i, ind := range f.Indicators {
		r := firstRow + i
		sw.str(s, iKey, r, ind.Key, st.locked)
		sw.str(s, iCode, r, ind.Code, st.locked)
		sw.str(s, iName, r, ind.Name, st.locked)
		sw.str(s, iUnit, r, ind.Unit, st.locked)
		target := ind.TargetText
		if target == "" {
			target = ind.Target.Text
		}
		sw.str(s, iTarget, r, target, st.locked)
		v := values[ind.Key]
		if v.Number != nil {
			sw.set(s, iValue, r, *v.Number, st.fillNumber)
		} else {
			sw.set(s, iValue, r, nil, st.fillNumber)
		}
		sw.str(s, iText, r, v.Text, st.fillText)
		sw.str(s, iNote, r, v.Note, st.fillText)
	}
	sw.protect(s)

	// Nhiệm vụ.
	s = tx.tasks
	writeHead(sw, st, s, tx.p.T("xlsx.form.title_tasks", f.Period.Label), f, tx.p, tx.tHeaders, taskWidths)
	progress := map[string]tinhso.TaskProgress{}
	for _, p := range f.Progress {
		progress[p.Task] = p
	}
	for i, t := range f.Tasks {
		r := firstRow + i
		sw.str(s, tKey, r, t.Key, st.locked)
		sw.str(s, tNumber, r, t.Number, st.locked)
		sw.str(s, tTitle, r, t.Title, st.locked)
		sw.str(s, tDeliverable, r, t.Deliverable, st.locked)
		sw.str(s, tDeadline, r, t.DeadlineText, st.locked)
		p, ok := progress[t.Key]
		if p.Percent != nil {
			sw.set(s, tPercent, r, *p.Percent, st.fillNumber)
		} else {
			sw.set(s, tPercent, r, nil, st.fillNumber)
		}
		done := ""
		if ok {
			done = map[bool]string{true: tx.yes, false: tx.no}[p.Done]
		}
		sw.str(s, tDone, r, done, st.fillText)
		sw.str(s, tLink, r, p.DeliverableLink, st.fillText)
		sw.str(s, tNote, r, p.Note, st.fillText)
	}
	if n := len(f.Tasks); n > 0 {
		last := firstRow + n - 1
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(ref(tPercent, firstRow) + ":" + ref(tPercent, last))
		sw.err = firstErr(sw.err, dv.SetRange(0, 100, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween))
		dv.SetError(excelize.DataValidationErrorStyleStop, tx.p.T("xlsx.form.percent_title"), tx.p.T("xlsx.form.percent_error"))
		sw.err = firstErr(sw.err, x.AddDataValidation(s, dv))
		dv = excelize.NewDataValidation(true)
		dv.SetSqref(ref(tDone, firstRow) + ":" + ref(tDone, last))
		sw.err = firstErr(sw.err, dv.SetDropList([]string{tx.yes, tx.no}))
		dv.ShowErrorMessage = false // "x", "yes"… are accepted too
		sw.err = firstErr(sw.err, x.AddDataValidation(s, dv))
	}
	sw.protect(s)

	// _meta.
	s = SheetMeta
	meta := [][2]string{
		{"form_version", FormVersion},
		{"period_id", strconv.FormatInt(f.Period.ID, 10)},
		{"period_label", f.Period.Label},
		{"regime", f.Regime},
		{"unit_code", f.UnitCode},
		{"unit_name", f.UnitName},
		{"indicators", strconv.Itoa(len(f.Indicators))},
		{"tasks", strconv.Itoa(len(f.Tasks))},
		{"lang", string(f.lang())},
	}
	for i, kv := range meta {
		sw.str(s, 1, i+1, kv[0], 0)
		sw.str(s, 2, i+1, kv[1], 0)
	}
	sw.protect(s)
	if sw.err != nil {
		return sw.err
	}
	if err := x.SetSheetVisible(SheetMeta, false, true); err != nil {
		return err
	}
	if err := x.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}); err != nil {
		return err
	}
	x.SetActiveSheet(0)
	return x.Write(w)
}

// checkForm checks what Write and Read need of a form: keys, unique.
func checkForm(f Form) error {
	seen := map[string]bool{}
	for i, ind := range f.Indicators {
		if ind == nil || ind.Key == "" {
			return tinhso.Invalid(fmt.Sprintf("indicators[%d]", i), "err.xlsx.indicator_no_key")
		}
		if seen["i"+ind.Key] {
			return tinhso.Invalid(fmt.Sprintf("indicators[%d]", i), "err.xlsx.indicator_twice", ind.Key)
		}
		seen["i"+ind.Key] = true
	}
	for i, t := range f.Tasks {
		if t == nil || t.Key == "" {
			return tinhso.Invalid(fmt.Sprintf("tasks[%d]", i), "err.xlsx.task_no_key")
		}
		if seen["t"+t.Key] {
			return tinhso.Invalid(fmt.Sprintf("tasks[%d]", i), "err.xlsx.task_twice", t.Key)
		}
		seen["t"+t.Key] = true
	}
	if len(f.Indicators)+len(f.Tasks) > maxRows-firstRow {
		return tinhso.Invalid("form", "err.xlsx.form_rows", maxRows-firstRow)
	}
	return nil
}

func writeHead(sw *sheetWriter, st styles, s, title string, f Form, p *locale.Printer, headers []string, widths []float64) {
	sw.str(s, 2, 1, title, st.title)
	about := []string{p.T("xlsx.form.unit", f.UnitName, f.UnitCode)}
	if f.Regime != "" {
		about = append(about, p.T("xlsx.form.regime", f.Regime))
	}
	if f.Period.DataFrom != "" && f.Period.DataTo != "" {
		about = append(about, p.T("xlsx.data_window", tinhso.Date(f.Period.DataFrom), tinhso.Date(f.Period.DataTo)))
	}
	if f.Period.Due != "" {
		about = append(about, p.T("xlsx.form.due", tinhso.Date(f.Period.Due)))
	}
	sw.str(s, 2, 2, strings.Join(about, " · "), st.plain)
	sw.str(s, 2, 3, p.T("xlsx.form.instructions"), st.note)
	for i, h := range headers {
		sw.str(s, i+1, headerRow, h, st.header)
		col, _ := excelize.ColumnNumberToName(i + 1)
		sw.err = firstErr(sw.err, sw.x.SetColWidth(s, col, col, widths[i]))
	}
	sw.err = firstErr(sw.err, sw.x.SetRowHeight(s, headerRow, 32))
	sw.err = firstErr(sw.err, sw.x.SetColVisible(s, "A", false))
	sw.err = firstErr(sw.err, sw.x.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: headerRow,
		TopLeftCell: ref(1, firstRow), ActivePane: "bottomLeft"}))
}

type styles struct {
	title, plain, note, header, locked, fillNumber, fillText int
}

func newStyles(x *excelize.File) (styles, error) {
	var st styles
	var err error
	border := []excelize.Border{{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1}}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = x.NewStyle(s)
		return id
	}
	text := 49 // "@"
	st.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	st.plain = mk(&excelize.Style{})
	st.note = mk(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}})
	st.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment:  &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Protection: &excelize.Protection{Locked: true}})
	st.locked = mk(&excelize.Style{Border: border, Alignment: top, Protection: &excelize.Protection{Locked: true}})
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}
	st.fillNumber = mk(&excelize.Style{Border: border, Fill: fill, Alignment: &excelize.Alignment{Vertical: "top"},
		Protection: &excelize.Protection{Locked: false}})
	st.fillText = mk(&excelize.Style{Border: border, Fill: fill, Alignment: top, NumFmt: text,
		Protection: &excelize.Protection{Locked: false}})
	return st, err
}

// sheetWriter writes cells and keeps the first error.
type sheetWriter struct {
	x   *excelize.File
	err error
}

func (sw *sheetWriter) set(sheet string, col, row int, v any, style int) {
	if sw.err != nil {
		return
	}
	cell := ref(col, row)
	if v != nil {
		sw.err = sw.x.SetCellValue(sheet, cell, v)
	}
	if sw.err == nil && style != 0 {
		sw.err = sw.x.SetCellStyle(sheet, cell, cell, style)
	}
}

func (sw *sheetWriter) str(sheet string, col, row int, v string, style int) {
	if sw.err != nil {
		return
	}
	cell := ref(col, row)
	if v != "" {
		sw.err = sw.x.SetCellStr(sheet, cell, v)
	}
	if sw.err == nil && style != 0 {
		sw.err = sw.x.SetCellStyle(sheet, cell, cell, style)
	}
}

func (sw *sheetWriter) protect(sheet string) {
	if sw.err != nil {
		return
	}
	sw.err = sw.x.ProtectSheet(sheet, &excelize.SheetProtectionOptions{SelectLockedCells: true,
		SelectUnlockedCells: true, FormatColumns: true, FormatRows: true})
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// ref names a cell: ref(6, 7) is "F7".
func ref(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}
