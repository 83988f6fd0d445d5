// Package blob keeps evidence files by content: a folder of files named by the SHA-256
// of their bytes, whose type is judged from the bytes alone (see DetectType).
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tinhso/tinhso"
)

// Folder is a tinhso.BlobStore that keeps each blob at dir/ab/cdef…, where abcdef… is
// the lowercase hex SHA-256 of its content. Files are written to a temporary file in
// dir first and renamed into place once checked, so a reader never sees half a file
// and a rejected upload leaves nothing behind.
type Folder struct {
	dir string
}

var _ tinhso.BlobStore = (*Folder)(nil)

// NewFolder returns a store keeping its files in dir, creating dir when needed.
func NewFolder(dir string) (*Folder, error) {
	if dir == "" {
		return nil, errors.New("blob: empty folder name")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &Folder{dir: abs}, nil
}

// Dir returns the folder the store keeps its files in.
func (f *Folder) Dir() string { return f.dir }

// Put streams r into a temporary file, reading at most max+1 bytes: a body over max is
// ETOOLARGE. The content's type is then checked (DetectType); a type not allowed is
// EINVALID. In both cases nothing is kept. Identical content is stored once.
func (f *Folder) Put(ctx context.Context, r io.Reader, max int64) (tinhso.Blob, error) {
	if max <= 0 {
		return tinhso.Blob{}, errors.New("blob: max must be positive")
	}
	if err := ctx.Err(); err != nil {
		return tinhso.Blob{}, err
	}
	tmp, err := os.CreateTemp(f.dir, ".put-*")
	if err != nil {
		return tinhso.Blob{}, fmt.Errorf("blob: %w", err)
	}
	kept := false
	defer func() {
		if !kept {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, max+1))
	if err != nil {
		return tinhso.Blob{}, fmt.Errorf("blob: reading the upload: %w", err)
	}
	if n > max {
		return tinhso.Blob{}, tinhso.Errorf(tinhso.ETOOLARGE, "err.blob.upload.too_large", humanSize(max), max)
	}
	mediaType, err := DetectType(tmp, n)
	if err != nil {
		return tinhso.Blob{}, err
	}
	if err := tmp.Sync(); err != nil {
		return tinhso.Blob{}, fmt.Errorf("blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return tinhso.Blob{}, fmt.Errorf("blob: %w", err)
	}
	b := tinhso.Blob{Hash: hex.EncodeToString(h.Sum(nil)), Size: n, MediaType: mediaType}
	dst := f.path(b.Hash)
	if _, err := os.Stat(dst); err == nil {
		return b, nil // already stored; the deferred cleanup drops the copy
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return tinhso.Blob{}, fmt.Errorf("blob: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return tinhso.Blob{}, fmt.Errorf("blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return tinhso.Blob{}, fmt.Errorf("blob: %w", err)
	}
	kept = true
	return b, nil
}

// Open returns the content of a stored blob. A hash that is not 64 hex digits is
// EINVALID (it never becomes a path); a blob not stored is ENOTFOUND.
func (f *Folder) Open(ctx context.Context, hash string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !ValidHash(hash) {
		return nil, tinhso.Invalid("hash", "err.blob.hash")
	}
	file, err := os.Open(f.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.blob.not_found", hash)
	} else if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return file, nil
}

// ValidHash reports whether s is a blob hash: 64 lowercase hex digits.
func ValidHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (f *Folder) path(hash string) string {
	return filepath.Join(f.dir, hash[:2], hash[2:])
}

// ctxReader stops reading when its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return strings.TrimSpace(fmt.Sprintf("%d byte", n))
}
