package xlsx

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
)

// WriteRound writes an assessment round's results as an .xlsx workbook in a language,
// one sheet per level: the overall ranking (rank, tie, kind, subject, points, index,
// missing criteria, change against the previous round), the pillars, the indexes
// between pillars and criteria (when the tree has them), and the criteria (value,
// source, points, why missing). Every text goes in as text: a subject's or criterion's
// name that starts with = is never read as a formula.
func WriteRound(w io.Writer, l locale.Lang, r *tinhso.Round, v *tinhso.FrameworkVersion, res *tinhso.Ranking) error {
	p := locale.For(l)
	x := excelize.NewFile()
	defer x.Close()
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	numFmt := "#,##0.##"
	border := []excelize.Border{{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1}}
	number, err := x.NewStyle(&excelize.Style{Border: border, CustomNumFmt: &numFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	shareFmt := "0.000"
	share, err := x.NewStyle(&excelize.Style{Border: border, CustomNumFmt: &shareFmt, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	sw := &sheetWriter{x: x}
	names := map[string]string{}
	var indexes, criteria []string
	crit := map[string]bool{}
	for _, n := range v.Criteria() {
		crit[n.Code] = true
	}
	for _, n := range v.Nodes {
		names[n.Code] = n.Name
		switch {
		case crit[n.Code]:
			criteria = append(criteria, n.Code)
		case n.Depth() > 1:
			indexes = append(indexes, n.Code)
		}
	}
	sheet := func(first bool, name, title string, headers []string, widths []float64) string {
		if first {
			sw.err = firstErr(sw.err, x.SetSheetName("Sheet1", name))
		} else if _, err := x.NewSheet(name); err != nil {
			sw.err = firstErr(sw.err, err)
		}
		sw.str(name, 1, 1, title, st.title)
		sw.str(name, 1, 2, p.T("assessment.xlsx.about", r.Framework, r.VersionNumber, r.Year, p.T("assessment.status."+res.Status))+" · "+p.Message(res.Ties), st.plain)
		for i, h := range headers {
			sw.str(name, i+1, 3, h, st.header)
			col, _ := excelize.ColumnNumberToName(i + 1)
			sw.err = firstErr(sw.err, x.SetColWidth(name, col, col, widths[i]))
		}
		sw.err = firstErr(sw.err, x.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}))
		return name
	}
	kind := func(k string) string { return p.T("assessment.kind." + k) }

	s := sheet(true, p.T("assessment.xlsx.sheet_overall"), p.T("assessment.xlsx.title", r.Name),
		[]string{p.T("assessment.col.rank"), p.T("assessment.col.tied"), p.T("assessment.col.kind"), p.T("assessment.col.subject"),
			p.T("assessment.col.points"), p.T("assessment.col.max"), p.T("assessment.col.index"), p.T("assessment.col.missing"),
			p.T("assessment.col.previous"), p.T("assessment.col.change")},
		[]float64{8, 10, 16, 50, 12, 10, 10, 12, 12, 12})
	for i, sc := range res.Scores {
		row := 4 + i
		sw.set(s, 1, row, sc.Rank, number)
		tied := ""
		if sc.Tied {
			tied = p.T("xlsx.yes")
		}
		sw.str(s, 2, row, tied, st.locked)
		sw.str(s, 3, row, kind(sc.Kind), st.locked)
		sw.str(s, 4, row, sc.Name, st.locked)
		sw.set(s, 5, row, sc.Points, number)
		sw.set(s, 6, row, sc.Max, number)
		sw.set(s, 7, row, sc.Index, share)
		sw.set(s, 8, row, sc.Missing, number)
		if sc.Previous != nil {
			sw.set(s, 9, row, *sc.Previous, share)
			sw.set(s, 10, row, *sc.Change, share)
		} else {
			sw.set(s, 9, row, nil, share)
			sw.set(s, 10, row, nil, share)
		}
	}
	// Levels below: one row per subject and node of the level.
	level := func(name, title string, codes []string, withValue bool) {
		headers := []string{p.T("assessment.col.subject"), p.T("assessment.col.kind"), p.T("assessment.col.code"), p.T("assessment.col.node"),
			p.T("assessment.col.points"), p.T("assessment.col.max"), p.T("assessment.col.share"), p.T("assessment.col.missing")}
		widths := []float64{40, 14, 10, 50, 12, 10, 10, 12}
		if withValue {
			headers = append(headers, p.T("assessment.col.value"), p.T("assessment.col.source"), p.T("assessment.col.reason"))
			widths = append(widths, 12, 40, 50)
		}
		s := sheet(false, name, title, headers, widths)
		want := map[string]bool{}
		for _, c := range codes {
			want[c] = true
		}
		row := 4
		for _, sc := range res.Scores {
			for _, n := range sc.Nodes {
				if !want[n.Code] {
					continue
				}
				sw.str(s, 1, row, sc.Name, st.locked)
				sw.str(s, 2, row, kind(sc.Kind), st.locked)
				sw.str(s, 3, row, n.Code, st.locked)
				sw.str(s, 4, row, names[n.Code], st.locked)
				sw.set(s, 5, row, n.Points, number)
				sw.set(s, 6, row, n.Max, number)
				sw.set(s, 7, row, n.Share, share)
				sw.set(s, 8, row, n.Missing, number)
				if withValue {
					if n.Value != nil {
						sw.set(s, 9, row, *n.Value, number)
					} else {
						sw.set(s, 9, row, nil, number)
					}
					var src []string
					if n.Source != "" {
						src = append(src, p.T("assessment.source."+n.Source))
					}
					if n.From != nil {
						src = append(src, p.Message(*n.From))
					}
					sw.str(s, 10, row, strings.Join(src, " — "), st.locked)
					reason := ""
					if n.Reason != nil {
						reason = p.Message(*n.Reason)
					}
					sw.str(s, 11, row, reason, st.locked)
				}
				row++
			}
		}
	}
	var pillars []string
	for _, n := range v.Nodes {
		if n.Depth() == 1 {
			pillars = append(pillars, n.Code)
		}
	}
	level(p.T("assessment.xlsx.sheet_pillars"), p.T("assessment.xlsx.title_pillars", r.Name), pillars, false)
	if len(indexes) > 0 {
		level(p.T("assessment.xlsx.sheet_indexes"), p.T("assessment.xlsx.title_indexes", r.Name), indexes, false)
	}
	level(p.T("assessment.xlsx.sheet_criteria"), p.T("assessment.xlsx.title_criteria", r.Name), criteria, true)
	if sw.err != nil {
		return sw.err
	}
	x.SetActiveSheet(0)
	return x.Write(w)
}
