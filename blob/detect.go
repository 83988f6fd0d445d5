package blob

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/tinhso/tinhso"
)

// Media types DetectType accepts.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
	TypeTIFF = "image/tiff"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeODT  = "application/vnd.oasis.opendocument.text"
	TypeODS  = "application/vnd.oasis.opendocument.spreadsheet"
	TypeODP  = "application/vnd.oasis.opendocument.presentation"
)

// maxUnzipped bounds what an office document may unpack to.
const maxUnzipped = 200 << 20

// refuse is the error for a file whose type is not allowed; the key (err.blob.kind.…)
// and its arguments name the type found.
func refuse(key string, args ...any) error {
	return tinhso.Invalid("file", "err.blob.upload.refused", tinhso.M(key, args...))
}

// DetectType judges a file's type from its bytes alone (never its name) and returns
// its media type when it is one evidence may have: PDF, PNG, JPEG, GIF, WebP, TIFF, and
// office documents without macros: OOXML (docx, xlsx, pptx) and ODF (odt, ods, odp).
// Anything else is an EINVALID error on field "file" naming what was found:
// executables, scripts, HTML, plain zip archives, OOXML with macros, legacy or
// encrypted OLE2 documents (.doc, .xls), unknown content.
func DetectType(r io.ReaderAt, size int64) (string, error) {
	if size <= 0 {
		return "", refuse("err.blob.kind.empty")
	}
	head := make([]byte, min(size, 512))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		return "", fmt.Errorf("blob: reading the file: %w", err)
	}
	has := func(prefix string) bool { return bytes.HasPrefix(head, []byte(prefix)) }
	switch {
	case has("%PDF-"):
		return TypePDF, nil
	case has("\x89PNG\r\n\x1a\n"):
		return TypePNG, nil
	case has("\xff\xd8\xff"):
		return TypeJPEG, nil
	case has("GIF87a"), has("GIF89a"):
		return TypeGIF, nil
	case has("RIFF") && len(head) >= 12 && string(head[8:12]) == "WEBP":
		return TypeWebP, nil
	case has("II*\x00"), has("MM\x00*"):
		return TypeTIFF, nil
	case has("PK\x03\x04"):
		return detectZip(r, size)
	case has("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
		return "", refuse("err.blob.kind.ole2")
	case has("MZ"):
		return "", refuse("err.blob.kind.exe_windows")
	case has("\x7fELF"):
		return "", refuse("err.blob.kind.exe_linux")
	case has("\xfe\xed\xfa\xce"), has("\xfe\xed\xfa\xcf"), has("\xce\xfa\xed\xfe"), has("\xcf\xfa\xed\xfe"), has("\xca\xfe\xba\xbe"):
		return "", refuse("err.blob.kind.exe_macos")
	case has("#!"):
		return "", refuse("err.blob.kind.script")
	case has("PK\x05\x06"), has("PK\x07\x08"):
		return "", refuse("err.blob.kind.zip_partial")
	case has("Rar!"), has("7z\xbc\xaf\x27\x1c"), has("\x1f\x8b"):
		return "", refuse("err.blob.kind.archive")
	}
	text := strings.ToLower(strings.TrimLeft(strings.TrimPrefix(string(head), "\ufeff"), " \t\r\n"))
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<svg", "<?xml"} {
		if strings.HasPrefix(text, tag) {
			return "", refuse("err.blob.kind.markup", tag)
		}
	}
	return "", refuse("err.blob.kind.unknown")
}

// Limits on the zip metadata DetectType reads.
const (
	maxZipEntries      = 10000
	maxContentTypesLen = 1 << 20
)

func detectZip(r io.ReaderAt, size int64) (string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "", refuse("err.blob.kind.zip_corrupt", err)
	}
	if len(zr.File) > maxZipEntries {
		return "", refuse("err.blob.kind.zip_entries", len(zr.File))
	}
	if len(zr.File) == 0 {
		return "", refuse("err.blob.kind.zip_empty")
	}
	byName := map[string]*zip.File{}
	var unzipped uint64
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		byName[name] = f
		// A zip bomb: a small file that unpacks to far more than a document holds.
		unzipped += f.UncompressedSize64
		if unzipped > maxUnzipped || f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > 200 && f.UncompressedSize64 > 10<<20 {
			return "", refuse("err.blob.kind.zip_bomb", f.Name, maxUnzipped>>20)
		}
		if strings.HasSuffix(name, "vbaproject.bin") || strings.HasSuffix(name, "vbadata.xml") {
			return "", refuse("err.blob.kind.office_macro", f.Name)
		}
		if f.Flags&0x1 != 0 {
			return "", refuse("err.blob.kind.zip_encrypted", f.Name)
		}
	}

	// ODF: the first entry is "mimetype", stored, naming the type.
	if first := zr.File[0]; first.Name == "mimetype" {
		mt, err := readEntry(first, 200)
		if err != nil {
			return "", refuse("err.blob.kind.odf_corrupt", err)
		}
		mt = strings.TrimSpace(mt)
		for name := range byName {
			if strings.HasPrefix(name, "basic/") || strings.HasPrefix(name, "scripts/") {
				return "", refuse("err.blob.kind.odf_macro", name)
			}
		}
		switch mt {
		case TypeODT, TypeODS, TypeODP:
			return mt, nil
		}
		return "", refuse("err.blob.kind.odf_kind", mt)
	}

	ct, ok := byName["[content_types].xml"]
	if !ok {
		return "", refuse("err.blob.kind.zip_plain")
	}
	raw, err := readEntry(ct, maxContentTypesLen)
	if err != nil {
		return "", refuse("err.blob.kind.office_corrupt", err)
	}
	var types struct {
		Defaults []struct {
			Extension   string `xml:"Extension,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Default"`
		Overrides []struct {
			PartName    string `xml:"PartName,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal([]byte(raw), &types); err != nil {
		return "", refuse("err.blob.kind.office_corrupt", err)
	}
	// <Default> lines name types parts with an extension would have; a file names
	// vbaProject there without holding one (excelize does): judge the parts present
	// (refused above) and the overrides.
	var all []string
	for _, o := range types.Overrides {
		all = append(all, o.ContentType)
	}
	for _, t := range all {
		lt := strings.ToLower(t)
		if strings.Contains(lt, "macroenabled") || strings.Contains(lt, "vbaproject") || strings.Contains(lt, "ms-office.activex") {
			return "", refuse("err.blob.kind.office_macro", t)
		}
	}
	mains := []struct{ part, contentType, mediaType string }{
		{"/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", TypeDOCX},
		{"/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", TypeXLSX},
		{"/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", TypePPTX},
	}
	for _, o := range types.Overrides {
		for _, m := range mains {
			if strings.EqualFold(o.PartName, m.part) && strings.EqualFold(o.ContentType, m.contentType) {
				if _, ok := byName[strings.ToLower(m.part[1:])]; !ok {
					return "", refuse("err.blob.kind.office_missing", m.part)
				}
				return m.mediaType, nil
			}
		}
	}
	return "", refuse("err.blob.kind.ooxml_other")
}

// readEntry reads a zip entry of at most max bytes.
func readEntry(f *zip.File, max int64) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return "", err
	}
	if int64(len(b)) > max {
		return "", fmt.Errorf("%s is over %d bytes", f.Name, max)
	}
	return string(b), nil
}
