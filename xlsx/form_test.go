package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
	"github.com/xuri/excelize/v2"
)

func ptr[T any](v T) *T { return &v }

// testForm is the form of a department for Q1/2026 with four indicators and three tasks.
func testForm(t *testing.T) Form {
	t.Helper()
	regime := &tinhso.Regime{Key: "bao-cao-quy", Frequency: tinhso.FreqQuarterly, CutoffDay: 14, DeadlineDays: 5}
	p, err := tinhso.PeriodOf(regime, 2026, 1)
	if err != nil {
		t.Fatal(err)
	}
	p.ID = 7
	ind := func(code, name, unit, target, kind string) *tinhso.Indicator {
		return &tinhso.Indicator{Key: tinhso.IndicatorKey("25-kh-ubnd", code), Document: "25-kh-ubnd", Code: code,
			Name: name, Unit: unit, TargetText: target, Target: tinhso.ParseTarget(target, unit)}
	}
	task := func(number, title string) *tinhso.Task {
		return &tinhso.Task{Key: "25-kh-ubnd/nv-" + number, Document: "25-kh-ubnd", Number: number, Title: title,
			Deliverable: "Báo cáo kết quả", DeadlineText: "Tháng 7/2026"}
	}
	return Form{
		Period: p, Regime: regime.Key, UnitCode: "SKHCN", UnitName: "Sở Khoa học và Công nghệ",
		Indicators: []*tinhso.Indicator{
			ind("1", "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình", "%", "≥ 85", ""),
			ind("2", "Số người dân có tài khoản định danh điện tử mức độ 2", "người", "100.000", ""),
			ind("3", "Mức độ chuyển đổi số của tỉnh", "", "Đạt mức tiên tiến trong khu vực", ""),
			ind("4", "Tốc độ tăng năng suất lao động", "%/năm", "6,5", ""),
		},
		Tasks: []*tinhso.Task{
			task("1", "Xây dựng Trung tâm giám sát, điều hành thông minh (IOC) cấp tỉnh"),
			task("2", "Ban hành bộ tiêu chí đánh giá mức độ chuyển đổi số của cơ quan, đơn vị"),
			task("3", "Số hoá 100% hồ sơ thủ tục hành chính"),
		},
	}
}

func write(t *testing.T, f Form) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

// edit opens a written form with excelize, applies change and saves it again.
func edit(t *testing.T, data []byte, change func(x *excelize.File) error) []byte {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := change(x); err != nil {
		t.Fatalf("editing the form: %v", err)
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func read(data []byte, f Form) ([]tinhso.IndicatorValue, []tinhso.TaskProgress, error) {
	return Read(bytes.NewReader(data), int64(len(data)), f)
}

func TestWriteReadRoundTrip(t *testing.T) {
	f := testForm(t)
	f.Values = []tinhso.IndicatorValue{
		{Indicator: f.Indicators[0].Key, Number: ptr(85.5), Unit: "%", Note: "Số liệu đến 14/3/2026"},
		{Indicator: f.Indicators[1].Key, Number: ptr(16303827.0), Unit: "người"},
		{Indicator: f.Indicators[2].Key, Text: "Đạt mức khá; đang hoàn thiện hạ tầng số"},
		{Indicator: f.Indicators[3].Key, Number: ptr(-1.25), Unit: "%/năm"},
	}
	f.Progress = []tinhso.TaskProgress{
		{Task: f.Tasks[0].Key, Percent: ptr(50), Note: "Đã lắp đặt màn hình"},
		{Task: f.Tasks[1].Key, Percent: ptr(100), Done: true, DeliverableLink: "https://thainguyen.gov.vn/qd-123",
			DeliverableFile: strings.Repeat("ab", 32)},
		{Task: f.Tasks[2].Key, Percent: ptr(0)},
	}
	values, progress, err := read(write(t, f), f)
	if err != nil {
		t.Fatalf("Read: %v", details(err))
	}
	if !reflect.DeepEqual(values, f.Values) {
		t.Errorf("values\n got %s\nwant %s", dump(values), dump(f.Values))
	}
	if !reflect.DeepEqual(progress, f.Progress) {
		t.Errorf("progress\n got %s\nwant %s", dump(progress), dump(f.Progress))
	}

	// An empty form reads as nothing.
	f.Values, f.Progress = nil, nil
	values, progress, err = read(write(t, f), f)
	if err != nil || len(values) != 0 || len(progress) != 0 {
		t.Fatalf("empty form: %v, %v, %v", dump(values), dump(progress), details(err))
	}
}

func TestWriteLayout(t *testing.T) {
	f := testForm(t)
	x, err := excelize.OpenReader(bytes.NewReader(write(t, f)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{SheetIndicators, SheetTasks, SheetMeta}) {
		t.Fatalf("sheets %q", got)
	}
	if v, _ := x.GetSheetVisible(SheetMeta); v {
		t.Error("_meta is visible")
	}
	if v, _ := x.GetCellValue(SheetIndicators, "C5"); v != f.Indicators[0].Name {
		t.Errorf("C5 = %q; want the Vietnamese name intact", v)
	}
	if v, _ := x.GetCellValue(SheetTasks, "C5"); v != f.Tasks[0].Title {
		t.Errorf("Nhiệm vụ!C5 = %q", v)
	}
	if v, _ := x.GetCellValue(SheetIndicators, "F4"); v != "Giá trị (số)" {
		t.Errorf("F4 = %q", v)
	}
	if v, _ := x.GetColVisible(SheetIndicators, "A"); v {
		t.Error("the key column is visible")
	}
	if w, _ := x.GetColWidth(SheetIndicators, "C"); w < 40 {
		t.Errorf("name column width %v", w)
	}
	locked := func(sheet, cell string) bool {
		id, _ := x.GetCellStyle(sheet, cell)
		st, _ := x.GetStyle(id)
		return st.Protection == nil || st.Protection.Locked
	}
	for _, c := range []struct {
		sheet, cell string
		locked      bool
	}{{SheetIndicators, "A5", true}, {SheetIndicators, "C5", true}, {SheetIndicators, "F5", false},
		{SheetIndicators, "G8", false}, {SheetIndicators, "H8", false}, {SheetTasks, "B5", true},
		{SheetTasks, "F7", false}, {SheetTasks, "G7", false}, {SheetTasks, "I7", false}} {
		if got := locked(c.sheet, c.cell); got != c.locked {
			t.Errorf("%s!%s locked = %v; want %v", c.sheet, c.cell, got, c.locked)
		}
	}
	meta, _ := x.GetRows(SheetMeta)
	want := [][]string{{"form_version", FormVersion}, {"period_id", "7"}, {"period_label", "Q1/2026"}, {"regime", "bao-cao-quy"},
		{"unit_code", "SKHCN"}, {"unit_name", "Sở Khoa học và Công nghệ"}, {"indicators", "4"}, {"tasks", "3"}, {"lang", "vi"}}
	if !reflect.DeepEqual(meta, want) {
		t.Errorf("_meta = %q", meta)
	}
}

func TestReadAccepts(t *testing.T) {
	f := testForm(t)
	s, n := SheetIndicators, SheetTasks
	data := edit(t, write(t, f), func(x *excelize.File) error {
		pct, err := x.NewStyle(&excelize.Style{NumFmt: 9})
		if err != nil {
			return err
		}
		return errors.Join(
			x.SetCellStr(s, "F5", " 12,5 "), // decimal comma typed as text
			x.SetCellStr(s, "F6", "1.500"),  // thousands with a dot
			x.SetCellStr(s, "G7", "Đạt"),    // qualitative
			x.SetCellStr(s, "F8", "-0,5"),   // %/năm may be negative
			x.SetCellFloat(n, "F5", 0.6, -1, 64),
			x.SetCellStyle(n, "F5", "F5", pct), // 60% typed as a percentage
			x.SetCellStr(n, "G5", "x"),
			x.SetCellStr(n, "F6", "75%"),
			x.SetCellStr(n, "G6", "KHÔNG"),
			x.SetCellBool(n, "G7", true),
			x.SetCellStr(n, "H7", "https://example.gov.vn/san-pham"),
		)
	})
	values, progress, err := read(data, f)
	if err != nil {
		t.Fatalf("Read: %v", details(err))
	}
	wantValues := []tinhso.IndicatorValue{
		{Indicator: f.Indicators[0].Key, Number: ptr(12.5), Unit: "%"},
		{Indicator: f.Indicators[1].Key, Number: ptr(1500.0), Unit: "người"},
		{Indicator: f.Indicators[2].Key, Text: "Đạt"},
		{Indicator: f.Indicators[3].Key, Number: ptr(-0.5), Unit: "%/năm"},
	}
	if !reflect.DeepEqual(values, wantValues) {
		t.Errorf("values\n got %s\nwant %s", dump(values), dump(wantValues))
	}
	wantProgress := []tinhso.TaskProgress{
		{Task: f.Tasks[0].Key, Percent: ptr(60), Done: true},
		{Task: f.Tasks[1].Key, Percent: ptr(75), Done: false},
		{Task: f.Tasks[2].Key, Done: true, DeliverableLink: "https://example.gov.vn/san-pham"},
	}
	if !reflect.DeepEqual(progress, wantProgress) {
		t.Errorf("progress\n got %s\nwant %s", dump(progress), dump(wantProgress))
	}
	for _, w := range []string{"Có", "có", "CO", "x", "X", "yes", "Yes", "true", "TRUE", "không", "No", "false"} {
		data := edit(t, write(t, f), func(x *excelize.File) error { return x.SetCellStr(n, "G5", w) })
		if _, p, err := read(data, f); err != nil || len(p) != 1 {
			t.Errorf("done %q: %v, %v", w, dump(p), details(err))
		}
	}
}

func TestReadRejects(t *testing.T) {
	f := testForm(t)
	s, n, m := SheetIndicators, SheetTasks, SheetMeta
	tests := []struct {
		name   string
		change func(x *excelize.File) error
		want   wantProblem // one of the error's items
	}{
		{"text where a number belongs", func(x *excelize.File) error { return x.SetCellStr(s, "F6", "abc") },
			wantProblem{"Chỉ tiêu!F6", "err.xlsx.value_text", `giá trị phải là số, không phải "abc"`}},
		{"formula in a value cell", func(x *excelize.File) error { return x.SetCellFormula(s, "F5", "SUM(1,2)") },
			wantProblem{"Chỉ tiêu!F5", "err.xlsx.formula", `ô chứa công thức =SUM(1,2)`}},
		{"formula in a task cell", func(x *excelize.File) error { return x.SetCellFormula(n, "G6", `IF(1,"Có","Không")`) },
			wantProblem{"Nhiệm vụ!G6", "err.xlsx.formula", `ô chứa công thức =IF(1,"Có","Không")`}},
		{"merged cells", func(x *excelize.File) error { return x.MergeCell(n, "G5", "H5") },
			wantProblem{"Nhiệm vụ!G5:H5", "err.xlsx.merged", `ô bị gộp`}},
		{"key deleted", func(x *excelize.File) error { return x.SetCellStr(s, "A6", "") },
			wantProblem{"Chỉ tiêu!A6", "err.xlsx.key_deleted", `ô khóa của chỉ tiêu 2 đã bị xoá; phải là "25-kh-ubnd/2"`}},
		{"key changed", func(x *excelize.File) error { return x.SetCellStr(s, "A7", "25-kh-ubnd/99") },
			wantProblem{"Chỉ tiêu!A7", "err.xlsx.key_changed", `ô khóa của chỉ tiêu 3 đã bị sửa thành "25-kh-ubnd/99"`}},
		{"row deleted", func(x *excelize.File) error { return x.RemoveRow(n, 6) },
			wantProblem{"Nhiệm vụ!A6", "err.xlsx.missing_row", `thiếu dòng của nhiệm vụ 2 (khóa "25-kh-ubnd/nv-2")`}},
		{"row added with an unknown key", func(x *excelize.File) error {
			return errors.Join(x.SetCellStr(s, "A9", "25-kh-ubnd/9"), x.SetCellInt(s, "F9", 5))
		}, wantProblem{"Chỉ tiêu!A9", "err.xlsx.unknown_key", `khóa "25-kh-ubnd/9" không có trong biểu`}},
		{"row added without a key", func(x *excelize.File) error { return x.SetCellInt(n, "F8", 5) },
			wantProblem{"Nhiệm vụ!A8", "err.xlsx.no_key", `dòng không có khóa`}},
		{"row copied", func(x *excelize.File) error {
			return errors.Join(x.SetCellStr(s, "A9", "25-kh-ubnd/1"), x.SetCellInt(s, "F9", 5))
		}, wantProblem{"Chỉ tiêu!A9", "err.xlsx.key_twice", `khóa "25-kh-ubnd/1" lặp lại dòng 5`}},
		{"column inserted", func(x *excelize.File) error { return x.InsertCols(s, "F", 1) },
			wantProblem{"Chỉ tiêu!F4", "err.xlsx.header", `tiêu đề cột phải là "Giá trị (số)", không phải ""`}},
		{"another unit", func(x *excelize.File) error { return x.SetCellStr(m, "B5", "STTTT") },
			wantProblem{"_meta!B5", "err.xlsx.unit", `biểu của đơn vị "STTTT", không phải của "SKHCN"`}},
		{"another period", func(x *excelize.File) error {
			return errors.Join(x.SetCellStr(m, "B2", "6"), x.SetCellStr(m, "B3", "Q4/2025"))
		}, wantProblem{"_meta!B2", "err.xlsx.period", `biểu của kỳ "Q4/2025" (mã 6), không phải kỳ "Q1/2026" (mã 7)`}},
		{"another form version", func(x *excelize.File) error { return x.SetCellStr(m, "B1", "tinhso-bieu/0") },
			wantProblem{"_meta!B1", "err.xlsx.version", `phiên bản biểu "tinhso-bieu/0"`}},
		{"meta sheet deleted", func(x *excelize.File) error { return x.DeleteSheet(m) },
			wantProblem{"_meta!A1", "err.xlsx.no_meta", `thiếu trang ẩn "_meta"`}},
		{"percent over 100", func(x *excelize.File) error { return x.SetCellInt(n, "F5", 120) },
			wantProblem{"Nhiệm vụ!F5", "err.xlsx.percent_range", `% hoàn thành phải từ 0 đến 100, không phải 120`}},
		{"percent negative as text", func(x *excelize.File) error { return x.SetCellStr(n, "F6", "-5") },
			wantProblem{"Nhiệm vụ!F6", "err.xlsx.percent_range", `% hoàn thành phải từ 0 đến 100, không phải -5`}},
		{"percent not a whole number", func(x *excelize.File) error { return x.SetCellStr(n, "F6", "12,5") },
			wantProblem{"Nhiệm vụ!F6", "err.xlsx.percent_whole", `% hoàn thành phải là số nguyên, không phải 12,5`}},
		{"percent as words", func(x *excelize.File) error { return x.SetCellStr(n, "F7", "một nửa") },
			wantProblem{"Nhiệm vụ!F7", "err.xlsx.percent_text", `% hoàn thành phải là số từ 0 đến 100, không phải "một nửa"`}},
		{"done other than Có/Không", func(x *excelize.File) error { return x.SetCellStr(n, "G5", "sắp xong") },
			wantProblem{"Nhiệm vụ!G5", "err.xlsx.done_text", `đã hoàn thành phải là Có hoặc Không, không phải "sắp xong"`}},
		{"link not http", func(x *excelize.File) error { return x.SetCellStr(n, "H5", "file:///etc/passwd") },
			wantProblem{"Nhiệm vụ!H5", "err.xlsx.link", `liên kết sản phẩm phải là một địa chỉ http:// hoặc https://`}},
		{"percentage over 100 (ValidateValue)", func(x *excelize.File) error { return x.SetCellInt(s, "F5", 120) },
			wantProblem{"Chỉ tiêu!F5", "err.value.over_100", `Chỉ tiêu 1 tính theo tỷ lệ phần trăm; giá trị 120 lớn hơn 100.`}},
		{"negative count (ValidateValue)", func(x *excelize.File) error { return x.SetCellStr(s, "F6", "-3") },
			wantProblem{"Chỉ tiêu!F6", "err.value.negative", `Chỉ tiêu 2 không nhận giá trị âm.`}},
		{"text for a quantitative indicator (ValidateValue)", func(x *excelize.File) error { return x.SetCellStr(s, "G6", "rất nhiều") },
			wantProblem{"Chỉ tiêu!G6", "err.value.not_text", `Chỉ tiêu 2 nhận giá trị là số theo đơn vị "người", không nhận chữ.`}},
		{"note without a value (ValidateValue)", func(x *excelize.File) error { return x.SetCellStr(s, "H5", "chưa có số") },
			wantProblem{"Chỉ tiêu!F5", "err.value.number", `Chỉ tiêu 1: cần nhập một số.`}},
		{"sheet renamed", func(x *excelize.File) error { return x.SetSheetName(n, "Tasks") },
			wantProblem{"Nhiệm vụ!A1", "err.xlsx.no_sheet", `thiếu trang "Nhiệm vụ"`}},
	}
	t.Run("error cell", func(t *testing.T) {
		_, _, err := read(errorCell(t, write(t, f), "F5", "#DIV/0!"), f)
		assertInvalid(t, err, `Chỉ tiêu!F5: giá trị phải là số, không phải một ô lỗi #DIV/0!`)
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values, progress, err := read(edit(t, write(t, f), tt.change), f)
			assertProblem(t, err, tt.want)
			if values != nil || progress != nil {
				t.Errorf("rejected form returned values %s, progress %s", dump(values), dump(progress))
			}
		})
	}
}

// errorCell turns a cell of the first sheet into an error cell (t="e"), which excelize
// offers no setter for, by rewriting the sheet's XML.
func errorCell(t *testing.T, data []byte, cell, value string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	done := false
	for _, e := range zr.File {
		rc, _ := e.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		if e.Name == "xl/worksheets/sheet1.xml" {
			s := string(body)
			i := strings.Index(s, `<c r="`+cell+`"`)
			if i < 0 {
				t.Fatalf("no cell %s in %s", cell, s)
			}
			end := strings.Index(s[i:], ">") + i + 1
			if s[end-2] != '/' {
				end = strings.Index(s[i:], "</c>") + i + 4
			}
			style := ""
			if k := strings.Index(s[i:end], ` s="`); k >= 0 {
				q := strings.Index(s[i+k+4:], `"`)
				style = s[i+k : i+k+4+q+1]
			}
			body = []byte(s[:i] + `<c r="` + cell + `"` + style + ` t="e"><v>` + value + `</v></c>` + s[end:])
			done = true
		}
		w, _ := zw.Create(e.Name)
		w.Write(body)
	}
	zw.Close()
	if !done {
		t.Fatal("no sheet1.xml")
	}
	return out.Bytes()
}

func TestReadReportsEveryProblemAtOnce(t *testing.T) {
	f := testForm(t)
	data := edit(t, write(t, f), func(x *excelize.File) error {
		return errors.Join(
			x.SetCellStr(SheetIndicators, "F6", "abc"),
			x.SetCellFormula(SheetIndicators, "F7", "1+1"),
			x.SetCellInt(SheetTasks, "F5", 101),
			x.SetCellStr(SheetTasks, "G7", "maybe"),
			x.SetCellStr(SheetMeta, "B5", "STTTT"),
		)
	})
	_, _, err := read(data, f)
	assertInvalid(t, err)
	e := err.(*tinhso.Error)
	want := []string{`_meta!B5:`, `Chỉ tiêu!F6:`, `Chỉ tiêu!F7:`, `Nhiệm vụ!F5:`, `Nhiệm vụ!G7:`} // in this order
	vi := locale.For(locale.VI)
	items := vi.Items(e)
	if len(items) != len(want) || e.Key != "err.xlsx.problems" || fmt.Sprint(e.Args) != "[5]" ||
		vi.Error(e) != "Biểu báo cáo có 5 lỗi; sửa các ô được nêu rồi tải lên lại. Không có số liệu nào được lưu." || e.Field != "file" {
		t.Fatalf("want exactly 5 problems; got %s %v %q: %q", e.Key, e.Args, vi.Error(e), items)
	}
	if got := locale.For(locale.EN).Error(e); got != "The form has 5 problems; correct the cells named and upload it again. Nothing was stored." {
		t.Errorf("in English: %q", got)
	}
	for i, w := range want {
		if !strings.HasPrefix(items[i], w) {
			t.Errorf("detail %d = %q; want it to start with %q", i, items[i], w)
		}
	}
}

func TestReadRejectsFiles(t *testing.T) {
	f := testForm(t)
	form := write(t, f)
	withEntry := func(name, body string) []byte {
		zr, _ := zip.NewReader(bytes.NewReader(form), int64(len(form)))
		var out bytes.Buffer
		zw := zip.NewWriter(&out)
		for _, e := range zr.File {
			rc, _ := e.Open()
			w, _ := zw.Create(e.Name)
			io.Copy(w, rc)
			rc.Close()
		}
		w, _ := zw.Create(name)
		io.WriteString(w, body)
		zw.Close()
		return out.Bytes()
	}
	bomb := func() []byte {
		zr, _ := zip.NewReader(bytes.NewReader(form), int64(len(form)))
		var out bytes.Buffer
		zw := zip.NewWriter(&out)
		for _, e := range zr.File {
			rc, _ := e.Open()
			w, _ := zw.Create(e.Name)
			io.Copy(w, rc)
			rc.Close()
		}
		w, _ := zw.Create("xl/media/image1.png")
		zeros := make([]byte, 1<<20)
		for range 210 {
			w.Write(zeros)
		}
		zw.Close()
		return out.Bytes()
	}()
	if len(bomb) > MaxSize {
		t.Fatalf("the zip bomb is %d bytes, over MaxSize", len(bomb))
	}
	tests := []struct {
		name    string
		content []byte
		code    string
		want    string // in the Vietnamese Message
		key     string
	}{
		{"xlsm with vbaProject.bin", withEntry("xl/vbaProject.bin", "\xd0\xcf\x11\xe0"), tinhso.EINVALID, "chứa macro (xl/vbaProject.bin)", "err.xlsx.macros"},
		{"legacy xls", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 1024)...), tinhso.EINVALID, "Excel cũ (.xls)", "err.xlsx.xls"},
		{"pdf", []byte("%PDF-1.4\n%%EOF\n"), tinhso.EINVALID, "không phải bảng tính .xlsx", "err.xlsx.not_xlsx"},
		{"zip without a workbook", func() []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			w, _ := zw.Create("a.txt")
			io.WriteString(w, "x")
			zw.Close()
			return b.Bytes()
		}(), tinhso.EINVALID, "thiếu xl/workbook.xml", "err.xlsx.incomplete"},
		{"zip bomb", bomb, tinhso.EINVALID, "giải nén ra hơn", "err.xlsx.unzipped"},
		{"over 10 MB", append(append([]byte{}, form...), make([]byte, MaxSize)...), tinhso.ETOOLARGE, "10 MB", "err.xlsx.too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := read(tt.content, f)
			var e *tinhso.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Key != tt.key || !strings.Contains(locale.For(locale.VI).Error(e), tt.want) || e.Field != "file" {
				t.Fatalf("Read = %v; want %s %s with %q", err, tt.code, tt.key, tt.want)
			}
		})
	}
	// A declared size over the cap is refused before reading.
	r := &countingReader{}
	if _, _, err := Read(r, 200<<20, f); tinhso.ErrorCode(err) != tinhso.ETOOLARGE || r.read != 0 {
		t.Fatalf("Read(200 MB declared) = %v after reading %d bytes; want ETOOLARGE before reading", err, r.read)
	}
	// A stream longer than declared stops shortly after the cap.
	r = &countingReader{n: 200 << 20}
	if _, _, err := Read(r, 1000, f); tinhso.ErrorCode(err) != tinhso.ETOOLARGE || r.read > MaxSize+64<<10 {
		t.Fatalf("Read(200 MB stream) = %v after reading %d bytes", err, r.read)
	}
}

// TestEnglishForm writes a form in English, reads it back, and reads an English form's
// problems in the reader's language with the English sheet names.
func TestEnglishForm(t *testing.T) {
	f := testForm(t)
	f.Lang = locale.EN
	f.Progress = []tinhso.TaskProgress{{Task: f.Tasks[0].Key, Done: true, DeliverableLink: "https://example.gov.vn/a"}}
	data := write(t, f)
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{"Indicators", "Tasks", SheetMeta}) {
		t.Fatalf("sheets %q", got)
	}
	for cell, want := range map[string]string{"F4": "Value (number)", "A1": "", "B1": "INDICATOR REPORT — PERIOD Q1/2026"} {
		if v, _ := x.GetCellValue("Indicators", cell); v != want {
			t.Errorf("Indicators!%s = %q; want %q", cell, v, want)
		}
	}
	if v, _ := x.GetCellValue("Tasks", "G5"); v != "Yes" {
		t.Errorf("Tasks!G5 = %q; want Yes", v)
	}
	if v, _ := x.GetCellValue("Indicators", "B2"); !strings.Contains(v, "Org unit: Sở Khoa học và Công nghệ (SKHCN)") || !strings.Contains(v, "Due: 19/03/2026") {
		t.Errorf("Indicators!B2 = %q", v)
	}
	x.Close()

	filled := edit(t, data, func(x *excelize.File) error {
		return errors.Join(x.SetCellStr("Indicators", "F6", "1,500"), x.SetCellStr("Indicators", "F5", "12.5"), x.SetCellStr("Tasks", "G6", "No"))
	})
	values, progress, err := read(filled, f)
	if err != nil {
		t.Fatalf("Read: %v", details(err))
	}
	if len(values) != 2 || *values[0].Number != 12.5 || *values[1].Number != 1500 || len(progress) != 2 || progress[1].Done {
		t.Errorf("values %s, progress %s", dump(values), dump(progress))
	}

	// The reader (f.Lang "" : Vietnamese) reads the English form's problems in
	// Vietnamese, at the English sheet's cells.
	bad := edit(t, data, func(x *excelize.File) error { return x.SetCellStr("Indicators", "F6", "abc") })
	vf := f
	vf.Lang = ""
	_, _, err = read(bad, vf)
	assertInvalid(t, err, `Indicators!F6: giá trị phải là số, không phải "abc"`)
	_, _, err = read(bad, f)
	assertInvalidIn(t, locale.EN, err, `Indicators!F6: the value must be a number, not "abc"`)
	if got := locale.For(locale.EN).Error(err); got != "The form has 1 problem; correct the cell named and upload it again. Nothing was stored." {
		t.Errorf("English message %q", got)
	}

	// A form written before forms had a language (no "lang" in _meta) is Vietnamese.
	old := edit(t, write(t, testForm(t)), func(x *excelize.File) error { return x.RemoveRow(SheetMeta, 9) })
	if _, _, err := read(old, testForm(t)); err != nil {
		t.Errorf("a form without its language: %v", details(err))
	}
}

// TestSheetNames keeps the exported sheet names those of a Vietnamese form.
func TestSheetNames(t *testing.T) {
	vi := locale.For(locale.VI)
	for name, key := range map[string]string{SheetIndicators: "xlsx.sheet.indicators", SheetTasks: "xlsx.sheet.tasks",
		SheetFigures: "xlsx.sheet.figures", SheetStatus: "xlsx.sheet.status"} {
		if got := vi.T(key); got != name {
			t.Errorf("%s is %q in vi.toml, %q here", key, got, name)
		}
	}
}

type countingReader struct{ n, read int64 }

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), c.n-c.read)]
	clear(p)
	c.read += int64(len(p))
	return len(p), nil
}

// TestLibreOfficeRoundTrip writes a form, fills two cells, has LibreOffice re-save it
// and reads it back.
func TestLibreOfficeRoundTrip(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not on PATH: install the Debian package libreoffice-calc to run the LibreOffice round trip")
	}
	f := testForm(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in", "bieu-SKHCN-Q1-2026.xlsx")
	out := filepath.Join(dir, "out")
	os.MkdirAll(filepath.Dir(in), 0o755)
	data := edit(t, write(t, f), func(x *excelize.File) error {
		return errors.Join(x.SetCellFloat(SheetIndicators, "F5", 87.25, -1, 64), x.SetCellInt(SheetTasks, "F6", 40),
			x.SetCellStr(SheetIndicators, "G7", "Đạt mức khá"))
	})
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--norestore", "--calc", "--convert-to", "xlsx", "--outdir", out, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v (ctx %v)\n%s", err, ctx.Err(), msg)
	}
	t.Logf("LibreOffice re-saved the form in %v", time.Since(start).Round(time.Millisecond))
	resaved, err := os.ReadFile(filepath.Join(out, filepath.Base(in)))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(resaved, data) {
		t.Fatal("LibreOffice returned the file unchanged")
	}
	values, progress, err := read(resaved, f)
	if err != nil {
		t.Fatalf("Read after LibreOffice: %v", details(err))
	}
	wantValues := []tinhso.IndicatorValue{
		{Indicator: f.Indicators[0].Key, Number: ptr(87.25), Unit: "%"},
		{Indicator: f.Indicators[2].Key, Text: "Đạt mức khá"},
	}
	if !reflect.DeepEqual(values, wantValues) {
		t.Errorf("values after LibreOffice\n got %s\nwant %s", dump(values), dump(wantValues))
	}
	if want := []tinhso.TaskProgress{{Task: f.Tasks[1].Key, Percent: ptr(40)}}; !reflect.DeepEqual(progress, want) {
		t.Errorf("progress after LibreOffice\n got %s\nwant %s", dump(progress), dump(want))
	}
	// The re-saved form is still checked: a wrong value is still found by cell.
	bad := edit(t, resaved, func(x *excelize.File) error { return x.SetCellStr(SheetIndicators, "F6", "abc") })
	_, _, err = read(bad, f)
	assertInvalid(t, err, `Chỉ tiêu!F6: giá trị phải là số, không phải "abc"`)
}

// wantProblem is a problem Read must report: where ("Chỉ tiêu!F6"), its key, and the
// start of its Vietnamese text.
type wantProblem struct{ at, key, vi string }

// assertProblem checks that err lists the problem among its items (xlsx.cell: sheet,
// cell, problem), and that the items render in Vietnamese as "sheet!cell: problem".
func assertProblem(t *testing.T, err error, w wantProblem) {
	t.Helper()
	var e *tinhso.Error
	if !errors.As(err, &e) || e.Code != tinhso.EINVALID || e.Key != "err.xlsx.problems" || e.Field != "file" {
		t.Fatalf("error %v; want EINVALID err.xlsx.problems about the file", err)
	}
	vi := locale.For(locale.VI)
	details := vi.Items(e)
	for i, it := range e.Items {
		if it.Key != "xlsx.cell" || len(it.Args) != 3 {
			t.Errorf("item %d is %v; want xlsx.cell with sheet, cell and problem", i, it)
			continue
		}
		m, _ := it.Args[2].(tinhso.Message)
		if fmt.Sprintf("%v!%v", it.Args[0], it.Args[1]) != w.at || m.Key != w.key {
			continue
		}
		if got := vi.Message(m); !strings.HasPrefix(got, w.vi) {
			t.Errorf("%s %s reads %q in Vietnamese; want it to start with %q", w.at, w.key, got, w.vi)
		}
		if want := w.at + ": " + vi.Message(m); details[i] != want {
			t.Errorf("detail %d = %q; want %q", i, details[i], want)
		}
		return
	}
	t.Errorf("no problem %s %s; details:\n  %s", w.at, w.key, strings.Join(details, "\n  "))
}

// assertInvalid checks that err is EINVALID and that its items in Vietnamese include
// ones starting with each of want.
func assertInvalid(t *testing.T, err error, want ...string) {
	t.Helper()
	assertInvalidIn(t, locale.VI, err, want...)
}

func assertInvalidIn(t *testing.T, l locale.Lang, err error, want ...string) {
	t.Helper()
	var e *tinhso.Error
	if !errors.As(err, &e) || e.Code != tinhso.EINVALID {
		t.Fatalf("error %v; want EINVALID", err)
	}
	details := locale.For(l).Items(e)
	for _, w := range want {
		found := false
		for _, d := range details {
			if strings.HasPrefix(d, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no detail starts with %q; details:\n  %s", w, strings.Join(details, "\n  "))
		}
	}
}

func details(err error) string {
	var e *tinhso.Error
	if errors.As(err, &e) {
		vi := locale.For(locale.VI)
		return vi.Error(e) + "\n  " + strings.Join(vi.Items(e), "\n  ")
	}
	return fmt.Sprint(err)
}

func dump(v any) string {
	switch v := v.(type) {
	case []tinhso.IndicatorValue:
		var s []string
		for _, x := range v {
			n := "nil"
			if x.Number != nil {
				n = fmt.Sprint(*x.Number)
			}
			s = append(s, fmt.Sprintf("{%s %s %q %q %q}", x.Indicator, n, x.Unit, x.Text, x.Note))
		}
		return "[" + strings.Join(s, " ") + "]"
	case []tinhso.TaskProgress:
		var s []string
		for _, x := range v {
			p := "nil"
			if x.Percent != nil {
				p = fmt.Sprint(*x.Percent)
			}
			s = append(s, fmt.Sprintf("{%s %s %v %q %q %q}", x.Task, p, x.Done, x.DeliverableLink, x.DeliverableFile, x.Note))
		}
		return "[" + strings.Join(s, " ") + "]"
	}
	return fmt.Sprint(v)
}
