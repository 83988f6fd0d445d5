// Package ingestserver runs the ingest path alone — receivers, the in-process bus, the
// writer and the store — on a listener: what the crash test kills and the benchmark
// drives, wired as serve will wire it.
package ingestserver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/bus"
	"github.com/tinhso/tinhso/ingest"
	"github.com/tinhso/tinhso/sqldb"
)

// Options configure a server.
type Options struct {
	DB     sqldb.Config
	Token  string // an API token with the scope all, created when missing
	Limits bus.Limits
	Writer ingest.WriterConfig
	Config ingest.Config // Bus, Registry and Auth are filled in
	Logger *slog.Logger
}

// Server is a running ingest server.
type Server struct {
	DB     *sqldb.DB
	Bus    *bus.Memory
	Addr   string
	srv    *http.Server
	cancel context.CancelFunc
	done   chan error
}

// Start opens the store, makes sure the token exists and serves on ln.
func Start(ctx context.Context, ln net.Listener, o Options) (*Server, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	db, err := sqldb.Open(ctx, o.DB)
	if err != nil {
		return nil, err
	}
	if err := EnsureToken(ctx, db, o.Token); err != nil {
		db.Close()
		return nil, err
	}
	s := &Server{DB: db, Bus: bus.NewMemory(o.Limits), Addr: ln.Addr().String(), done: make(chan error, 1)}
	o.Writer.Logger = o.Logger
	w := ingest.NewWriter(db, s.Bus, o.Writer)
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	go func() { s.done <- w.Run(wctx) }()
	cfg := o.Config
	cfg.Bus, cfg.Registry, cfg.Auth, cfg.Logger = s.Bus, db, &ingest.UserTokens{Users: db, CacheFor: time.Second}, o.Logger
	mux := http.NewServeMux()
	ingest.New(cfg).Register(mux)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// EnsureToken creates the user "ingest" (admin) and its token with the scope all, unless
// they exist.
func EnsureToken(ctx context.Context, db *sqldb.DB, token string) error {
	u, _, err := db.FindUserByUsername(ctx, "ingest")
	if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
		u = &tinhso.User{Username: "ingest", Name: "Ingest", Role: tinhso.RoleAdmin}
		err = db.CreateUser(ctx, u, "")
	}
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(token))
	hash := hex.EncodeToString(sum[:])
	if _, _, err := db.FindAPITokenByHash(ctx, hash); err == nil {
		return nil
	}
	return db.CreateAPIToken(ctx, &tinhso.APIToken{UserID: u.ID, Name: "ingest", Scopes: []string{tinhso.ScopeAll}, Hash: hash})
}

// Close stops serving, lets the writer finish what the bus holds (the receivers wait
// for it) and closes the store.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	s.cancel()
	if e := <-s.done; e != nil && !errors.Is(e, context.Canceled) && err == nil {
		err = e
	}
	s.Bus.Close()
	if e := s.DB.Close(); err == nil {
		err = e
	}
	return err
}
