package api

import (
	"net/http"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// Suggested successions: the reorganisations the documents point at, with their
// evidence, for an admin to confirm with the decision that made them.

// dismissInput is the body of POST /api/v1/succession-suggestions/{id}/dismiss.
type dismissInput struct {
	Reason string `json:"reason"`
}

// confirmedSuccession answers a confirmation: the suggestion as stored now and the
// succession it recorded.
type confirmedSuccession struct {
	Suggestion *tinhso.SuccessionSuggestion `json:"suggestion"`
	Succession *tinhso.Succession           `json:"succession"`
}

func (a *API) suggestionRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/succession-suggestions", Summary: "Suggested successions (reorganisations the documents point at), with their evidence passages",
			List: true, Resp: tinhso.SuccessionSuggestion{}, Query: []httpx.Param{{Name: "state", Type: "string", Desc: strings.Join(tinhso.SuggestionStates, ", ") + " (default: all)"}},
			Handler: a.listSuggestions},
		{Method: "GET", Path: "/api/v1/succession-suggestions/{id}", Summary: "A suggested succession, by id or key", Resp: tinhso.SuccessionSuggestion{}, Handler: a.getSuggestion},
		{Method: "POST", Path: "/api/v1/succession-suggestions/{id}/confirm", Summary: "Confirm a suggested succession with the decision that made it (number and title, date; effective date when known): records the succession, so the work of the units it ends resolves to their successors",
			Action: tinhso.ActWritePlan, Body: tinhso.SuggestionDecision{}, Resp: confirmedSuccession{}, Handler: a.confirmSuggestion},
		{Method: "POST", Path: "/api/v1/succession-suggestions/{id}/dismiss", Summary: "Dismiss a suggested succession, with the reason; nothing else changes",
			Action: tinhso.ActWritePlan, Body: dismissInput{}, Resp: tinhso.SuccessionSuggestion{}, Handler: a.dismissSuggestion},
	}
}

func (a *API) listSuggestions(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	state := q.Str("state")
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	all, err := a.app.SuccessionSuggestions(r.Context(), state)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(all, p), len(all), p)
}

func (a *API) getSuggestion(w http.ResponseWriter, r *http.Request) {
	s, err := a.app.SuccessionSuggestion(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, s)
}

func (a *API) confirmSuggestion(w http.ResponseWriter, r *http.Request) {
	var in tinhso.SuggestionDecision
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	s, sc, err := a.app.ConfirmSuccession(a.actor(r), r.PathValue("id"), in)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, confirmedSuccession{s, sc})
}

func (a *API) dismissSuggestion(w http.ResponseWriter, r *http.Request) {
	var in dismissInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	s, err := a.app.DismissSuccession(a.actor(r), r.PathValue("id"), in.Reason)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, s)
}
