package docx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Units of WordprocessingML: lengths in twentieths of a point (twips), font sizes in
// half-points.
const (
	twipsPerMM = 1440 / 25.4
	pageW      = 11906 // A4, 210 mm
	pageH      = 16838 // A4, 297 mm
)

func mm(v float64) int { return int(math.Round(v * twipsPerMM)) }

// Fixed sizes of the decree's elements, in points. The body size is Report.FontSize.
const (
	sizeQuocHieu   = 12 // 12–13; 12 keeps the line on one line in its column
	sizeTieuNgu    = 13 // 13–14
	sizeBody       = 13 // the names of the bodies and the number: 12–13
	sizeTable      = 12 // tables: not fixed by the decree; 12 fits more columns
	sizeNoiNhan    = 12 // "Nơi nhận:" 12, bold italic
	sizeRecipients = 11 // the recipients: 11, upright
	sizePageNumber = 13 // 13–14
)

// headerLeft is the share of the text width given to the issuer's column of the
// first page's header; the rest holds "Quốc hiệu, Tiêu ngữ".
const headerLeft = 0.40

// Names fixed by the decree.
const (
	quocHieu    = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	tieuNgu     = "Độc lập - Tự do - Hạnh phúc"
	defaultKind = "BÁO CÁO"
	font        = "Times New Roman"
	lang        = "vi-VN"
)

// Bytes returns the report as a .docx file.
func (r *Report) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := r.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Write writes the report as a .docx file to w. It fails, writing nothing, when the
// report cannot be laid out (margins outside the decree, a heading level other than
// 1–3, a table row with the wrong number of cells).
func (r *Report) Write(w io.Writer) error {
	m, err := r.Margins.resolved()
	if err != nil {
		return err
	}
	size := r.FontSize
	if size == 0 {
		size = 14
	} else if size < 13 || size > 14 {
		return fmt.Errorf("docx: body font size %g pt is outside 13–14 pt (Nghị định 30/2020)", size)
	}
	l := layout{m: m, size: size, width: pageW - mm(m.Left) - mm(m.Right)}
	doc, err := l.document(r)
	if err != nil {
		return err
	}
	modified := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	if !r.Created.IsZero() {
		modified = r.Created
	}
	parts := []struct{ name, body string }{
		// [Content_Types].xml first, as readers that stream the archive expect.
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"docProps/core.xml", coreProps(r)},
		{"docProps/app.xml", appProps},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/document.xml", doc},
		{"word/styles.xml", l.styles()},
		{"word/settings.xml", settings},
		{"word/fontTable.xml", fontTable},
		{"word/header1.xml", l.pageNumberHeader()},
		{"word/header2.xml", emptyHeader},
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, p := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// layout holds what every part needs to know about the page.
type layout struct {
	m     Margins
	size  float64 // body font size, pt
	width int     // text width, twips
}

// xb builds XML text. Element order inside pPr, rPr, tblPr, tcPr and sectPr follows
// the schema's sequences: Word refuses a file whose order differs.
type xb struct{ strings.Builder }

func (b *xb) s(parts ...string) {
	for _, p := range parts {
		b.WriteString(p)
	}
}

// rpr is the run formatting the writer uses.
type rpr struct {
	bold, italic bool
	size         float64 // pt; 0 inherits the paragraph style's
}

func (p rpr) xml() string {
	var b strings.Builder
	if p.bold {
		b.WriteString(`<w:b/><w:bCs/>`)
	}
	if p.italic {
		b.WriteString(`<w:i/><w:iCs/>`)
	}
	if p.size > 0 {
		hp := strconv.Itoa(int(math.Round(p.size * 2)))
		b.WriteString(`<w:sz w:val="` + hp + `"/><w:szCs w:val="` + hp + `"/>`)
	}
	if b.Len() == 0 {
		return ""
	}
	return "<w:rPr>" + b.String() + "</w:rPr>"
}

// run writes text as one or more runs' content: "\n" (and "\r\n", "\r") become line
// breaks, "\t" a tab, the rest escaped text with its spaces kept.
func (b *xb) run(text string, p rpr) {
	text = clean(text)
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	b.s("<w:r>", p.xml())
	start := 0
	flush := func(end int) {
		if end > start {
			b.s(`<w:t xml:space="preserve">`, escaper.Replace(text[start:end]), `</w:t>`)
		}
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			flush(i)
			b.s(`<w:br/>`)
			start = i + 1
		case '\t':
			flush(i)
			b.s(`<w:tab/>`)
			start = i + 1
		}
	}
	flush(len(text))
	b.s("</w:r>")
}

// ppr is the paragraph formatting the writer uses beyond the style's.
type ppr struct {
	style       string
	keepNext    bool
	rule        bool // a bottom border: the decree's short rules
	before      int  // spacing, twips; -1 inherits
	after       int
	exactLine   int // exact line height, twips; 0 inherits
	left, right int // indents, twips
	noFirstLine bool
	jc          string
}

func (p ppr) xml() string {
	var b strings.Builder
	b.WriteString("<w:pPr>")
	if p.style != "" {
		b.WriteString(`<w:pStyle w:val="` + p.style + `"/>`)
	}
	if p.keepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	if p.rule {
		b.WriteString(`<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	if p.before >= 0 || p.after >= 0 || p.exactLine > 0 {
		b.WriteString("<w:spacing")
		if p.before >= 0 {
			b.WriteString(` w:before="` + strconv.Itoa(p.before) + `"`)
		}
		if p.after >= 0 {
			b.WriteString(` w:after="` + strconv.Itoa(p.after) + `"`)
		}
		if p.exactLine > 0 {
			b.WriteString(` w:line="` + strconv.Itoa(p.exactLine) + `" w:lineRule="exact"`)
		}
		b.WriteString("/>")
	}
	if p.left != 0 || p.right != 0 || p.noFirstLine {
		b.WriteString(`<w:ind w:left="` + strconv.Itoa(p.left) + `" w:right="` + strconv.Itoa(p.right) + `"`)
		if p.noFirstLine {
			b.WriteString(` w:firstLine="0"`)
		}
		b.WriteString("/>")
	}
	if p.jc != "" {
		b.WriteString(`<w:jc w:val="` + p.jc + `"/>`)
	}
	b.WriteString("</w:pPr>")
	return b.String()
}

func pp(style string) ppr { return ppr{style: style, before: -1, after: -1} }

// para writes a paragraph of one run.
func (b *xb) para(p ppr, text string, r rpr) {
	b.s("<w:p>", p.xml())
	if text != "" {
		b.run(text, r)
	}
	b.s("</w:p>")
}

// rulePara writes the decree's short horizontal rule, width twips long, centred in a
// space avail twips wide: an empty paragraph of one point whose bottom border is the
// rule, so that no estimate of the text's width can make the text above wrap.
func (b *xb) rulePara(width, avail int) {
	if width > avail {
		width = avail
	}
	side := (avail - width) / 2
	// 2 pt before keeps the rule off the marks below the letters (Ệ, Ọ).
	b.para(ppr{style: "tsRule", rule: true, before: 40, after: 0, exactLine: 20, left: side, right: side, noFirstLine: true}, "", rpr{})
}

// textWidth estimates the width of a line of text in twips: upper-case letters of
// Times New Roman average about 0.70 em, lower-case about 0.48 em, spaces 0.25 em, bold
// a little more. It sizes the rules, which the decree gives as a share of the line
// (1/3 to 1/2), and decides where to break a long name; both tolerate its error
// (about 6% over on "SỞ KHOA HỌC VÀ CÔNG NGHỆ" as LibreOffice sets it).
func textWidth(s string, pt float64, bold bool) int {
	var em float64
	for _, r := range s {
		switch {
		case r == ' ':
			em += 0.25
		case strings.ContainsRune("0123456789", r):
			em += 0.5
		case strings.ToUpper(string(r)) == string(r) && strings.ToLower(string(r)) != string(r):
			em += 0.70
		default:
			em += 0.48
		}
	}
	if bold {
		em *= 1.05
	}
	return int(em * pt * 20)
}

// balance breaks a name too long for its column into two lines of about equal
// width, as clerks do ("SỞ KHOA HỌC" / "VÀ CÔNG NGHỆ") rather than leave one word on
// the second line. A name with its own line breaks is left as it is.
func balance(s string, pt float64, bold bool, avail int) string {
	if strings.ContainsAny(s, "\n\r") || textWidth(s, pt, bold) <= avail*95/100 {
		return s
	}
	words := strings.Fields(s)
	best, bestWidth := s, -1
	for i := 1; i < len(words); i++ {
		a, b := strings.Join(words[:i], " "), strings.Join(words[i:], " ")
		w := max(textWidth(a, pt, bold), textWidth(b, pt, bold))
		if bestWidth < 0 || w < bestWidth {
			best, bestWidth = a+"\n"+b, w
		}
	}
	return best
}

// longestLine returns the longest of the lines of s.
func longestLine(s string) string {
	longest := ""
	for _, line := range strings.Split(s, "\n") {
		if len([]rune(line)) > len([]rune(longest)) {
			longest = line
		}
	}
	return longest
}

// document returns word/document.xml.
func (l layout) document(r *Report) (string, error) {
	var b xb
	b.s(xmlHeader, `<w:document xmlns:w="`+nsW+`" xmlns:r="`+nsR+`"><w:body>`)
	l.firstPageHeader(&b, r)
	if err := l.body(&b, r.Body); err != nil {
		return "", err
	}
	l.signature(&b, r)
	b.s(`<w:sectPr>`,
		`<w:headerReference w:type="default" r:id="rIdHeaderDefault"/>`,
		`<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>`,
		`<w:pgSz w:w="`, strconv.Itoa(pageW), `" w:h="`, strconv.Itoa(pageH), `"/>`,
		fmt.Sprintf(`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`,
			mm(l.m.Top), mm(l.m.Right), mm(l.m.Bottom), mm(l.m.Left), mm(l.m.Top/2), mm(l.m.Bottom/2)),
		`<w:pgNumType w:start="1"/>`,
		// titlePg: the first page takes the empty "first" header, so the page
		// number shows from page 2 as the decree asks.
		`<w:titlePg/>`,
		`</w:sectPr></w:body></w:document>`)
	return b.String(), nil
}

// borderless opens a table without borders or cell margins, widths in twips.
func (b *xb) borderless(widths ...int) {
	total := 0
	for _, w := range widths {
		total += w
	}
	b.s(`<w:tbl><w:tblPr><w:tblW w:w="`, strconv.Itoa(total), `" w:type="dxa"/><w:jc w:val="center"/>`,
		`<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`,
		`<w:tblLayout w:type="fixed"/>`,
		`<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>`,
		`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>`,
		`</w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.s(`<w:gridCol w:w="`, strconv.Itoa(w), `"/>`)
	}
	b.s(`</w:tblGrid>`)
}

func (b *xb) cell(width int, content func()) {
	b.s(`<w:tc><w:tcPr><w:tcW w:w="`, strconv.Itoa(width), `" w:type="dxa"/></w:tcPr>`)
	content()
	b.s(`</w:tc>`)
}

// firstPageHeader writes the decree's header: a borderless table whose first row
// holds the bodies (left) and "Quốc hiệu, Tiêu ngữ" (right), and whose second row
// the number (left) and the place and date (right), so that those two stand on one
// line however many lines the names take; then the document type and the subject.
func (l layout) firstPageHeader(b *xb, r *Report) {
	left := int(float64(l.width) * headerLeft)
	right := l.width - left
	center := pp("tsHeaderCell")
	b.borderless(left, right)

	b.s(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	b.cell(left, func() {
		if r.GoverningBody != "" {
			b.para(center, balance(upper(r.GoverningBody), sizeBody, false, left), rpr{size: sizeBody})
		}
		issuer := balance(upper(r.IssuingBody), sizeBody, true, left)
		b.para(center, issuer, rpr{bold: true, size: sizeBody})
		if issuer != "" {
			b.rulePara(textWidth(longestLine(issuer), sizeBody, true)*2/5, left)
		}
	})
	b.cell(right, func() {
		b.para(center, quocHieu, rpr{bold: true, size: sizeQuocHieu})
		b.para(center, tieuNgu, rpr{bold: true, size: sizeTieuNgu})
		// The decree: the rule under Tiêu ngữ is as long as the line of text.
		b.rulePara(tieuNguWidth, right)
	})
	b.s(`</w:tr>`)

	b.s(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	row2 := center
	row2.before = 120
	b.cell(left, func() {
		number := r.Number
		if number == "" {
			number = "      " // a blank for the number given at registration
		}
		b.para(row2, "Số: "+number+"/"+r.Symbol, rpr{size: sizeBody})
	})
	b.cell(right, func() {
		b.para(row2, dateLine(r.Place, r.Date), rpr{italic: true, size: l.size})
	})
	b.s(`</w:tr></w:tbl>`)

	kind := upper(r.Kind)
	if kind == "" {
		kind = defaultKind
	}
	k := pp("tsKind")
	b.para(k, kind, rpr{})
	if r.Title != "" {
		b.para(pp("tsTitle"), r.Title, rpr{})
		b.rulePara(textWidth(longestLine(clean(r.Title)), l.size, true)*2/5, l.width)
	}
	b.para(ppr{style: "tsRule", before: 0, after: 240, exactLine: 20}, "", rpr{})
}

// tieuNguWidth is the width of "Độc lập - Tự do - Hạnh phúc" in 13 pt bold Times New
// Roman (and Liberation Serif, its metric twin), measured on the rendered PDF.
const tieuNguWidth = 3180

// dateLine returns "Thái Nguyên, ngày 05 tháng 7 năm 2026": the decree writes days
// below 10 and the months 1 and 2 with a leading zero. A zero date leaves blanks.
func dateLine(place string, d time.Time) string {
	prefix := ""
	if place != "" {
		prefix = place + ", "
	}
	if d.IsZero() {
		return prefix + "ngày      tháng      năm      "
	}
	month := strconv.Itoa(int(d.Month()))
	if d.Month() <= 2 {
		month = "0" + month
	}
	return fmt.Sprintf("%sngày %02d tháng %s năm %d", prefix, d.Day(), month, d.Year())
}

func upper(s string) string { return strings.ToUpper(clean(s)) }

// vietnameseLetters are the letters of the Vietnamese alphabet that number points
// (điểm) in administrative documents: a, b, c, d, đ, e, g, … (no f, j, w, z; no
// letters with diacritics but đ).
var vietnameseLetters = []string{"a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"}

func letter(n int) string {
	if n <= len(vietnameseLetters) {
		return vietnameseLetters[n-1]
	}
	return strconv.Itoa(n)
}

func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

func runs(b *xb, rs []Run) {
	for _, r := range rs {
		b.run(r.Text, rpr{bold: r.Bold, italic: r.Italic})
	}
}

var aligns = map[Align]string{AlignLeft: "left", AlignCenter: "center", AlignRight: "right", AlignJustify: "both"}

// body writes the blocks.
func (l layout) body(b *xb, blocks []Block) error {
	var n [3]int // heading counters
	for i, blk := range blocks {
		// The last block is kept with the signature block: a signature alone on
		// its page would sign nothing.
		last := i == len(blocks)-1
		switch v := blk.(type) {
		case Heading:
			if v.Level < 1 || v.Level > 3 {
				return fmt.Errorf("docx: block %d: heading level %d, want 1–3", i, v.Level)
			}
			n[v.Level-1]++
			for j := v.Level; j < len(n); j++ {
				n[j] = 0
			}
			var num string
			switch v.Level {
			case 1:
				num = roman(n[0]) + ". "
			case 2:
				num = strconv.Itoa(n[1]) + ". "
			case 3:
				num = letter(n[2]) + ") "
			}
			b.para(pp("Heading"+strconv.Itoa(v.Level)), num+v.Text, rpr{})
		case Paragraph:
			p := pp("tsBody")
			p.jc = aligns[v.Align]
			p.keepNext = last
			b.s("<w:p>", p.xml())
			runs(b, v.Runs)
			b.s("</w:p>")
		case Bullet:
			p := pp("tsBody")
			p.keepNext = last
			b.s("<w:p>", p.xml())
			b.run("- ", rpr{})
			runs(b, v.Runs)
			b.s("</w:p>")
		case Table:
			if err := l.table(b, v, last); err != nil {
				return fmt.Errorf("docx: block %d: %w", i, err)
			}
		case PageBreak:
			b.s(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		case nil:
			return fmt.Errorf("docx: block %d is nil", i)
		default:
			return fmt.Errorf("docx: block %d: unknown block %T", i, blk)
		}
	}
	return nil
}

// table writes a bordered table across the text width.
func (l layout) table(b *xb, t Table, keepNext bool) error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("table has no columns")
	}
	for i, row := range t.Rows {
		if len(row.Cells) != len(t.Columns) {
			return fmt.Errorf("table row %d has %d cells, want %d", i, len(row.Cells), len(t.Columns))
		}
	}
	var sum float64
	for _, c := range t.Columns {
		sum += weight(c)
	}
	widths := make([]int, len(t.Columns))
	used := 0
	for i, c := range t.Columns {
		widths[i] = int(float64(l.width) * weight(c) / sum)
		used += widths[i]
	}
	widths[len(widths)-1] += l.width - used

	if t.Title != "" {
		b.para(pp("tsCaption"), t.Title, rpr{})
	}
	border := `w:val="single" w:sz="4" w:space="0" w:color="000000"`
	b.s(`<w:tbl><w:tblPr><w:tblW w:w="`, strconv.Itoa(l.width), `" w:type="dxa"/><w:jc w:val="center"/>`,
		`<w:tblBorders><w:top `, border, `/><w:left `, border, `/><w:bottom `, border, `/><w:right `, border,
		`/><w:insideH `, border, `/><w:insideV `, border, `/></w:tblBorders>`,
		`<w:tblLayout w:type="fixed"/>`,
		`<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>`,
		`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>`,
		`</w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.s(`<w:gridCol w:w="`, strconv.Itoa(w), `"/>`)
	}
	b.s(`</w:tblGrid>`)

	// tblHeader repeats the row at the top of every page the table runs onto.
	b.s(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
	for i, c := range t.Columns {
		b.s(`<w:tc><w:tcPr><w:tcW w:w="`, strconv.Itoa(widths[i]), `" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`)
		b.para(pp("tsTableHeader"), c.Header, rpr{})
		b.s(`</w:tc>`)
	}
	b.s(`</w:tr>`)
	for _, row := range t.Rows {
		b.s(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for i, text := range row.Cells {
			p := pp("tsTable")
			p.jc = aligns[t.Columns[i].Align]
			b.s(`<w:tc><w:tcPr><w:tcW w:w="`, strconv.Itoa(widths[i]), `" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`)
			b.para(p, text, rpr{bold: row.Bold})
			b.s(`</w:tc>`)
		}
		b.s(`</w:tr>`)
	}
	b.s(`</w:tbl>`)
	// A table followed at once by text looks glued to it; 6 pt apart, as paragraphs.
	b.para(ppr{style: "tsRule", keepNext: keepNext, before: 0, after: 0, exactLine: 120}, "", rpr{})
	return nil
}

func weight(c Column) float64 {
	if c.Width <= 0 {
		return 1
	}
	return c.Width
}

// signature writes the closing block: "Nơi nhận" left, the signature right, in a
// borderless table of one row that is kept on one page.
func (l layout) signature(b *xb, r *Report) {
	s := r.Signature
	if len(r.Recipients) == 0 && s.Authority == "" && s.Position == "" && s.Name == "" {
		return
	}
	left := l.width * 45 / 100
	right := l.width - left
	b.borderless(left, right)
	b.s(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
	// first returns p with the space that parts the block from the body, for the
	// first paragraph of a cell.
	first := func(p ppr, isFirst bool) ppr {
		if isFirst {
			p.before = 240
		}
		return p
	}
	b.cell(left, func() {
		p := pp("tsRecipients")
		if len(r.Recipients) > 0 {
			b.para(first(p, true), "Nơi nhận:", rpr{bold: true, italic: true, size: sizeNoiNhan})
		}
		for _, rc := range r.Recipients {
			b.para(p, "- "+rc, rpr{size: sizeRecipients})
		}
		if len(r.Recipients) == 0 {
			b.para(p, "", rpr{})
		}
	})
	b.cell(right, func() {
		p := pp("tsSignature")
		firstLine := true
		for _, line := range []string{s.Authority, s.Position} {
			if line != "" {
				b.para(first(p, firstLine), upper(line), rpr{bold: true})
				firstLine = false
			}
		}
		name := p
		name.before = 1600 // room for the signature and the seal, about 2.8 cm
		b.para(name, s.Name, rpr{bold: true})
	})
	b.s(`</w:tr></w:tbl>`)
	// The body must end with a paragraph; one point high so it never makes a page.
	b.para(ppr{style: "tsRule", before: 0, after: 0, exactLine: 20}, "", rpr{})
}

// pageNumberHeader returns the header of pages 2 onwards: the page number, centred,
// upright, 13 pt (the decree puts it centred in the top margin).
func (l layout) pageNumberHeader() string {
	return xmlHeader + `<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>` +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r>` +
		`<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r>` +
		`<w:r><w:t>2</w:t></w:r>` +
		`<w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		`</w:p></w:hdr>`
}

// emptyHeader is the first page's header: the decree shows no number on page 1.
const emptyHeader = xmlHeader + `<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>`

func coreProps(r *Report) string {
	var b xb
	b.s(xmlHeader, `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	title := strings.TrimSpace(strings.Join(strings.Fields(clean(r.Title)), " "))
	if title != "" {
		b.s(`<dc:title>`, esc(title), `</dc:title>`)
	}
	if r.Author != "" {
		b.s(`<dc:creator>`, esc(r.Author), `</dc:creator>`)
	}
	b.s(`<dc:language>`, lang, `</dc:language>`)
	if !r.Created.IsZero() {
		t := r.Created.UTC().Format("2006-01-02T15:04:05Z")
		b.s(`<dcterms:created xsi:type="dcterms:W3CDTF">`, t, `</dcterms:created>`,
			`<dcterms:modified xsi:type="dcterms:W3CDTF">`, t, `</dcterms:modified>`)
	}
	b.s(`</cp:coreProperties>`)
	return b.String()
}

// styles returns word/styles.xml. Every style names the font again, so that no
// reader's built-in style (LibreOffice's headings are sans-serif) shows through.
func (l layout) styles() string {
	fonts := `<w:rFonts w:ascii="` + font + `" w:hAnsi="` + font + `" w:eastAsia="` + font + `" w:cs="` + font + `"/>`
	langs := `<w:lang w:val="` + lang + `" w:eastAsia="` + lang + `"/>`
	sz := func(pt float64) string {
		hp := strconv.Itoa(int(math.Round(pt * 2)))
		return `<w:sz w:val="` + hp + `"/><w:szCs w:val="` + hp + `"/>`
	}
	indent := strconv.Itoa(mm(10)) // the decree: first line indented 1–1.27 cm
	// style writes a paragraph style; pPr and rPr are the inner elements in schema
	// order, rPr without fonts, colour and size, which are added here.
	var b xb
	style := func(id, name, basedOn, pPr, rPrBefore string, size float64) {
		b.s(`<w:style w:type="paragraph" w:customStyle="`, map[bool]string{true: "1", false: "0"}[strings.HasPrefix(id, "ts")], `" w:styleId="`, id, `">`,
			`<w:name w:val="`, name, `"/>`)
		if basedOn != "" {
			b.s(`<w:basedOn w:val="`, basedOn, `"/>`)
		}
		b.s(`<w:qFormat/><w:pPr>`, pPr, `</w:pPr><w:rPr>`, fonts, rPrBefore, `<w:color w:val="000000"/>`, sz(size), langs, `</w:rPr></w:style>`)
	}
	b.s(xmlHeader, `<w:styles xmlns:w="`+nsW+`" xmlns:r="`+nsR+`">`,
		`<w:docDefaults><w:rPrDefault><w:rPr>`, fonts, sz(l.size), langs, `</w:rPr></w:rPrDefault>`,
		`<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>`)
	b.s(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>`,
		`<w:pPr><w:widowControl/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>`,
		`<w:rPr>`, fonts, `<w:color w:val="000000"/>`, sz(l.size), langs, `</w:rPr></w:style>`)
	body := `<w:spacing w:before="0" w:after="120" w:line="288" w:lineRule="auto"/><w:ind w:firstLine="` + indent + `"/><w:jc w:val="both"/>`
	style("tsBody", "Body Text (tinhso)", "Normal", body, "", l.size)
	heading := func(level int, rPr string) {
		n := strconv.Itoa(level)
		style("Heading"+n, "heading "+n, "Normal",
			`<w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="120" w:line="288" w:lineRule="auto"/><w:ind w:firstLine="`+indent+`"/><w:jc w:val="both"/><w:outlineLvl w:val="`+strconv.Itoa(level-1)+`"/>`,
			rPr, l.size)
	}
	heading(1, `<w:b/><w:bCs/>`)
	heading(2, `<w:b/><w:bCs/>`)
	heading(3, `<w:b/><w:bCs/><w:i/><w:iCs/>`)
	style("tsHeaderCell", "First-page header cell (tinhso)", "Normal", `<w:jc w:val="center"/>`, "", sizeBody)
	style("tsRule", "Rule (tinhso)", "Normal", `<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>`, "", 1)
	style("tsKind", "Document type (tinhso)", "Normal", `<w:keepNext/><w:spacing w:before="360" w:after="0"/><w:jc w:val="center"/>`, `<w:b/><w:bCs/>`, l.size)
	style("tsTitle", "Subject (tinhso)", "Normal", `<w:keepNext/><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>`, `<w:b/><w:bCs/>`, l.size)
	style("tsCaption", "Table title (tinhso)", "Normal", `<w:keepNext/><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/>`, `<w:b/><w:bCs/>`, l.size)
	style("tsTable", "Table text (tinhso)", "Normal", `<w:spacing w:before="40" w:after="40"/>`, "", sizeTable)
	style("tsTableHeader", "Table header (tinhso)", "Normal", `<w:keepNext/><w:spacing w:before="40" w:after="40"/><w:jc w:val="center"/>`, `<w:b/><w:bCs/>`, sizeTable)
	style("tsRecipients", "Recipients (tinhso)", "Normal", `<w:spacing w:before="0" w:after="0"/>`, "", sizeRecipients)
	style("tsSignature", "Signature (tinhso)", "Normal", `<w:keepNext/><w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>`, "", l.size)
	style("Header", "header", "Normal", `<w:jc w:val="center"/>`, "", sizePageNumber)
	b.s(`</w:styles>`)
	return b.String()
}

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel     = "http://schemas.openxmlformats.org/package/2006/relationships"
	ctPrefix  = "application/vnd.openxmlformats-officedocument.wordprocessingml."
)

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="` + ctPrefix + `document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="` + ctPrefix + `styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="` + ctPrefix + `settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="` + ctPrefix + `fontTable+xml"/>` +
	`<Override PartName="/word/header1.xml" ContentType="` + ctPrefix + `header+xml"/>` +
	`<Override PartName="/word/header2.xml" ContentType="` + ctPrefix + `header+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const packageRels = xmlHeader + `<Relationships xmlns="` + nsRel + `">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const documentRels = xmlHeader + `<Relationships xmlns="` + nsRel + `">` +
	`<Relationship Id="rIdStyles" Type="` + nsR + `/styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="` + nsR + `/settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFontTable" Type="` + nsR + `/fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="rIdHeaderDefault" Type="` + nsR + `/header" Target="header1.xml"/>` +
	`<Relationship Id="rIdHeaderFirst" Type="` + nsR + `/header" Target="header2.xml"/>` +
	`</Relationships>`

const appProps = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
	`<Application>tinhso</Application><DocSecurity>0</DocSecurity></Properties>`

// settings: element order follows CT_Settings. The decimal symbol and list
// separator are Vietnam's, for fields that format numbers.
const settings = xmlHeader + `<w:settings xmlns:w="` + nsW + `">` +
	`<w:zoom w:percent="100"/>` +
	`<w:defaultTabStop w:val="720"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="` + lang + `" w:eastAsia="` + lang + `"/>` +
	`<w:decimalSymbol w:val=","/>` +
	`<w:listSeparator w:val=";"/>` +
	`</w:settings>`

// fontTable describes Times New Roman so that a reader without it picks a serif
// with the same metrics.
const fontTable = xmlHeader + `<w:fonts xmlns:w="` + nsW + `">` +
	`<w:font w:name="` + font + `"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`
