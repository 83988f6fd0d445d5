package xlsx

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
	"github.com/xuri/excelize/v2"
)

// Sheet names of a Vietnamese consolidated report (the catalogues'
// xlsx.sheet.figures and xlsx.sheet.status in other languages).
const (
	SheetFigures = "Tổng hợp chỉ tiêu"
	SheetStatus  = "Tình hình báo cáo"
)

// vnZone is Asia/Ho_Chi_Minh (UTC+7, no daylight saving), fixed so that no time zone
// database is needed.
var vnZone = time.FixedZone("ICT", 7*3600)

// UnitStatus is one org unit's row in the submission-status sheet of a consolidated
// report.
type UnitStatus struct {
	Code         string
	Name         string
	Status       string // tinhso.StatusDraft …; "" when the unit has no submission
	Submission   int64  // the submission's id; 0 when none
	Resubmitted  int
	ReturnReason string
	SubmittedAt  *time.Time
	ApprovedAt   *time.Time
}

// StatusOf makes a UnitStatus from a submission.
func StatusOf(s tinhso.Submission) UnitStatus {
	return UnitStatus{Code: s.OrgUnit, Name: s.UnitName, Status: s.Status, Submission: s.ID,
		Resubmitted: s.Resubmitted, ReturnReason: s.ReturnReason, SubmittedAt: s.SubmittedAt, ApprovedAt: s.ApprovedAt}
}

// The label of a unit's submission status is xlsx.status.<status> ("none" when it has
// no submission), of an aggregation xlsx.agg.<method> ("mean" for "").

// WriteConsolidated writes a period's consolidated report as an .xlsx workbook in a
// language: a sheet of the province figures (indicator code, name, unit, target,
// value, aggregation, the number of submissions and their ids, key) and a sheet of the
// submission status of each org unit (code, name, status, submitted at, approved at,
// submission id, resubmissions, return reason). Times show in Asia/Ho_Chi_Minh,
// dd/mm/yyyy hh:mm.
func WriteConsolidated(w io.Writer, l locale.Lang, period tinhso.Period, figures []tinhso.Figure, units []UnitStatus) error {
	p := locale.For(l)
	x := excelize.NewFile()
	defer x.Close()
	sheetFigures, sheetStatus := p.T("xlsx.sheet.figures"), p.T("xlsx.sheet.status")
	if err := x.SetSheetName("Sheet1", sheetFigures); err != nil {
		return err
	}
	if _, err := x.NewSheet(sheetStatus); err != nil {
		return err
	}
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	border := []excelize.Border{{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1}}
	numFmt := "#,##0.##"
	number, err := x.NewStyle(&excelize.Style{Border: border, CustomNumFmt: &numFmt,
		Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	dateFmt := "dd/mm/yyyy hh:mm"
	date, err := x.NewStyle(&excelize.Style{Border: border, CustomNumFmt: &dateFmt,
		Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	sw := &sheetWriter{x: x}
	head := func(s, title string, headers []string, widths []float64) {
		sw.str(s, 1, 1, title, st.title)
		about := []string{p.T("xlsx.report.period", period.Label)}
		if period.Start != "" && period.End != "" {
			about[0] = p.T("xlsx.report.period_dates", period.Label, tinhso.Date(period.Start), tinhso.Date(period.End))
		}
		if period.DataFrom != "" && period.DataTo != "" {
			about = append(about, p.T("xlsx.data_window", tinhso.Date(period.DataFrom), tinhso.Date(period.DataTo)))
		}
		if period.Due != "" {
			about = append(about, p.T("xlsx.report.due", tinhso.Date(period.Due)))
		}
		sw.str(s, 1, 2, strings.Join(about, " · "), st.plain)
		for i, k := range headers {
			sw.str(s, i+1, 3, p.T(k), st.header)
			col, _ := excelize.ColumnNumberToName(i + 1)
			sw.err = firstErr(sw.err, x.SetColWidth(s, col, col, widths[i]))
		}
		sw.err = firstErr(sw.err, x.SetRowHeight(s, 3, 32))
		sw.err = firstErr(sw.err, x.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}))
	}

	s := sheetFigures
	head(s, p.T("xlsx.report.title_figures", period.Label),
		[]string{"xlsx.col.indicator_code", "xlsx.col.indicator_name", "xlsx.col.unit", "xlsx.col.target", "xlsx.col.figure",
			"xlsx.col.aggregation", "xlsx.col.reports", "xlsx.col.report_ids", "xlsx.col.indicator_key"},
		[]float64{10, 60, 14, 26, 16, 20, 10, 24, 24})
	for i, fg := range figures {
		r := 4 + i
		sw.str(s, 1, r, fg.Code, st.locked)
		sw.str(s, 2, r, fg.Name, st.locked)
		sw.str(s, 3, r, fg.Unit, st.locked)
		sw.str(s, 4, r, fg.Target.Text, st.locked)
		sw.set(s, 5, r, fg.Value, number)
		agg := fg.Aggregation
		if agg == "" {
			agg = "mean"
		}
		if p.Has("xlsx.agg." + agg) {
			agg = p.T("xlsx.agg." + agg)
		}
		sw.str(s, 6, r, agg, st.locked)
		sw.set(s, 7, r, fg.Count, number)
		ids := make([]string, len(fg.Submissions))
		for j, id := range fg.Submissions {
			ids[j] = strconv.FormatInt(id, 10)
		}
		sw.str(s, 8, r, strings.Join(ids, ", "), st.locked)
		sw.str(s, 9, r, fg.Indicator, st.locked)
	}

	s = sheetStatus
	head(s, p.T("xlsx.report.title_status", period.Label),
		[]string{"xlsx.col.unit_code", "xlsx.col.unit_name", "xlsx.col.status", "xlsx.col.submitted_at", "xlsx.col.approved_at",
			"xlsx.col.report_id", "xlsx.col.resubmitted", "xlsx.col.return_reason"},
		[]float64{14, 50, 22, 18, 18, 12, 12, 40})
	for i, u := range units {
		r := 4 + i
		sw.str(s, 1, r, u.Code, st.locked)
		sw.str(s, 2, r, u.Name, st.locked)
		status := u.Status
		if status == "" {
			status = "none"
		}
		label := u.Status
		if p.Has("xlsx.status." + status) {
			label = p.T("xlsx.status." + status)
		}
		sw.str(s, 3, r, label, st.locked)
		for j, t := range []*time.Time{u.SubmittedAt, u.ApprovedAt} {
			if t != nil {
				sw.set(s, 4+j, r, wallClock(*t), date)
			} else {
				sw.set(s, 4+j, r, nil, date)
			}
		}
		if u.Submission != 0 {
			sw.set(s, 6, r, u.Submission, st.locked)
		} else {
			sw.set(s, 6, r, nil, st.locked)
		}
		sw.set(s, 7, r, u.Resubmitted, st.locked)
		sw.str(s, 8, r, u.ReturnReason, st.locked)
	}
	if sw.err != nil {
		return sw.err
	}
	x.SetActiveSheet(0)
	return x.Write(w)
}

// wallClock returns t as the wall clock in Vietnam, in UTC, which is how excelize
// turns a time into a spreadsheet date.
func wallClock(t time.Time) time.Time {
	v := t.In(vnZone)
	return time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), 0, time.UTC)
}
