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
// whose Details name the sheet and cell ("Chỉ tiêu!F7: …"): a file that is not .xlsx
// (legacy .xls, .xlsm or any macros), a form of another unit or period, formulas,
// merged cells in the table, rows missing, added or whose key was changed, text where
// a number belongs, a percent outside 0–100, a "done" cell other than Có/Không, and
// every rule of tinhso.ValidateValue. A file over MaxSize is ETOOLARGE.
//
// Numbers may be typed as numbers or as text in the Vietnamese way ("12,5",
// "1.500"); a number cell formatted as a percentage counts in percent (0,85 shown as
// 85% is 85). A returned number carries the indicator's unit; the deliverable file of
// a task's progress, which the form does not show, is kept from f.Progress.
func Read(r io.Reader, size int64, f Form) ([]tinhso.IndicatorValue, []tinhso.TaskProgress, error) {
	if err := checkForm(f); err != nil {
		return nil, nil, err
	}
	tooLarge := &tinhso.Error{Code: tinhso.ETOOLARGE, Field: "file",
		Message: fmt.Sprintf("Tệp biểu báo cáo lớn hơn %d MB.", MaxSize>>20)}
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
	if msg := checkPackage(data); msg != "" {
		return nil, nil, &tinhso.Error{Code: tinhso.EINVALID, Field: "file", Message: msg, Details: []string{msg}}
	}
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		msg := fmt.Sprintf("Không đọc được tệp .xlsx: %v.", err)
		return nil, nil, &tinhso.Error{Code: tinhso.EINVALID, Field: "file", Message: msg, Details: []string{msg}}
	}
	defer x.Close()

	rd := &reader{x: x, f: f}
	rd.checkMeta()
	values := rd.readIndicators()
	progress := rd.readTasks()
	if len(rd.problems) > 0 {
		return nil, nil, &tinhso.Error{Code: tinhso.EINVALID, Field: "file", Details: rd.details(),
			Message: fmt.Sprintf("Biểu báo cáo có %d lỗi; sửa các ô được nêu rồi tải lên lại. Không có số liệu nào được lưu.", len(rd.problems))}
	}
	return values, progress, nil
}

// checkPackage looks at the zip package before excelize parses it, and says why it is
// not an .xlsx form, or "" when it may be one.
func checkPackage(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return "Tệp là bảng tính Excel cũ (.xls) hoặc đã đặt mật khẩu; loại này có thể chứa macro. " +
			"Hãy lưu lại thành .xlsx (Excel Workbook) không mật khẩu rồi tải lên."
	case !bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return "Tệp không phải bảng tính .xlsx; hãy tải lên biểu đã tải về từ hệ thống."
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Sprintf("Tệp .xlsx hỏng: %v.", err)
	}
	if len(zr.File) > maxEntries {
		return "Tệp .xlsx có quá nhiều phần."
	}
	var total uint64
	var workbook, contentTypes *zip.File
	for _, e := range zr.File {
		name := strings.ToLower(e.Name)
		total += e.UncompressedSize64
		switch {
		case strings.HasSuffix(name, "vbaproject.bin") || strings.HasSuffix(name, "vbadata.xml"):
			return fmt.Sprintf("Tệp chứa macro (%s); hãy lưu thành .xlsx (Excel Workbook, không phải .xlsm) rồi tải lên.", e.Name)
		case name == "xl/workbook.xml":
			workbook = e
		case name == "[content_types].xml":
			contentTypes = e
		}
	}
	if total > maxUnzipped {
		return fmt.Sprintf("Tệp .xlsx giải nén ra hơn %d MB; không nhận.", maxUnzipped>>20)
	}
	if workbook == nil || contentTypes == nil {
		return "Tệp không phải bảng tính .xlsx (thiếu xl/workbook.xml hoặc [Content_Types].xml)."
	}
	rc, err := contentTypes.Open()
	if err != nil {
		return fmt.Sprintf("Tệp .xlsx hỏng: %v.", err)
	}
	ct, err := io.ReadAll(io.LimitReader(rc, 1<<20))
	rc.Close()
	if err != nil {
		return fmt.Sprintf("Tệp .xlsx hỏng: %v.", err)
	}
	// A <Default Extension="bin" …vbaProject> line names a type no part may have
	// (excelize writes one in every file): what counts is a part holding macros, which
	// the loop above refuses, or a workbook declared macro-enabled.
	if macroEnabledOverride(string(ct)) {
		return "Tệp là bảng tính có macro (.xlsm); hãy lưu thành .xlsx (Excel Workbook) rồi tải lên."
	}
	return ""
}

type reader struct {
	x        *excelize.File
	f        Form
	problems []problem
}

// problem is one problem found, at a cell ("F7") or range ("F7:G7") of a sheet.
type problem struct {
	sheet, cell, text string
}

func (rd *reader) problem(sheet, cell, format string, args ...any) {
	rd.problems = append(rd.problems, problem{sheet, cell, sheet + "!" + cell + ": " + fmt.Sprintf(format, args...)})
}

// details lists the problems sheet by sheet (_meta, Chỉ tiêu, Nhiệm vụ), then by row
// and column.
func (rd *reader) details() []string {
	order := map[string]int{SheetMeta: 0, SheetIndicators: 1, SheetTasks: 2}
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
	out := make([]string, 0, min(len(rd.problems), maxDetails+1))
	for i, p := range rd.problems {
		if i == maxDetails {
			out = append(out, fmt.Sprintf("… và %d lỗi khác.", len(rd.problems)-maxDetails))
			break
		}
		out = append(out, p.text)
	}
	return out
}

func (rd *reader) hasSheet(name string) bool {
	idx, err := rd.x.GetSheetIndex(name)
	return err == nil && idx >= 0
}

func (rd *reader) checkMeta() {
	if !rd.hasSheet(SheetMeta) {
		rd.problem(SheetMeta, "A1", "thiếu trang ẩn %q; hãy tải lên biểu tải về từ hệ thống", SheetMeta)
		return
	}
	rows, err := rd.x.GetRows(SheetMeta, excelize.Options{RawCellValue: true})
	if err != nil {
		rd.problem(SheetMeta, "A1", "không đọc được: %v", err)
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
	if v := meta["form_version"]; v != FormVersion {
		rd.problem(SheetMeta, cell("form_version"), "phiên bản biểu %q không phải %q; hãy tải biểu mới", v, FormVersion)
	}
	if v := meta["unit_code"]; v != rd.f.UnitCode {
		rd.problem(SheetMeta, cell("unit_code"), "biểu của đơn vị %q, không phải của %q; hãy tải lên biểu của đơn vị mình", v, rd.f.UnitCode)
	}
	if id, label := meta["period_id"], meta["period_label"]; id != strconv.FormatInt(rd.f.Period.ID, 10) || label != rd.f.Period.Label {
		rd.problem(SheetMeta, cell("period_id"), "biểu của kỳ %q (mã %s), không phải kỳ %q (mã %d); hãy tải biểu của kỳ này",
			label, id, rd.f.Period.Label, rd.f.Period.ID)
	}
}

// table is what the indicator and task sheets share: the keys expected in order,
// the header, the number of columns.
type table struct {
	sheet   string
	what    string // "chỉ tiêu", "nhiệm vụ"
	keys    []string
	labels  []string // what each key is called: the indicator's code, the task's number
	headers []string
}

// rows checks the table's frame (sheet, header, merges, formulas, keys) and returns
// the row number of each key found; rows with a problem of their own are left out.
func (rd *reader) rows(t table) (map[string]int, bool) {
	s := t.sheet
	if !rd.hasSheet(s) {
		rd.problem(s, "A1", "thiếu trang %q; hãy tải lên biểu tải về từ hệ thống, không đổi tên trang", s)
		return nil, false
	}
	ncol := len(t.headers)
	for c, h := range t.headers {
		got, _ := rd.x.GetCellValue(s, ref(c+1, headerRow), excelize.Options{RawCellValue: true})
		if strings.TrimSpace(got) != h {
			rd.problem(s, ref(c+1, headerRow), "tiêu đề cột phải là %q, không phải %q; không thêm, xoá hay đổi chỗ cột", h, got)
			return nil, false
		}
	}
	merges, err := rd.x.GetMergeCells(s, true)
	if err != nil {
		rd.problem(s, "A1", "không đọc được: %v", err)
		return nil, false
	}
	for _, m := range merges {
		_, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		_, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 == nil && err2 == nil && max(r1, r2) >= headerRow {
			rd.problem(s, m.GetStartAxis()+":"+m.GetEndAxis(), "ô bị gộp (merged cells) trong bảng; hãy bỏ gộp ô")
		}
	}
	raw, err := rd.x.GetRows(s, excelize.Options{RawCellValue: true})
	if err != nil {
		rd.problem(s, "A1", "không đọc được: %v", err)
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
		rd.problem(s, ref(1, maxRows+1), "trang có hơn %d dòng", maxRows)
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
				rd.problem(s, ref(c, r), "ô chứa công thức =%s; hãy nhập giá trị, không dùng công thức", strings.TrimPrefix(fm, "="))
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
			rd.problem(s, c, "khóa %q lặp lại dòng %d; không sao chép dòng", o.key, o.dupe)
			continue
		}
		if i, ok := missingAt[o.row]; ok {
			delete(missingAt, o.row)
			if o.key == "" {
				rd.problem(s, c, "ô khóa của %s %s đã bị xoá; phải là %q", t.what, t.labels[i], t.keys[i])
			} else {
				rd.problem(s, c, "ô khóa của %s %s đã bị sửa thành %q; phải là %q", t.what, t.labels[i], o.key, t.keys[i])
			}
			continue
		}
		if o.key == "" {
			rd.problem(s, c, "dòng không có khóa (dòng thêm vào hoặc ô khóa bị xoá); không thêm dòng vào biểu")
		} else {
			rd.problem(s, c, "khóa %q không có trong biểu của kỳ này (dòng thêm vào?); không thêm dòng vào biểu", o.key)
		}
	}
	for i, k := range t.keys {
		if _, ok := missingAt[firstRow+i]; ok {
			rd.problem(s, ref(1, firstRow+i), "thiếu dòng của %s %s (khóa %q); không xoá dòng khỏi biểu", t.what, t.labels[i], k)
		}
	}
	return found, true
}

func (rd *reader) readIndicators() []tinhso.IndicatorValue {
	t := table{sheet: SheetIndicators, what: "chỉ tiêu", headers: indicatorHeaders}
	for _, ind := range rd.f.Indicators {
		t.keys, t.labels = append(t.keys, ind.Key), append(t.labels, ind.Code)
	}
	found, ok := rd.rows(t)
	if !ok {
		return nil
	}
	s := SheetIndicators
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
			n, ok := parseNumber(c.text, strings.HasPrefix(strings.TrimSpace(ind.Unit), "%"))
			if !ok {
				rd.problem(s, c.ref, "giá trị phải là số, không phải %q", c.text)
			} else {
				v.Number = &n
			}
		default:
			rd.problem(s, c.ref, "giá trị phải là số, không phải %s", c.kind)
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
			rd.problem(s, ref(col, r), "%s", tinhso.ErrorMessage(err))
			continue
		}
		out = append(out, v)
	}
	return out
}

var doneWords = map[string]bool{"có": true, "co": true, "x": true, "yes": true, "true": true, "1": true,
	"không": false, "khong": false, "no": false, "false": false, "0": false}

func (rd *reader) readTasks() []tinhso.TaskProgress {
	t := table{sheet: SheetTasks, what: "nhiệm vụ", headers: taskHeaders}
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
	s := SheetTasks
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
			pct, has = parseNumber(c.text, true)
			if !has {
				rd.problem(s, c.ref, "%% hoàn thành phải là số từ 0 đến 100, không phải %q", c.text)
			}
		default:
			rd.problem(s, c.ref, "%% hoàn thành phải là số từ 0 đến 100, không phải %s", c.kind)
		}
		if has {
			switch {
			case pct < 0 || pct > 100:
				rd.problem(s, c.ref, "%% hoàn thành phải từ 0 đến 100, không phải %s", vnNumber(pct))
			case math.Abs(pct-math.Round(pct)) > 1e-9:
				rd.problem(s, c.ref, "%% hoàn thành phải là số nguyên, không phải %s", vnNumber(pct))
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
				rd.problem(s, c.ref, "đã hoàn thành phải là Có hoặc Không, không phải %q", c.text)
			}
		default:
			rd.problem(s, c.ref, "đã hoàn thành phải là Có hoặc Không, không phải %s", c.kind)
		}

		if link := rd.textCell(s, tLink, r); link != "" {
			u, err := url.Parse(link)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(link) > 2000 {
				rd.problem(s, ref(tLink, r), "liên kết sản phẩm phải là một địa chỉ http:// hoặc https://, không phải %q", link)
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
	kind    string // what else it holds: "một ô lỗi #DIV/0!", "một ngày"
}

func (c cell) empty() bool {
	return c.text == "" && c.number == nil && c.boolean == nil && c.kind == ""
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
			c.kind = fmt.Sprintf("%q", raw)
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
		c.kind = "một ô lỗi " + raw
	case excelize.CellTypeDate:
		c.kind = "một ngày (" + raw + ")"
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
	case c.kind != "":
		rd.problem(sheet, c.ref, "ô phải là chữ, không phải %s", c.kind)
		return ""
	default:
		s = c.text
	}
	if !utf8.ValidString(s) {
		rd.problem(sheet, c.ref, "chữ không hợp lệ (không phải UTF-8)")
		return ""
	}
	if n := utf8.RuneCountInString(s); n > 5000 {
		rd.problem(sheet, c.ref, "dài %d ký tự; tối đa 5000", n)
		return ""
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7f {
			rd.problem(sheet, c.ref, "chứa ký tự điều khiển U+%04X", r)
			return ""
		}
	}
	return s
}

var (
	dotDecimalRe = regexp.MustCompile(`^\d+\.\d+$`)
	spaceRe      = regexp.MustCompile(`(\d)[ \x{00A0}\x{202F}](\d{3})`)
)

// parseNumber reads a number typed as text: the Vietnamese way ("12,5", "1.500",
// "1 500"), or with a decimal point when it cannot be a thousands separator ("12.5",
// but "1.500" is 1500). percent allows a trailing "%".
func parseNumber(s string, percent bool) (float64, bool) {
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

// vnNumber writes a number with the Vietnamese decimal comma.
func vnNumber(n float64) string {
	return strings.ReplaceAll(strconv.FormatFloat(n, 'f', -1, 64), ".", ",")
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
