package xlsx_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/xlsx"
)

// A round's export has one sheet per level, in the reader's language, and a name that
// looks like a formula stays text.
func TestWriteRound(t *testing.T) {
	t.Parallel()
	lo, hi := 0.0, 100.0
	v := &tinhso.FrameworkVersion{Framework: "thu", Number: 2, Total: 100, Nodes: []tinhso.FrameworkNode{
		{Code: "1", Name: "Thể chế số", MaxPoints: 60},
		{Code: "1.1", Name: "Kế hoạch", MaxPoints: 60},
		{Code: "1.1.1", Name: "Ban hành kế hoạch", MaxPoints: 60, Rule: &tinhso.Rule{Kind: tinhso.RuleYesNo}},
		{Code: "2", Name: "=SUM(1,2)", MaxPoints: 40},
		{Code: "2.1", Name: "Tập huấn", MaxPoints: 40, Rule: &tinhso.Rule{Kind: tinhso.RuleLinear, Low: &lo, High: &hi}},
	}}
	f, err := engine.CompileFramework(v)
	if err != nil {
		t.Fatal(err)
	}
	yes, half := 1.0, 50.0
	scores := engine.ScoreRound(f, []engine.SubjectValues{
		{Subject: &tinhso.Subject{ID: 1, Kind: tinhso.SubjectDepartment, OrgUnit: "so-a", Name: `=HYPERLINK("http://example.com","Sở A")`},
			Values: map[string]tinhso.CriterionValue{"1.1.1": {Number: &yes, Source: tinhso.SourceSelf}, "2.1": {Number: &half, Source: tinhso.SourceSelf}}},
		{Subject: &tinhso.Subject{ID: 2, Kind: tinhso.SubjectDepartment, OrgUnit: "so-b", Name: "Sở B"}, Values: map[string]tinhso.CriterionValue{}},
	}, true)
	round := &tinhso.Round{ID: 7, Name: "Đánh giá 2026", Year: 2026, Framework: "thu", VersionNumber: 2, Status: tinhso.RoundApproved}
	res := &tinhso.Ranking{Round: 7, Status: tinhso.RoundApproved, Scores: scores, Ties: engine.TiesNote}
	for _, c := range []struct {
		lang   locale.Lang
		sheets string
	}{{locale.VI, "Xếp hạng,Trụ cột,Chỉ số,Tiêu chí"}, {locale.EN, "Ranking,Pillars,Indexes,Criteria"}} {
		var b bytes.Buffer
		if err := xlsx.WriteRound(&b, c.lang, round, v, res); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		sheets := x.GetSheetList()
		if strings.Join(sheets, ",") != c.sheets {
			t.Errorf("%s sheets: %v", c.lang, sheets)
		}
		for _, s := range sheets {
			rows, _ := x.GetRows(s)
			for r, row := range rows {
				for col := range row {
					cell, _ := excelize.CoordinatesToCellName(col+1, r+1)
					if fm, _ := x.GetCellFormula(s, cell); fm != "" {
						t.Errorf("%s!%s is a formula: %s", s, cell, fm)
					}
				}
			}
		}
		rows, _ := x.GetRows(sheets[0])
		if rows[3][3] != `=HYPERLINK("http://example.com","Sở A")` || rows[3][0] != "1" || rows[3][4] != "80" || rows[4][7] != "2" {
			t.Errorf("%s overall rows: %q", c.lang, rows[3:])
		}
		crit, _ := x.GetRows(sheets[3])
		if len(crit) != 3+4 { // two subjects × two criteria
			t.Errorf("%s criteria rows: %d", c.lang, len(crit))
		}
	}
}
