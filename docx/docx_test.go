package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso/docx"
)

// node is a generic XML element, enough to walk the parts of a .docx.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n node) attr(local string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// all returns the elements named local under n, n included, in document order.
func (n node) all(local string) []node {
	var out []node
	if n.XMLName.Local == local {
		out = append(out, n)
	}
	for _, c := range n.Nodes {
		out = append(out, c.all(local)...)
	}
	return out
}

// text returns the text of a paragraph as a reader sees it: w:t, with w:br as "\n"
// and w:tab as "\t".
func (n node) text() string {
	var b strings.Builder
	var walk func(node)
	walk = func(n node) {
		switch n.XMLName.Local {
		case "t", "instrText":
			if n.XMLName.Local == "t" {
				b.WriteString(n.Text)
			}
			return
		case "br":
			b.WriteString("\n")
		case "tab":
			b.WriteString("\t")
		}
		for _, c := range n.Nodes {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// pkg is an opened .docx: its parts by name.
type pkg map[string][]byte

func mustOpen(tb testing.TB, b []byte) pkg {
	tb.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatalf("not a zip archive: %v", err)
	}
	p := pkg{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		p[f.Name] = data
	}
	return p
}

// parse checks that a part is well-formed XML (encoding/xml refuses characters XML
// 1.0 forbids and unbalanced or unescaped markup) and returns its root.
func (p pkg) parse(tb testing.TB, name string) node {
	tb.Helper()
	data, ok := p[name]
	if !ok {
		tb.Fatalf("no part %s", name)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		} else if err != nil {
			tb.Fatalf("%s is not well-formed: %v", name, err)
		}
	}
	var n node
	if err := xml.Unmarshal(data, &n); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return n
}

// paragraphs returns the texts of the paragraphs of a part.
func (p pkg) paragraphs(tb testing.TB, name string) []string {
	var out []string
	for _, para := range p.parse(tb, name).all("p") {
		out = append(out, para.text())
	}
	return out
}

func mustBytes(tb testing.TB, r *docx.Report) []byte {
	tb.Helper()
	b, err := r.Bytes()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestPackage(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	r.Margins = docx.Margins{Top: 25, Bottom: 22, Left: 35, Right: 18}
	b := mustBytes(t, r)
	p := mustOpen(t, b)

	// The parts a word processor needs, each well-formed, each with its type.
	want := []string{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
		"word/_rels/document.xml.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
		"word/fontTable.xml", "word/header1.xml", "word/header2.xml"}
	var got []string
	for name := range p {
		got = append(got, name)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("parts\n got %q\nwant %q", got, want)
	}
	for name := range p {
		p.parse(t, name)
	}
	types := p.parse(t, "[Content_Types].xml")
	overrides := map[string]string{}
	for _, o := range types.all("Override") {
		overrides[o.attr("PartName")] = o.attr("ContentType")
	}
	for name := range p {
		if strings.HasSuffix(name, ".rels") || name == "[Content_Types].xml" {
			continue
		}
		if !strings.HasSuffix(overrides["/"+name], "+xml") {
			t.Errorf("part %s has no content type (overrides %v)", name, overrides)
		}
	}
	if ct := overrides["/word/document.xml"]; ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" {
		t.Errorf("document content type %q", ct)
	}
	// Every relationship points at a part that is there.
	for rels, base := range map[string]string{"_rels/.rels": "", "word/_rels/document.xml.rels": "word"} {
		for _, rel := range p.parse(t, rels).all("Relationship") {
			if target := path.Join(base, rel.attr("Target")); p[target] == nil {
				t.Errorf("%s: %s points at missing %s", rels, rel.attr("Id"), target)
			}
		}
	}
	if a, b := mustBytes(t, r), mustBytes(t, r); !bytes.Equal(a, b) {
		t.Error("the same report gives different bytes")
	}

	// A4 portrait, the margins as given (twips: mm × 1440 / 25.4), a first page of
	// its own, and the two headers.
	doc := p.parse(t, "word/document.xml")
	sect := doc.all("sectPr")
	if len(sect) != 1 {
		t.Fatalf("%d sectPr", len(sect))
	}
	s := sect[0]
	if sz := s.all("pgSz")[0]; sz.attr("w") != "11906" || sz.attr("h") != "16838" || sz.attr("orient") != "" {
		t.Errorf("page size %v", sz.Attrs)
	}
	m := s.all("pgMar")[0]
	for side, want := range map[string]string{"top": "1417", "bottom": "1247", "left": "1984", "right": "1020"} {
		if got := m.attr(side); got != want {
			t.Errorf("margin %s = %s twips, want %s", side, got, want)
		}
	}
	if len(s.all("titlePg")) != 1 {
		t.Error("no titlePg: page 1 would show its number")
	}
	rels := map[string]string{}
	for _, rel := range p.parse(t, "word/_rels/document.xml.rels").all("Relationship") {
		rels[rel.attr("Id")] = rel.attr("Target")
	}
	headers := map[string]string{}
	for _, h := range s.all("headerReference") {
		headers[h.attr("type")] = rels[h.attr("id")]
	}
	if len(headers) != 2 || headers["first"] == "" || headers["default"] == "" {
		t.Fatalf("header references %v", headers)
	}
	if got := p.parse(t, "word/"+headers["first"]).all("instrText"); len(got) != 0 {
		t.Errorf("the first page's header has a field: %v", got)
	}
	instr := p.parse(t, "word/"+headers["default"]).all("instrText")
	if len(instr) != 1 || strings.TrimSpace(instr[0].Text) != "PAGE" {
		t.Errorf("the header of the other pages has %v, want the PAGE field", instr)
	}

	// Times New Roman for every script, in the defaults and in every style; vi-VN.
	styles := p.parse(t, "word/styles.xml")
	fonts := styles.all("rFonts")
	if len(fonts) < 2 {
		t.Fatalf("%d rFonts", len(fonts))
	}
	for _, f := range fonts {
		for _, a := range []string{"ascii", "hAnsi", "cs", "eastAsia"} {
			if f.attr(a) != "Times New Roman" {
				t.Errorf("rFonts %s = %q", a, f.attr(a))
			}
		}
	}
	if len(styles.all("style")) != len(fonts)-1 {
		t.Errorf("%d styles, %d name a font besides the defaults", len(styles.all("style")), len(fonts)-1)
	}
	for _, l := range styles.all("lang") {
		if l.attr("val") != "vi-VN" {
			t.Errorf("lang %v", l.Attrs)
		}
	}
	for _, r := range doc.all("rFonts") {
		t.Errorf("a run overrides the font: %v", r.Attrs)
	}

	// The header row of the table repeats; no other row does.
	tbls := doc.all("tbl")
	var table node
	for _, tb := range tbls {
		if len(tb.all("tblHeader")) > 0 {
			table = tb
		}
	}
	rows := table.all("tr")
	if len(rows) != 42 || len(rows[0].all("tblHeader")) != 1 || len(table.all("tblHeader")) != 1 {
		t.Errorf("table: %d rows, %d marked as header", len(rows), len(table.all("tblHeader")))
	}
	width := 0
	for _, c := range table.all("gridCol") {
		w, _ := strconv.Atoi(c.attr("w"))
		width += w
	}
	if want := 11906 - 1984 - 1020; width != want {
		t.Errorf("table %d twips wide, want the text width %d", width, want)
	}

	core := p.parse(t, "docProps/core.xml")
	if got := core.all("title")[0].Text; got != "Sơ kết 6 tháng đầu năm 2026 thực hiện Kế hoạch chuyển đổi số tỉnh Thái Nguyên" {
		t.Errorf("core title %q", got)
	}
	if got := core.all("language")[0].Text; got != "vi-VN" {
		t.Errorf("core language %q", got)
	}
	if got := core.all("created")[0].Text; got != "2026-07-05T01:30:00Z" {
		t.Errorf("core created %q", got)
	}
}

// TestFirstPage checks the decree's elements of page 1, in order.
func TestFirstPage(t *testing.T) {
	t.Parallel()
	p := mustOpen(t, mustBytes(t, sampleReport()))
	var texts []string
	for _, s := range p.paragraphs(t, "word/document.xml") {
		if s != "" {
			texts = append(texts, s)
		}
	}
	want := []string{
		"UBND TỈNH THÁI NGUYÊN",
		"SỞ KHOA HỌC\nVÀ CÔNG NGHỆ", // balanced over two lines rather than "NGHỆ" alone
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"Số: 127/BC-SKHCN",
		"Thái Nguyên, ngày 05 tháng 7 năm 2026",
		"BÁO CÁO",
		"Sơ kết 6 tháng đầu năm 2026 thực hiện Kế hoạch chuyển đổi số\ntỉnh Thái Nguyên",
	}
	if !slices.Equal(texts[:len(want)], want) {
		t.Errorf("first page\n got %q\nwant %q", texts[:len(want)], want)
	}
	end := []string{"Nơi nhận:", "- UBND tỉnh (b/c);", "- Sở Nội vụ;", "- Các sở, ban, ngành;", "- UBND các xã, phường;", "- Lưu: VT, KHTC.",
		"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Hồng Nhung"}
	if got := texts[len(texts)-len(end):]; !slices.Equal(got, end) {
		t.Errorf("signature block\n got %q\nwant %q", got, end)
	}
}

func TestNumberAndDate(t *testing.T) {
	t.Parallel()
	vn := time.FixedZone("ICT", 7*3600)
	tests := []struct {
		number string
		date   time.Time
		want   []string
	}{
		{"127", time.Date(2026, 7, 5, 0, 0, 0, 0, vn), []string{"Số: 127/BC-SKHCN", "Thái Nguyên, ngày 05 tháng 7 năm 2026"}},
		{"5", time.Date(2026, 1, 3, 0, 0, 0, 0, vn), []string{"Số: 5/BC-SKHCN", "Thái Nguyên, ngày 03 tháng 01 năm 2026"}},
		{"5", time.Date(2026, 2, 28, 0, 0, 0, 0, vn), []string{"Số: 5/BC-SKHCN", "Thái Nguyên, ngày 28 tháng 02 năm 2026"}},
		{"5", time.Date(2026, 12, 10, 0, 0, 0, 0, vn), []string{"Số: 5/BC-SKHCN", "Thái Nguyên, ngày 10 tháng 12 năm 2026"}},
		// A draft: blanks for the clerk and the signer.
		{"", time.Time{}, []string{"Số:       /BC-SKHCN", "Thái Nguyên, ngày      tháng      năm      "}},
	}
	for _, tt := range tests {
		r := &docx.Report{IssuingBody: "Sở Khoa học và Công nghệ", Symbol: "BC-SKHCN", Number: tt.number, Place: "Thái Nguyên", Date: tt.date, Title: "T"}
		got := mustOpen(t, mustBytes(t, r)).paragraphs(t, "word/document.xml")
		if !slices.Contains(got, tt.want[0]) || !slices.Contains(got, tt.want[1]) {
			t.Errorf("%q %v: paragraphs %q, want %q", tt.number, tt.date, got, tt.want)
		}
	}
}

var numbered = regexp.MustCompile(`^[IVX]+\. H\d+$|^\d+\. H\d+$|^\pL\) H\d+$`)

func TestHeadingNumbers(t *testing.T) {
	t.Parallel()
	var body []docx.Block
	levels := []int{1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 1, 3, 2, 3}
	for i, l := range levels {
		body = append(body, docx.Heading{Level: l, Text: "H" + strconv.Itoa(i)})
	}
	got := mustOpen(t, mustBytes(t, &docx.Report{Body: body})).paragraphs(t, "word/document.xml")
	want := []string{"I. H0", "1. H1", "2. H2", "a) H3", "b) H4", "c) H5", "d) H6", "đ) H7", "e) H8", "g) H9",
		"II. H10", "a) H11", "1. H12", "a) H13"}
	var heads []string
	for _, s := range got {
		if numbered.MatchString(s) {
			heads = append(heads, s)
		}
	}
	if !slices.Equal(heads, want) {
		t.Errorf("headings\n got %q\nwant %q", heads, want)
	}
}

// TestHostileText puts hostile text in every field: each part stays well-formed and
// the reader sees the text as text.
func TestHostileText(t *testing.T) {
	t.Parallel()
	h := hostile
	r := &docx.Report{
		GoverningBody: h, IssuingBody: h, Number: h, Symbol: h, Place: h, Kind: h, Title: h,
		Date: time.Date(2026, 7, 5, 0, 0, 0, 0, time.UTC),
		Body: []docx.Block{
			docx.Heading{Level: 1, Text: h},
			docx.Paragraph{Runs: []docx.Run{{Text: h, Bold: true}, {Text: h, Italic: true}}},
			docx.Item(h),
			docx.Table{Title: h, Columns: []docx.Column{{Header: h}, {Header: h}}, Rows: []docx.Row{{Cells: []string{h, h}}}},
		},
		Signature:  docx.Signature{Authority: h, Position: h, Name: h},
		Recipients: []string{h},
		Author:     h,
	}
	p := mustOpen(t, mustBytes(t, r))
	for name := range p {
		p.parse(t, name)
	}
	shown := hostileShown
	upper := strings.ToUpper(shown)
	// Upper-cased: the two bodies, the kind, the signature's two titles. As given:
	// the title, the table's title, two headers, two cells, the signer.
	want := map[string]int{
		upper:                                5,
		shown:                                7,
		"I. " + shown:                        1,
		shown + shown:                        1, // the two runs of the paragraph
		"- " + shown:                         2, // the bullet and the recipient
		"Số: " + shown + "/" + shown:         1,
		shown + ", ngày 05 tháng 7 năm 2026": 1,
	}
	count := map[string]int{}
	for _, s := range p.paragraphs(t, "word/document.xml") {
		// A long body name is broken over two lines.
		count[strings.ReplaceAll(s, "\n", " ")]++
	}
	for s, n := range want {
		if count[s] != n {
			t.Errorf("%d paragraphs read %q, want %d", count[s], s, n)
		}
	}
	core := p.parse(t, "docProps/core.xml")
	if got := core.all("creator")[0].Text; got != shown {
		t.Errorf("core creator %q, want %q", got, shown)
	}
	if !strings.Contains(string(p["word/document.xml"]), "&lt;script&gt;") {
		t.Error("markup not escaped")
	}
}

func TestInvalidReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		r    docx.Report
		want string
	}{
		{"left margin too small", docx.Report{Margins: docx.Margins{Left: 25}}, "left margin 25 mm"},
		{"top margin too large", docx.Report{Margins: docx.Margins{Top: 30}}, "top margin 30 mm"},
		{"right margin too large", docx.Report{Margins: docx.Margins{Right: 21}}, "right margin 21 mm"},
		{"bottom margin too small", docx.Report{Margins: docx.Margins{Bottom: 10}}, "bottom margin 10 mm"},
		{"font too small", docx.Report{FontSize: 12}, "font size 12"},
		{"heading level", docx.Report{Body: []docx.Block{docx.Text("a"), docx.Heading{Level: 4}}}, "block 1: heading level 4"},
		{"short row", docx.Report{Body: []docx.Block{docx.Table{Columns: []docx.Column{{Header: "a"}, {Header: "b"}}, Rows: []docx.Row{{Cells: []string{"x"}}}}}}, "row 0 has 1 cells, want 2"},
		{"no columns", docx.Report{Body: []docx.Block{docx.Table{}}}, "no columns"},
		{"nil block", docx.Report{Body: []docx.Block{nil}}, "block 0 is nil"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		err := tt.r.Write(&b)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: %d bytes written despite the error", tt.name, b.Len())
		}
	}
	// The decree's bounds themselves are accepted.
	ok := docx.Report{Margins: docx.Margins{Top: 20, Bottom: 25, Left: 35, Right: 15}, FontSize: 13}
	if _, err := ok.Bytes(); err != nil {
		t.Errorf("bounds refused: %v", err)
	}
}
