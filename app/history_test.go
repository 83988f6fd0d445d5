package app_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// historyXLSX writes a history table as .xlsx: the date column as real date cells,
// the values as numbers or text.
func historyXLSX(t *testing.T, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	style, err := x.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := x.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(time.Time); ok {
				_ = x.SetCellStyle("Sheet1", cell, cell, style)
			}
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The same columns in .xlsx: date cells read as their dates, numbers as numbers; a
// bad cell is named by row and column and nothing is stored.
func TestImportHistoryXLSX(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		db := sqldbtest.OpenSeeded(t, engine)
		a := app.New(db, app.Options{})
		ctx := context.Background()
		header := []any{"document", "code", "date", "value", "source"}
		good := historyXLSX(t, [][]any{header,
			{"25-kh-ubnd", "8.1", time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), 61.5, "Báo cáo 2023"},
			{"25/KH-UBND", "8.1", "2024-12-31", 70, "Báo cáo 2024"}})
		out, err := a.ImportHistory(ctx, bytes.NewReader(good), app.HistoryXLSX, false)
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if out.Rows != 2 || len(out.Indicators) != 1 || out.Indicators[0] != "25-kh-ubnd/8.1" {
			t.Errorf("imported %+v", out)
		}
		figs, err := db.IndicatorFigures(ctx, tinhso.FigureFilter{Indicators: []string{"25-kh-ubnd/8.1"}, Sources: []string{tinhso.FigureHistory}})
		if err != nil {
			t.Fatal(err)
		}
		if len(figs) != 2 || figs[0].Date != "2023-12-31" || *figs[0].Value != 61.5 || figs[1].Citation != "Báo cáo 2024" {
			t.Errorf("stored %+v", figs)
		}
		bad := historyXLSX(t, [][]any{header,
			{"25-kh-ubnd", "8.2", "2023-12-31", 50, "x"},
			{"25-kh-ubnd", "8.2", "2024-12-31", "khá", "x"}})
		_, err = a.ImportHistory(ctx, bytes.NewReader(bad), app.HistoryXLSX, false)
		if tinhso.ErrorCode(err) != tinhso.EINVALID || !strings.Contains(strings.Join(locale.For(locale.EN).Items(err), "\n"), "Row 3, column value") {
			t.Fatalf("bad file: %v", err)
		}
		if figs, _ := db.IndicatorFigures(ctx, tinhso.FigureFilter{Indicators: []string{"25-kh-ubnd/8.2"}}); len(figs) != 0 {
			t.Errorf("a refused file stored %+v", figs)
		}
	})
}
