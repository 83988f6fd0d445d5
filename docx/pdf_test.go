package docx_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/tinhso/tinhso/docx"
)

// Page geometry in PDF points (1/72 in) for the sample's default margins: A4, top and
// bottom 20 mm, left 30 mm, right 15 mm.
const (
	ptPerMM     = 72 / 25.4
	pageWidth   = 210 * ptPerMM
	pageHeight  = 297 * ptPerMM
	marginTop   = 20 * ptPerMM
	marginBot   = 20 * ptPerMM
	marginLeft  = 30 * ptPerMM
	marginRight = 15 * ptPerMM
)

func needLibreOffice(t *testing.T) {
	t.Helper()
	if !docx.PDFAvailable() {
		t.Skip("LibreOffice (soffice) is not installed: the PDF export cannot be checked")
	}
	for _, tool := range []string{"pdftotext", "pdfinfo", "pdffonts", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("LibreOffice is installed but poppler-utils' %s is not: %v", tool, err)
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// artifacts returns where to keep the files a person should look at: the directory
// named by TINHSO_TEST_ARTIFACTS, or the test's temporary directory.
func artifacts(t *testing.T) string {
	if dir := os.Getenv("TINHSO_TEST_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// word is a word of pdftotext -bbox: its text and box, in points from the top left.
type word struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

type bboxPage struct {
	Width  float64 `xml:"width,attr"`
	Height float64 `xml:"height,attr"`
	Words  []word  `xml:"word"`
}

func bbox(t *testing.T, pdf string) []bboxPage {
	var doc struct {
		Pages []bboxPage `xml:"body>doc>page"`
	}
	out := run(t, "pdftotext", "-bbox", pdf, "-")
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	return doc.Pages
}

// flat returns text with every run of white space made one space, so that phrases
// are found whatever line they were broken over.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestPDF converts the sample report and checks the PDF as a reader would see it.
func TestPDF(t *testing.T) {
	needLibreOffice(t)
	t.Parallel()
	b := mustBytes(t, sampleReport())
	dir := artifacts(t)
	pdf, err := docx.ToPDF(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "report.pdf")
	for file, data := range map[string][]byte{"report.docx": b, "report.pdf": pdf} {
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Pages: several, each A4 portrait.
	info := run(t, "pdfinfo", name)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo: no page count in\n%s", info)
	}
	pages, _ := strconv.Atoi(m[1])
	if pages < 3 {
		t.Fatalf("%d pages, want the sample to run over at least 3", pages)
	}
	sizes := regexp.MustCompile(`(?m)^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts \(A4\)$`).FindAllStringSubmatch(
		run(t, "pdfinfo", "-f", "1", "-l", strconv.Itoa(pages), name), -1)
	if len(sizes) != pages {
		t.Errorf("%d of %d pages are A4", len(sizes), pages)
	}
	for _, s := range sizes {
		w, _ := strconv.ParseFloat(s[1], 64)
		h, _ := strconv.ParseFloat(s[2], 64)
		if math.Abs(w-pageWidth) > 0.5 || math.Abs(h-pageHeight) > 0.5 {
			t.Errorf("page %s × %s pt, want A4 portrait %.2f × %.2f", s[1], s[2], pageWidth, pageHeight)
		}
	}

	// Fonts: all embedded; the text is set in Liberation Serif, the metric twin of
	// Times New Roman, in its four faces; no sans-serif face slipped in.
	fonts := run(t, "pdffonts", name)
	lines := strings.Split(strings.TrimSpace(fonts), "\n")
	faces := map[string]bool{}
	for _, line := range lines[2:] {
		f := strings.Fields(line)
		// name type [type…] encoding emb sub uni object ID
		if len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("a font is not embedded: %s", line)
		}
		if i := strings.IndexByte(f[0], '+'); i >= 0 {
			faces[f[0][i+1:]] = true
		}
		if strings.Contains(f[0], "Sans") {
			t.Errorf("a sans-serif font: %s", line)
		}
	}
	for _, face := range []string{"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"} {
		if !faces[face] {
			t.Errorf("no embedded %s in\n%s", face, fonts)
		}
	}

	// Text: Vietnamese exactly, precomposed (NFC), figures with their decimal commas,
	// hostile text as text.
	text := flat(run(t, "pdftotext", name, "-"))
	for _, want := range []string{
		"UBND TỈNH THÁI NGUYÊN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 127/BC-SKHCN",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Thái Nguyên, ngày 05 tháng 7 năm 2026", "BÁO CÁO",
		"Sơ kết 6 tháng đầu năm 2026 thực hiện Kế hoạch chuyển đổi số tỉnh Thái Nguyên",
		"Sở Khoa học và Công nghệ báo cáo kết quả 6 tháng đầu năm 2026",
		"I. KẾT QUẢ THỰC HIỆN", "1. Chính quyền số", "a) Dịch vụ công trực tuyến", "b) Dữ liệu số",
		"đạt 86,25%, vượt mục tiêu năm (85%); chỉ số hài lòng đạt 0,79 trên thang 1",
		"- 100% sở, ban, ngành và UBND cấp xã sử dụng văn bản điện tử có ký số;",
		"Chỉ số hài lòng bình quân điểm 0,75 0,79", "19,4%", "Phúc Xuân, Phúc Trìu",
		"II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
		"Nơi nhận:", "- Lưu: VT, KHTC.", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC", "Nguyễn Thị Hồng Nhung",
		hostileShown,
	} {
		if hasCombining(want) {
			t.Fatalf("the test's own text %q is not precomposed", want)
		}
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext does not find %q", want)
		}
	}
	if hasCombining(text) {
		t.Errorf("the PDF's text has combining marks (not NFC)")
	}
	if strings.Contains(text, "&lt;") {
		t.Error("the PDF shows escaped markup instead of the text")
	}

	// Geometry, from the words' boxes.
	bp := bbox(t, name)
	if len(bp) != pages {
		t.Fatalf("pdftotext -bbox: %d pages, pdfinfo %d", len(bp), pages)
	}
	textCentre := marginLeft + (pageWidth-marginLeft-marginRight)/2
	for i, p := range bp {
		n := i + 1
		var header, body []word
		for _, w := range p.Words {
			if w.YMax < marginTop {
				header = append(header, w)
			} else {
				body = append(body, w)
			}
		}
		// The page number: none on page 1; on the others the number, centred over
		// the text in the top margin.
		if n == 1 && len(header) != 0 {
			t.Errorf("page 1 has %v in its top margin", header)
		}
		if n > 1 {
			if len(header) != 1 || header[0].Text != strconv.Itoa(n) {
				t.Errorf("page %d: top margin holds %v, want the page number", n, header)
			} else if c := (header[0].XMin + header[0].XMax) / 2; math.Abs(c-textCentre) > 1.5 {
				t.Errorf("page %d: number centred at %.1f pt, want %.1f", n, c, textCentre)
			}
		}
		// The margins: nothing outside the text area; on page 1 (justified text)
		// the lines reach both sides and the first line sits on the top margin.
		minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, w := range body {
			minX, maxX = min(minX, w.XMin), max(maxX, w.XMax)
			minY, maxY = min(minY, w.YMin), max(maxY, w.YMax)
		}
		if minX < marginLeft-0.5 || maxX > pageWidth-marginRight+0.5 || minY < marginTop-0.5 || maxY > pageHeight-marginBot+0.5 {
			t.Errorf("page %d: text spans x %.1f–%.1f, y %.1f–%.1f pt, outside the text area x %.1f–%.1f, y %.1f–%.1f",
				n, minX, maxX, minY, maxY, marginLeft, pageWidth-marginRight, marginTop, pageHeight-marginBot)
		}
		if n == 1 && (minX > marginLeft+1 || maxX < pageWidth-marginRight-1.5 || minY > marginTop+2) {
			t.Errorf("page 1: text starts at x %.1f, y %.1f and ends at x %.1f pt; want the margins %.1f, %.1f, %.1f",
				minX, minY, maxX, marginLeft, marginTop, pageWidth-marginRight)
		}
	}

	// The table's header row repeats at the top of page 2.
	page2 := flat(run(t, "pdftotext", "-f", "2", "-l", "2", name, "-"))
	if !strings.HasPrefix(page2, "2 STT Chỉ tiêu Đơn vị tính Mục tiêu Kết quả") {
		t.Errorf("page 2 does not start with the table's header row: %.80q", page2)
	}
	// The signature block does not stand alone on the last page.
	last := flat(run(t, "pdftotext", "-f", strconv.Itoa(pages), "-l", strconv.Itoa(pages), name, "-"))
	before, _, found := strings.Cut(last, "Nơi nhận:")
	if !found || len(strings.Fields(before)) < 5 {
		t.Errorf("the last page starts with the signature block: %.80q", last)
	}

	// Page 1 as an image, for a person to look at (see the report).
	run(t, "pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", name, filepath.Join(dir, "page-1"))
	png, err := os.ReadFile(filepath.Join(dir, "page-1.png"))
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("pdftoppm made no PNG: %v", err)
	}
}

func hasCombining(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			return true
		}
	}
	return false
}

// TestPDFConcurrent runs conversions at once: each has its own profile, so none
// hands its work to another's LibreOffice or waits on its lock.
func TestPDFConcurrent(t *testing.T) {
	needLibreOffice(t)
	t.Parallel()
	const n = 3
	var wg sync.WaitGroup
	errs := make([]error, n)
	pdfs := make([][]byte, n)
	for i := range n {
		r := &docx.Report{IssuingBody: "Sở Khoa học và Công nghệ", Symbol: "BC-SKHCN", Title: "Báo cáo số " + strconv.Itoa(i),
			Body: []docx.Block{docx.Text("Nội dung của báo cáo số " + strconv.Itoa(i) + ".")}}
		b := mustBytes(t, r)
		wg.Go(func() { pdfs[i], errs[i] = docx.ToPDF(context.Background(), b) })
	}
	wg.Wait()
	dir := t.TempDir()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("conversion %d: %v", i, errs[i])
			continue
		}
		name := filepath.Join(dir, strconv.Itoa(i)+".pdf")
		os.WriteFile(name, pdfs[i], 0o644)
		if text := flat(run(t, "pdftotext", name, "-")); !strings.Contains(text, "Nội dung của báo cáo số "+strconv.Itoa(i)+".") {
			t.Errorf("conversion %d gave another report: %.200q", i, text)
		}
	}
}

// TestPDFCleanup checks that a conversion leaves nothing in the temporary directory,
// whether it succeeds or runs out of time, and that a conversion out of time leaves
// no LibreOffice running.
func TestPDFCleanup(t *testing.T) {
	needLibreOffice(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	b := mustBytes(t, &docx.Report{Title: "T", Body: []docx.Block{docx.Text("Nội dung.")}})
	if _, err := docx.ToPDF(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left behind after a conversion: %v", left)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := docx.ToPDF(ctx, b)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want one wrapping context.DeadlineExceeded", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left behind after a conversion out of time: %v", left)
	}
	// The killed processes take a moment to go; poll /proc (not a sleep for
	// ordering: the condition is checked until it holds or 10 s have passed).
	deadline := time.Now().Add(10 * time.Second)
	for {
		running := processesMentioning(tmp)
		if len(running) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("LibreOffice still running after its conversion timed out: %q", running)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// processesMentioning returns the command lines of processes that name s.
func processesMentioning(s string) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmdline, []byte(s)) {
			out = append(out, string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
		}
	}
	return out
}

// TestPDFNoLibreOffice: without LibreOffice the export says so.
func TestPDFNoLibreOffice(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if docx.PDFAvailable() {
		t.Fatal("PDFAvailable with an empty PATH")
	}
	b := mustBytes(t, &docx.Report{Title: "T"})
	_, err := docx.ToPDF(context.Background(), b)
	if !errors.Is(err, docx.ErrNoLibreOffice) {
		t.Fatalf("error %v, want ErrNoLibreOffice", err)
	}
	if want := "PDF export needs LibreOffice (libreoffice-writer) installed on the server"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

// TestPDFBadInput: what is not a .docx gets an error, never an empty PDF.
func TestPDFBadInput(t *testing.T) {
	needLibreOffice(t)
	t.Parallel()
	for name, in := range map[string][]byte{
		"empty":   nil,
		"text":    []byte("<w:document>"),
		"bad zip": []byte("PK\x03\x04 this is no archive"),
	} {
		pdf, err := docx.ToPDF(context.Background(), in)
		t.Logf("%s: %v", name, err)
		if err == nil || errors.Is(err, docx.ErrNoLibreOffice) || pdf != nil {
			t.Errorf("%s: %d bytes, error %v; want an error about the input", name, len(pdf), err)
		}
	}
}
