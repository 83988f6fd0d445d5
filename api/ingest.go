package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// The settings of ingest. The points themselves come in through package ingest's
// endpoints (POST /api/v2/write, /write, /api/v1/write, /api/v1/ingest), which the
// server puts beside the API.

// ingestSettings are the settings of ingest.
type ingestSettings struct {
	// UnknownSeries is what ingest does with a point of a key the registry does not
	// hold: "create" registers the series (named by its key), "refuse" refuses the
	// whole batch, naming the lines.
	UnknownSeries string `json:"unknown_series"`
}

// settingStore is the stored settings, where the store keeps them.
type settingStore interface {
	Setting(ctx context.Context, name string) (string, bool, error)
	SetSetting(ctx context.Context, name, value string) error
}

func (a *API) ingestRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/ingest/settings", Summary: "The settings of ingest: unknown_series (create or refuse)", Action: tinhso.ActManageSeries,
			Resp: ingestSettings{}, Handler: a.getIngestSettings},
		{Method: "PUT", Path: "/api/v1/ingest/settings", Summary: "Change the settings of ingest (in force within a second)", Action: tinhso.ActManageSeries,
			Body: ingestSettings{}, Resp: ingestSettings{}, Handler: a.putIngestSettings},
	}
}

func (a *API) settings() (settingStore, error) {
	if s, ok := a.store.(settingStore); ok {
		return s, nil
	}
	return nil, errors.New("api: the store keeps no settings")
}

// ingestSettingsOf reads the settings of ingest from the store.
func ingestSettingsOf(ctx context.Context, store any) (ingestSettings, error) {
	out := ingestSettings{UnknownSeries: tinhso.UnknownSeriesCreate}
	s, ok := store.(settingStore)
	if !ok {
		return out, nil
	}
	v, ok, err := s.Setting(ctx, tinhso.SettingUnknownSeries)
	if err == nil && ok && v == tinhso.UnknownSeriesRefuse {
		out.UnknownSeries = v
	}
	return out, err
}

func (a *API) getIngestSettings(w http.ResponseWriter, r *http.Request) {
	out, err := ingestSettingsOf(r.Context(), a.store)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) putIngestSettings(w http.ResponseWriter, r *http.Request) {
	s, err := a.settings()
	if failed(w, r, err) {
		return
	}
	var in ingestSettings
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	if in.UnknownSeries != tinhso.UnknownSeriesCreate && in.UnknownSeries != tinhso.UnknownSeriesRefuse {
		httpx.Error(w, r, tinhso.Invalid("unknown_series", "err.live_api.unknown_series", in.UnknownSeries))
		return
	}
	if err := s.SetSetting(r.Context(), tinhso.SettingUnknownSeries, in.UnknownSeries); failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, in)
}

// AddRoutes registers routes served by other packages (the ingest receivers) on the
// API's route table, so that the OpenAPI document describes them; routes without an
// Action do their own authentication.
func (a *API) AddRoutes(routes ...httpx.Route) { a.router.Handle(routes...) }
