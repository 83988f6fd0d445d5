package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tinhso/tinhso"
)

// ReadRows reads the first sheet of an .xlsx file as rows of cell texts, for imports of
// plain tables (histories): numbers as written in the cell's raw value (a decimal
// point), and cells formatted as dates as yyyy-mm-dd. The same checks as Read refuse
// what is no .xlsx file (legacy .xls, macros, zip bombs).
func ReadRows(r io.Reader) ([][]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("xlsx: reading the upload: %w", err)
	}
	if len(data) > MaxSize {
		e := tinhso.Errorf(tinhso.ETOOLARGE, "err.xlsx.too_large", MaxSize>>20)
		e.Field = "file"
		return nil, e
	}
	if m := checkPackage(data); !m.IsZero() {
		return nil, tinhso.Invalid("file", m.Key, m.Args...)
	}
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue: true, UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		return nil, tinhso.Invalid("file", "err.xlsx.open", err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return nil, tinhso.Invalid("file", "err.xlsx.incomplete")
	}
	rows, err := x.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, tinhso.Invalid("file", "err.xlsx.open", err)
	}
	// A date cell's raw value is a serial day number: show it as the date it is.
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if !isDateCell(x, sheets[0], cell) {
				continue
			}
			if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f < 2958466 {
				d := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(math.Floor(f)))
				rows[i][j] = d.Format(time.DateOnly)
			}
		}
	}
	return rows, nil
}

// isDateCell says whether a cell is formatted as a date.
func isDateCell(x *excelize.File, sheet, cell string) bool {
	id, err := x.GetCellStyle(sheet, cell)
	if err != nil || id == 0 {
		return false
	}
	st, err := x.GetStyle(id)
	if err != nil || st == nil {
		return false
	}
	switch st.NumFmt {
	case 14, 15, 16, 17, 22:
		return true
	}
	if st.CustomNumFmt != nil {
		f := *st.CustomNumFmt
		return bytes.ContainsAny([]byte(f), "dy") && !bytes.Contains([]byte(f), []byte("0.0"))
	}
	return false
}
