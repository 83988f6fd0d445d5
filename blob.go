package tinhso

import (
	"context"
	"io"
)

// Blob is a stored file, named by the SHA-256 of its content.
type Blob struct {
	Hash      string `json:"hash"`
	Size      int64  `json:"size"`
	MediaType string `json:"media_type"`
}

// BlobStore keeps evidence files by content. The default keeps them in a folder under
// the data folder; another may keep them elsewhere.
type BlobStore interface {
	// Put reads at most max bytes, checks the content's type (PDF, images, office
	// documents; judged from the bytes, never the name) and stores it. A body over max
	// is ETOOLARGE, a type not allowed EINVALID; then nothing is stored.
	Put(ctx context.Context, r io.Reader, max int64) (Blob, error)
	// Open returns the content of a stored blob, ENOTFOUND when there is none.
	Open(ctx context.Context, hash string) (io.ReadCloser, error)
}
