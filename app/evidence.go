package app

import (
	"path"
	"strings"
	"unicode/utf8"

	"github.com/tinhso/tinhso"
)

// MaxEvidenceBytes bounds an evidence file.
const MaxEvidenceBytes = 50 << 20

// EvidenceName is the name an uploaded file is shown with: the name it came with, kept
// for display only (its last path element, cleaned), ending as its content (mediaType,
// judged from the bytes) is.
func EvidenceName(name, mediaType string) string {
	return nameForType(cleanFileName(name), mediaType)
}

// cleanFileName keeps a display name safe: the last path element, no control
// characters, at most 200 characters; "tệp" when nothing is left.
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	var b strings.Builder
	for _, r := range name {
		if r >= 0x20 && r != 0x7f && r != '"' && utf8.ValidRune(r) {
			b.WriteRune(r)
		}
	}
	name = strings.TrimSpace(b.String())
	if name == "" || name == "." || name == ".." || name == "/" {
		name = "tệp"
	}
	return tinhso.Clip(name, 200)
}

// extensions are the file-name endings each evidence type may carry.
var extensions = map[string][]string{
	"application/pdf": {".pdf"}, "image/png": {".png"}, "image/jpeg": {".jpg", ".jpeg"}, "image/gif": {".gif"},
	"image/webp": {".webp"}, "image/tiff": {".tif", ".tiff"},
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   {".docx"},
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         {".xlsx"},
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
	"application/vnd.oasis.opendocument.text":                                   {".odt"},
	"application/vnd.oasis.opendocument.spreadsheet":                            {".ods"},
	"application/vnd.oasis.opendocument.presentation":                           {".odp"},
}

// nameForType makes a file's name end as its content is: a PDF sent as "setup.exe" is
// kept as "setup.exe.pdf", so a download never carries a misleading extension.
func nameForType(name, mediaType string) string {
	exts, ok := extensions[mediaType]
	if !ok {
		return name
	}
	lower := strings.ToLower(name)
	for _, e := range exts {
		if strings.HasSuffix(lower, e) {
			return name
		}
	}
	return name + exts[0]
}
