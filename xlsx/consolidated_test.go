package xlsx

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
	"github.com/xuri/excelize/v2"
)

func TestConsolidated(t *testing.T) {
	regime := &tinhso.Regime{Key: "bao-cao-quy", Frequency: tinhso.FreqQuarterly, CutoffDay: 14, DeadlineDays: 5}
	p, _ := tinhso.PeriodOf(regime, 2026, 1)
	figures := []tinhso.Figure{
		{Indicator: "25-kh-ubnd/1", Code: "1", Name: "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình", Unit: "%",
			Aggregation: "mean", Value: 86.25, Count: 2, Submissions: []int64{3, 5}, Target: tinhso.Target{Text: "≥ 85"}},
		{Indicator: "25-kh-ubnd/2", Code: "2", Name: "Số người có tài khoản định danh điện tử", Unit: "người",
			Aggregation: "sum", Value: 16303827, Count: 1, Submissions: []int64{5}, Target: tinhso.Target{Text: "100.000"}},
	}
	submitted := time.Date(2026, 3, 18, 9, 30, 0, 0, time.UTC) // 16:30 in Hà Nội
	approved := submitted.Add(26 * time.Hour)
	units := []UnitStatus{
		StatusOf(tinhso.Submission{ID: 5, OrgUnit: "SKHCN", UnitName: "Sở Khoa học và Công nghệ", Status: tinhso.StatusApproved,
			Resubmitted: 1, SubmittedAt: &submitted, ApprovedAt: &approved}),
		{Code: "UBND-XA-A", Name: "UBND xã Tân Cương", Status: ""},
	}
	var b bytes.Buffer
	if err := WriteConsolidated(&b, locale.VI, p, figures, units); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{SheetFigures, SheetStatus}) {
		t.Fatalf("sheets %q", got)
	}
	rows, _ := x.GetRows(SheetFigures, excelize.Options{RawCellValue: true})
	want := [][]string{
		{"Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Chỉ tiêu (mục tiêu)", "Giá trị tổng hợp", "Cách tổng hợp", "Số báo cáo", "Mã các báo cáo", "Khóa chỉ tiêu"},
		{"1", "Tỷ lệ hồ sơ xử lý trực tuyến toàn trình", "%", "≥ 85", "86.25", "Trung bình", "2", "3, 5", "25-kh-ubnd/1"},
		{"2", "Số người có tài khoản định danh điện tử", "người", "100.000", "16303827", "Tổng", "1", "5", "25-kh-ubnd/2"},
	}
	if !reflect.DeepEqual(rows[2:], want) {
		t.Errorf("figures\n got %q\nwant %q", rows[2:], want)
	}
	if v, _ := x.GetCellValue(SheetFigures, "A1"); v != "TỔNG HỢP CHỈ TIÊU TOÀN TỈNH — KỲ Q1/2026" {
		t.Errorf("title %q", v)
	}
	rows, _ = x.GetRows(SheetStatus)
	wantStatus := [][]string{
		{"Mã đơn vị", "Tên đơn vị", "Trạng thái", "Nộp lúc", "Duyệt lúc", "Mã báo cáo", "Số lần nộp lại", "Lý do trả lại"},
		{"SKHCN", "Sở Khoa học và Công nghệ", "Đã phê duyệt", "18/03/2026 16:30", "19/03/2026 18:30", "5", "1"},
		{"UBND-XA-A", "UBND xã Tân Cương", "Chưa có báo cáo", "", "", "", "0"},
	}
	if !reflect.DeepEqual(rows[2:], wantStatus) {
		t.Errorf("status\n got %q\nwant %q", rows[2:], wantStatus)
	}
}

func TestConsolidatedEnglish(t *testing.T) {
	regime := &tinhso.Regime{Key: "bao-cao-quy", Frequency: tinhso.FreqQuarterly, CutoffDay: 14, DeadlineDays: 5}
	p, _ := tinhso.PeriodOf(regime, 2026, 1)
	figures := []tinhso.Figure{{Indicator: "25-kh-ubnd/1", Code: "1", Name: "Tỷ lệ", Unit: "%", Aggregation: "weighted_mean", Value: 86.25, Count: 2}}
	units := []UnitStatus{{Code: "UBND-XA-A", Name: "UBND xã Tân Cương", Status: tinhso.StatusSubmitted}}
	var b bytes.Buffer
	if err := WriteConsolidated(&b, locale.EN, p, figures, units); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{"Province figures", "Reporting status"}) {
		t.Fatalf("sheets %q", got)
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{"Province figures", "A1", "PROVINCE FIGURES — PERIOD Q1/2026"},
		{"Province figures", "A2", "Period Q1/2026 (01/01/2026 – 31/03/2026) · Data from 15/12/2025 to 14/03/2026 · Due 19/03/2026"},
		{"Province figures", "E3", "Province figure"},
		{"Province figures", "F4", "Weighted mean"},
		{"Reporting status", "C3", "Status"},
		{"Reporting status", "C4", "Awaiting review"},
	} {
		if v, _ := x.GetCellValue(c.sheet, c.cell); v != c.want {
			t.Errorf("%s!%s = %q; want %q", c.sheet, c.cell, v, c.want)
		}
	}
}
