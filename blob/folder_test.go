package blob

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
	"github.com/xuri/excelize/v2"
)

func tinyPDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" +
		"trailer<</Root 1 0 R>>\n%%EOF\n")
}

func tinyImage(t *testing.T, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type entry struct{ name, body string }

func zipOf(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		hdr := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.name == "mimetype" {
			hdr.Method = zip.Store
		}
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
%s</Types>`

func docx(t *testing.T, extra ...entry) []byte {
	ct := strings.Replace(contentTypes, "%s", `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>`, 1)
	entries := append([]entry{
		{"[Content_Types].xml", ct},
		{"_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Báo cáo quý I</w:t></w:r></w:p></w:body></w:document>`},
	}, extra...)
	return zipOf(t, entries...)
}

func xlsxFile(t *testing.T) []byte {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "Chỉ tiêu 8.1")
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDetectType(t *testing.T) {
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 56)...)
	mz := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 120)...)
	ods := zipOf(t, entry{"mimetype", TypeODS}, entry{"content.xml", "<office:document-content/>"}, entry{"META-INF/manifest.xml", "<manifest/>"})
	xlsm := strings.Replace(contentTypes, "%s", `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>`, 1)
	tests := []struct {
		name    string
		content []byte
		want    string // media type, or "" for a refusal
		errHas  string // the refusal's kind: err.blob.kind.<errHas>
	}{
		{"pdf", tinyPDF(), TypePDF, ""},
		{"png", tinyImage(t, png.Encode), TypePNG, ""},
		{"jpeg", tinyImage(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) }), TypeJPEG, ""},
		{"gif", tinyImage(t, func(w io.Writer, m image.Image) error { return gif.Encode(w, m, nil) }), TypeGIF, ""},
		{"webp", append([]byte("RIFF\x1a\x00\x00\x00WEBPVP8L"), make([]byte, 14)...), TypeWebP, ""},
		{"tiff", append([]byte("II*\x00\x08\x00\x00\x00"), make([]byte, 20)...), TypeTIFF, ""},
		{"docx", docx(t), TypeDOCX, ""},
		{"xlsx by excelize", xlsxFile(t), TypeXLSX, ""},
		{"ods", ods, TypeODS, ""},
		{"empty", nil, "", "empty"},
		{"elf", elf, "", "exe_linux"},
		{"mz named .pdf", mz, "", "exe_windows"},
		{"mach-o", append([]byte("\xcf\xfa\xed\xfe"), make([]byte, 28)...), "", "exe_macos"},
		{"script", []byte("#!/bin/sh\nrm -rf /\n"), "", "script"},
		{"html", []byte("\ufeff  <!DOCTYPE html><html><body>hi</body></html>"), "", "markup"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "", "markup"},
		{"plain text", []byte("chỉ là văn bản"), "", "unknown"},
		{"plain zip", zipOf(t, entry{"a.txt", "x"}), "", "zip_plain"},
		{"docx with vbaProject.bin", docx(t, entry{"word/vbaProject.bin", "\xd0\xcf\x11\xe0"}), "", "office_macro"},
		{"xlsm content type", zipOf(t, entry{"[Content_Types].xml", xlsm}, entry{"xl/workbook.xml", "<workbook/>"}), "", "office_macro"},
		{"ole2 legacy", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 504)...), "", "ole2"},
		{"ods with basic macro", zipOf(t, entry{"mimetype", TypeODS}, entry{"Basic/Standard/Module1.xml", "x"}), "", "odf_macro"},
		{"odf of another kind", zipOf(t, entry{"mimetype", "application/vnd.oasis.opendocument.database"}), "", "odf_kind"},
		{"ooxml main part missing", zipOf(t, entry{"[Content_Types].xml", strings.Replace(contentTypes, "%s", `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>`, 1)}), "", "office_missing"},
		{"corrupt zip", []byte("PK\x03\x04garbage"), "", "zip_corrupt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectType(bytes.NewReader(tt.content), int64(len(tt.content)))
			if tt.want != "" {
				if err != nil || got != tt.want {
					t.Fatalf("DetectType = %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if tinhso.ErrorCode(err) != tinhso.EINVALID {
				t.Fatalf("DetectType = %q, %v; want EINVALID", got, err)
			}
			e := err.(*tinhso.Error)
			if e.Field != "file" || e.Key != "err.blob.upload.refused" || len(e.Args) != 1 || e.Args[0].(tinhso.Message).Key != "err.blob.kind."+tt.errHas {
				t.Fatalf("error %+v; want field file, key err.blob.upload.refused and the kind err.blob.kind.%s", e, tt.errHas)
			}
			if vi := locale.For(locale.VI).Error(err); !strings.HasPrefix(vi, "Tệp không được nhận: ") || strings.Contains(vi, "??") {
				t.Fatalf("in Vietnamese: %q", vi)
			}
		})
	}
}

func TestPutOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store, err := NewFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	pdf := tinyPDF()
	sum := sha256.Sum256(pdf)
	want := hex.EncodeToString(sum[:])

	b, err := store.Put(ctx, bytes.NewReader(pdf), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if b.Hash != want || b.Size != int64(len(pdf)) || b.MediaType != TypePDF {
		t.Fatalf("Put = %+v; want hash %s, size %d, pdf", b, want, len(pdf))
	}
	if _, err := os.Stat(filepath.Join(dir, want[:2], want[2:])); err != nil {
		t.Fatalf("not stored at dir/ab/cdef…: %v", err)
	}
	// The same content again: stored once.
	b2, err := store.Put(ctx, bytes.NewReader(pdf), 1<<20)
	if err != nil || b2 != b {
		t.Fatalf("second Put = %+v, %v; want %+v", b2, err, b)
	}
	assertFiles(t, dir, 1)

	rc, err := store.Open(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, pdf) {
		t.Fatal("Open returned other content")
	}

	// Refusals keep nothing.
	mz := append([]byte("MZ"), make([]byte, 100)...)
	if _, err := store.Put(ctx, bytes.NewReader(mz), 1<<20); tinhso.ErrorCode(err) != tinhso.EINVALID {
		t.Fatalf("Put(MZ) = %v; want EINVALID", err)
	}
	if _, err := store.Put(ctx, bytes.NewReader(pdf), int64(len(pdf)-1)); tinhso.ErrorCode(err) != tinhso.ETOOLARGE {
		t.Fatalf("Put(over max) = %v; want ETOOLARGE", err)
	}
	if _, err := store.Put(ctx, bytes.NewReader(pdf), int64(len(pdf))); err != nil {
		t.Fatalf("Put(exactly max) = %v", err)
	}
	assertFiles(t, dir, 1)

	for _, h := range []string{"", "../../etc/passwd", "../" + want[3:], strings.ToUpper(want), want + "0", want[:63] + "g",
		"ab/../../../../etc/passwd" + strings.Repeat("0", 39)} {
		if _, err := store.Open(ctx, h); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("Open(%q) = %v; want EINVALID", h, err)
		}
	}
	if _, err := store.Open(ctx, strings.Repeat("0", 64)); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
		t.Errorf("Open(absent) = %v; want ENOTFOUND", err)
	}
}

// assertFiles checks that dir holds n stored blobs and no temporary file.
func assertFiles(t *testing.T, dir string, n int) {
	t.Helper()
	var blobs []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			blobs = append(blobs, p)
		}
		return nil
	})
	if len(blobs) != n {
		t.Fatalf("folder holds %v; want %d blob(s) and no temporary file", blobs, n)
	}
}

// countingReader yields n bytes of a PDF-looking stream and counts what was read.
type countingReader struct {
	n, read int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.read >= c.n {
		return 0, io.EOF
	}
	if int64(len(p)) > c.n-c.read {
		p = p[:c.n-c.read]
	}
	for i := range p {
		p[i] = 'x'
	}
	if c.read == 0 {
		copy(p, "%PDF-1.4\n")
	}
	c.read += int64(len(p))
	return len(p), nil
}

func TestPutHugeStreamStopsAtMax(t *testing.T) {
	dir := t.TempDir()
	store, err := NewFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	const max = 10 << 20
	r := &countingReader{n: 200 << 20}
	_, err = store.Put(context.Background(), r, max)
	if tinhso.ErrorCode(err) != tinhso.ETOOLARGE {
		t.Fatalf("Put(200 MB) = %v; want ETOOLARGE", err)
	}
	if r.read > max+64<<10 {
		t.Fatalf("read %d bytes of a 200 MB stream with max %d; want to stop shortly after max", r.read, max)
	}
	assertFiles(t, dir, 0)
}

func TestPutCanceled(t *testing.T) {
	dir := t.TempDir()
	store, _ := NewFolder(dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := store.Put(ctx, bytes.NewReader(tinyPDF()), 1<<20); err == nil {
		t.Fatal("Put with a canceled context succeeded")
	}
	assertFiles(t, dir, 0)
}

func TestPutConcurrentSameContent(t *testing.T) {
	dir := t.TempDir()
	store, _ := NewFolder(dir)
	img := tinyImage(t, png.Encode)
	hashes := make(chan string, 8)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			b, err := store.Put(context.Background(), bytes.NewReader(img), 1<<20)
			hashes <- b.Hash
			errs <- err
		}()
	}
	first := ""
	for range 8 {
		h, err := <-hashes, <-errs
		if err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = h
		} else if h != first {
			t.Fatalf("hashes differ: %s, %s", first, h)
		}
	}
	assertFiles(t, dir, 1)
}
