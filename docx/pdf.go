package docx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// ErrNoLibreOffice is returned by ToPDF when LibreOffice is not installed; the API
// maps it to a clear message for the user (locale key docx.no_libreoffice) rather
// than an internal error.
var ErrNoLibreOffice = errors.New("PDF export needs LibreOffice (libreoffice-writer) installed on the server")

// ConvertTimeout bounds one conversion, whatever the caller's context allows: a
// LibreOffice that hangs must not hold a request and a process for ever. A first
// conversion with a fresh profile takes a few seconds; a long report a few more.
const ConvertTimeout = 2 * time.Minute

// sofficeNames are the names LibreOffice's launcher goes by in PATH.
var sofficeNames = []string{"soffice", "libreoffice"}

func soffice() (string, error) {
	for _, name := range sofficeNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoLibreOffice
}

// PDFAvailable reports whether ToPDF can run: whether LibreOffice is installed.
// Pages use it to offer the PDF export only where it works.
func PDFAvailable() bool {
	_, err := soffice()
	return err == nil
}

// ToPDF converts a .docx file to PDF with LibreOffice headless. Each call runs its
// own LibreOffice with a private, temporary profile, so that concurrent calls do not
// hand their work to one another's instance (LibreOffice forwards a conversion to a
// running instance that shares its profile) and nothing is left behind. It returns
// ErrNoLibreOffice when LibreOffice is not installed.
func ToPDF(ctx context.Context, docx []byte) ([]byte, error) {
	if !bytes.HasPrefix(docx, []byte("PK\x03\x04")) {
		return nil, errors.New("docx: ToPDF: the input is not a .docx file (not a zip archive)")
	}
	bin, err := soffice()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, ConvertTimeout)
	defer cancel()

	dir, err := os.MkdirTemp("", "tinhso-pdf-")
	if err != nil {
		return nil, fmt.Errorf("docx: ToPDF: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, docx, 0o600); err != nil {
		return nil, fmt.Errorf("docx: ToPDF: %w", err)
	}
	out := filepath.Join(dir, "out")
	profile := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, "profile"))}).String()

	cmd := exec.CommandContext(ctx, bin,
		"-env:UserInstallation="+profile,
		"--headless", "--invisible", "--nologo", "--nodefault", "--nolockcheck", "--norestore",
		"--convert-to", "pdf:writer_pdf_Export", "--outdir", out, in)
	// A service account may have no writable home, and LibreOffice writes there;
	// its temporary files, which a killed LibreOffice leaves, go in dir too.
	cmd.Env = append(os.Environ(), "HOME="+dir, "TMPDIR="+dir, "TMP="+dir, "TEMP="+dir)
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	killGroupOnCancel(cmd)
	cmd.WaitDelay = 5 * time.Second
	runErr := cmd.Run()
	if err := ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("docx: ToPDF: LibreOffice did not finish within the time allowed: %w", err)
		}
		return nil, fmt.Errorf("docx: ToPDF: %w", err)
	}
	if runErr != nil {
		return nil, fmt.Errorf("docx: ToPDF: LibreOffice failed: %w: %s", runErr, tail(output.Bytes()))
	}
	// LibreOffice exits 0 when it cannot load the file, so the output is the proof.
	pdf, err := os.ReadFile(filepath.Join(out, "report.pdf"))
	if err != nil {
		return nil, fmt.Errorf("docx: ToPDF: LibreOffice wrote no PDF: %s", tail(output.Bytes()))
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, errors.New("docx: ToPDF: LibreOffice wrote something that is not a PDF")
	}
	return pdf, nil
}

// tail returns the end of LibreOffice's output for an error message.
func tail(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 500 {
		b = b[len(b)-500:]
	}
	if len(b) == 0 {
		return "(no output)"
	}
	return string(b)
}
