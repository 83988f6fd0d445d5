// Package server composes the web layer: the JSON API (api) and the pages (web) on one
// mux and one port, over the use-cases, behind the middleware every request goes
// through (httpx.Wrap). It is the only package besides the command that imports both.
package server

import (
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/api"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/web"
)

// Server is the API and the pages of one node.
type Server struct {
	// Config is the settings the API and the pages share: change it before serving.
	Config *httpx.Config
	API    *api.API
	Web    *web.Web
	// Blobs keeps the evidence files.
	Blobs tinhso.BlobStore
	mux   *http.ServeMux
	// store and auth serve live data (live.go).
	store tinhso.Store
	auth  *httpx.Auth
	app   *app.App
	// reads bounds the pages and JSON reads worked on at once (httpx.Reads).
	reads *httpx.Reads
}

// ReadSlots is how many pages and JSON reads a server works on at once, per core; the
// others wait (at most ReadWait, then 503).
const ReadSlots = 2

// ReadWait is how long a read waits for its turn: less than the server's write timeout.
const ReadWait = 45 * time.Second

// New makes the server over the use-cases. adminTokenHash is the hex SHA-256 of the
// bootstrap admin token ("": none); blobs keeps evidence files.
func New(a *app.App, adminTokenHash string, blobs tinhso.BlobStore, log *slog.Logger) (*Server, error) {
	cfg := httpx.NewConfig(log)
	auth := &httpx.Auth{Config: cfg, Users: a.Store(), App: a, AdminTokenHash: adminTokenHash}
	w, err := web.New(cfg, auth, a, blobs)
	if err != nil {
		return nil, err
	}
	s := &Server{Config: cfg, API: api.New(cfg, auth, a, blobs), Web: w, Blobs: blobs, mux: http.NewServeMux(), store: a.Store(), auth: auth, app: a,
		reads: httpx.NewReads(ReadSlots*runtime.GOMAXPROCS(0), ReadWait)}
	s.API.Register(s.mux)
	s.Web.Register(s.mux)
	return s, nil
}

// Handler is the server's handler, with logging and panic recovery around it.
// Reads are bounded (ReadSlots).
func (s *Server) Handler() http.Handler { return httpx.Wrap(s.reads.Wrap(s.mux), s.Config.Log) }
