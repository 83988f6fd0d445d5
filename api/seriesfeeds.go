package api

import (
	"net/http"
	"regexp"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// Indicators fed by series (issue 13): an indicator's feed, the figures computed from
// it, and their approval. The approved ones are on the one figure path too
// (GET /api/v1/figures?source=series), each with the series and span it came from.

// seriesFeedInput is the body of PUT /api/v1/indicators/{id}/series-feed.
type seriesFeedInput struct {
	Series      string `json:"series"`
	Func        string `json:"func"`
	Period      string `json:"period"`
	AutoApprove bool   `json:"auto_approve"`
}

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (a *API) seriesFeedRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/indicators/{id}/series-feed", Summary: "The series an indicator takes its figure per period from",
			Action: tinhso.ActReadAll, Resp: tinhso.SeriesFeed{}, Handler: a.getSeriesFeed},
		{Method: "PUT", Path: "/api/v1/indicators/{id}/series-feed", Action: tinhso.ActWritePlan,
			Summary: "Feed an indicator from a series: its figure per period (monthly, quarterly, yearly, in Vietnam time) is the sum, mean, last or count of the series' points in the period; auto_approve: the figures count at once, else each waits for approval. The figures of the last five years are computed at once.",
			Body:    seriesFeedInput{}, Resp: tinhso.SeriesFeed{}, Handler: a.putSeriesFeed},
		{Method: "DELETE", Path: "/api/v1/indicators/{id}/series-feed", Action: tinhso.ActWritePlan,
			Summary: "Stop feeding an indicator from its series; the figures computed from it go", Status: http.StatusNoContent, Handler: a.deleteSeriesFeed},
		{Method: "GET", Path: "/api/v1/indicators/{id}/series-figures", Summary: "The figures computed from an indicator's series, approved or waiting, by date",
			Action: tinhso.ActReadAll, List: true, Resp: tinhso.SeriesFigure{}, Handler: a.listSeriesFigures},
		{Method: "POST", Path: "/api/v1/indicators/{id}/series-figures/{date}/approve", Action: tinhso.ActWritePlan,
			Summary: "Approve a figure computed from a series (date: the period's last day, yyyy-mm-dd)", Status: http.StatusNoContent, Handler: a.approveSeriesFigure},
	}
}

func (a *API) getSeriesFeed(w http.ResponseWriter, r *http.Request) {
	ind, err := indicators{a}.find(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	f, err := a.app.SeriesFeed(r.Context(), ind.Key)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, f)
}

func (a *API) putSeriesFeed(w http.ResponseWriter, r *http.Request) {
	ind, err := indicators{a}.find(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	var in seriesFeedInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	f := &tinhso.SeriesFeed{Indicator: ind.Key, Series: in.Series, Func: in.Func, Period: in.Period, AutoApprove: in.AutoApprove}
	if failed(w, r, a.app.SaveSeriesFeed(a.actor(r), f)) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, f)
}

func (a *API) deleteSeriesFeed(w http.ResponseWriter, r *http.Request) {
	ind, err := indicators{a}.find(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	if failed(w, r, a.app.DeleteSeriesFeed(a.actor(r), ind.Key)) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) listSeriesFigures(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	ind, err := indicators{a}.find(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	figs, err := a.app.SeriesFigures(r.Context(), ind.Key)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(figs, p), len(figs), p)
}

func (a *API) approveSeriesFigure(w http.ResponseWriter, r *http.Request) {
	ind, err := indicators{a}.find(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	date := r.PathValue("date")
	if _, err := time.Parse("2006-01-02", date); err != nil || !dateRe.MatchString(date) {
		failed(w, r, tinhso.Invalid("date", "live2.err.feed_date", date))
		return
	}
	if failed(w, r, a.app.ApproveSeriesFigure(a.actor(r), ind.Key, date)) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
