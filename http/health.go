package http

import (
	"context"
	"net/http"
	"time"

	"github.com/tinhso/tinhso"
)

type health struct {
	Status   string `json:"status"`
	Database string `json:"database"`
}

func (s *Server) registerHealth() {
	s.handle(route{method: "GET", path: "/healthz", summary: "Liveness and database reachability", resp: health{}}, func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.store.Ping(ctx); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, health{Status: "unavailable", Database: "unreachable"})
			return
		}
		writeJSON(w, http.StatusOK, health{Status: "ok", Database: "ok"})
	})
}

var _ = tinhso.ENOTFOUND
