// Package docx writes administrative reports as OOXML WordprocessingML (.docx) in the
// layout of Nghị định 30/2020/NĐ-CP (Phụ lục I), and converts them to PDF with
// LibreOffice headless.
//
// The package writes the OOXML parts by hand so that tinhso controls every element:
// the decree fixes the page, the margins, the header of the first page ("Quốc hiệu,
// Tiêu ngữ", issuing body, number, place and date), page numbers from page 2 and the
// signature block, and the reviews of the programme expect exactly that. Fonts are
// Times New Roman, as the decree requires and offices have; where it is absent
// (a Debian server) LibreOffice substitutes the metric-compatible Liberation Serif
// and embeds it in the PDF.
package docx

import (
	"fmt"
	"time"
)

// Report is an administrative report (báo cáo) in the layout of Nghị định 30/2020.
// Text fields take any text: the writer escapes it and drops what XML cannot carry.
// Upper-case elements (bodies, document type, signature titles) are upper-cased by
// the writer, so callers may pass names as they are stored. Text should be NFC, as
// tinhso keeps it: the writer, having only the standard library, does not normalise,
// and decomposed marks would reach the PDF's text as they are.
type Report struct {
	// GoverningBody is the body above the issuer (cơ quan chủ quản), e.g.
	// "UBND tỉnh Thái Nguyên"; empty when the issuer has none. Upper case, regular.
	GoverningBody string
	// IssuingBody is the issuer (cơ quan ban hành), e.g. "Sở Khoa học và Công nghệ".
	// Upper case, bold, with a short rule under it. "\n" breaks the line; a name
	// too long for its column without one is broken into two balanced lines.
	IssuingBody string
	// Number is the registered number; empty while the report is a draft, when a
	// blank is left for the clerk ("Số:      /BC-SKHCN").
	Number string
	// Symbol is the document symbol (ký hiệu) after the slash, e.g. "BC-SKHCN".
	Symbol string
	// Place is the place name of the date line (địa danh), e.g. "Thái Nguyên".
	Place string
	// Date is the date of the report, read in its own location (pass a date in
	// tinhso.Location); the zero time leaves day, month and year blank, to be filled
	// in at signing.
	Date time.Time
	// Kind is the document type (tên loại); empty means "BÁO CÁO".
	Kind string
	// Title is the subject (trích yếu), bold and centred under the type.
	Title string
	// Body is the content, in order.
	Body []Block
	// Signature is the signature block at the end, right.
	Signature Signature
	// Recipients lists the "Nơi nhận" lines, each without its leading dash, e.g.
	// "UBND tỉnh (b/c);" … "Lưu: VT, KHTC.". As the decree sets them: "Nơi nhận:"
	// 12 pt bold italic, the lines 11 pt upright.
	Recipients []string
	// Margins are the page margins; zero fields take the decree's lower bounds.
	Margins Margins
	// FontSize is the body size in points, 13 or 14; zero means 14.
	FontSize float64
	// Author is recorded in the document properties (docProps/core.xml).
	Author string
	// Created is recorded in the document properties and as the time of the archive's
	// entries; zero leaves the properties out and dates the entries 1980-01-01 so
	// that the same report gives the same bytes.
	Created time.Time
}

// Signature is the signature block: the authority line ("TM. ỦY BAN NHÂN DÂN",
// "KT. GIÁM ĐỐC"), the position ("PHÓ GIÁM ĐỐC") and the signer's name, with room for
// the signature and seal between them.
type Signature struct {
	Authority string // empty when the head signs in their own name
	Position  string
	Name      string
}

// Margins are page margins in millimetres. Nghị định 30/2020 allows top 20–25,
// bottom 20–25, left 30–35 and right 15–20; Write refuses others.
type Margins struct {
	Top, Bottom, Left, Right float64
}

// Align is the horizontal alignment of a paragraph or of a table column's cells.
type Align int

// Alignments. The zero value is the default of the element: justified for
// paragraphs, left for table cells.
const (
	AlignDefault Align = iota
	AlignLeft
	AlignCenter
	AlignRight
	AlignJustify
)

// Block is one element of a report's body: Heading, Paragraph, Bullet, Table or
// PageBreak.
type Block interface{ block() }

// Heading is a section heading, numbered by the writer: level 1 "I.", "II."; level 2
// "1.", "2." (restarting under each level 1); level 3 "a)", "b)" in the order of the
// Vietnamese alphabet (a, b, c, d, đ, e, g, …), restarting under each level 2.
type Heading struct {
	Level int // 1, 2 or 3
	Text  string
}

// Paragraph is a paragraph of body text: justified, first line indented.
type Paragraph struct {
	Runs  []Run
	Align Align
}

// Run is a span of text with one style. "\n" breaks the line, "\t" is a tab.
type Run struct {
	Text   string
	Bold   bool
	Italic bool
}

// Bullet is a body paragraph introduced by a dash ("- "), as administrative
// documents list items.
type Bullet struct {
	Runs []Run
}

// Table is a table with borders and one header row that repeats at the top of each
// page the table runs onto. Rows are kept whole on a page.
type Table struct {
	// Title, when set, is shown bold and centred above the table and kept with it.
	Title   string
	Columns []Column
	Rows    []Row
}

// Column is a table column: its header and its relative width (0 counts as 1).
type Column struct {
	Header string
	Width  float64
	Align  Align // of the column's body cells
}

// Row is one body row of a table; it must have one cell per column.
type Row struct {
	Cells []string
	Bold  bool // e.g. a total row
}

// PageBreak starts a new page.
type PageBreak struct{}

func (Heading) block()   {}
func (Paragraph) block() {}
func (Bullet) block()    {}
func (Table) block()     {}
func (PageBreak) block() {}

// Text returns a paragraph of plain text.
func Text(s string) Paragraph { return Paragraph{Runs: []Run{{Text: s}}} }

// Item returns a bullet of plain text.
func Item(s string) Bullet { return Bullet{Runs: []Run{{Text: s}}} }

// Decree bounds and defaults for the page (Nghị định 30/2020, Phụ lục I, mục II.2).
const (
	minTop, maxTop       = 20.0, 25.0
	minBottom, maxBottom = 20.0, 25.0
	minLeft, maxLeft     = 30.0, 35.0
	minRight, maxRight   = 15.0, 20.0
)

// resolved returns the margins with defaults applied, or an error naming the margin
// outside the decree's range.
func (m Margins) resolved() (Margins, error) {
	fields := []struct {
		name     string
		v        *float64
		min, max float64
	}{
		{"top", &m.Top, minTop, maxTop},
		{"bottom", &m.Bottom, minBottom, maxBottom},
		{"left", &m.Left, minLeft, maxLeft},
		{"right", &m.Right, minRight, maxRight},
	}
	for _, f := range fields {
		if *f.v == 0 {
			*f.v = f.min
		} else if *f.v < f.min || *f.v > f.max {
			return m, fmt.Errorf("docx: %s margin %g mm is outside %g–%g mm (Nghị định 30/2020)", f.name, *f.v, f.min, f.max)
		}
	}
	return m, nil
}
