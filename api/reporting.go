package api

import (
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/locale"
)

// Reporting regimes and periods, the province figures, notifications and the audit log.

// regimeInput is the writable part of a regime.
type regimeInput struct {
	Key          string   `json:"key"`
	Name         string   `json:"name"`
	Content      string   `json:"content"`
	Document     string   `json:"document"`
	Reporters    []string `json:"reporters"`
	Receiver     string   `json:"receiver"`
	Frequency    string   `json:"frequency"`
	CutoffDay    int      `json:"cutoff_day"`
	DeadlineDays int      `json:"deadline_days"`
}

// periodInput names a period to open.
type periodInput struct {
	Year   int `json:"year"`
	Number int `json:"number"`
}

// verifyAnswer answers an audit-chain check.
type verifyAnswer struct {
	Records int    `json:"records"`
	Intact  bool   `json:"intact"`
	Error   string `json:"error,omitempty"`
}

func (a *API) reportingRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/regimes", Summary: "Reporting regimes (chế độ báo cáo)", List: true, Resp: tinhso.Regime{}, Handler: a.listRegimes},
		{Method: "POST", Path: "/api/v1/regimes", Summary: "Create a reporting regime (defaults of Nghị định 09/2019: cutoff day 14)",
			Action: tinhso.ActManageReporting, Body: regimeInput{}, Resp: tinhso.Regime{}, Status: 201, Handler: a.createRegime},
		{Method: "GET", Path: "/api/v1/regimes/{id}", Summary: "A regime, by id or key", Resp: tinhso.Regime{}, Handler: a.getRegime},
		{Method: "GET", Path: "/api/v1/regimes/{id}/plan", Summary: "Who would report what in a period, and what blocks opening it",
			Action: tinhso.ActManageReporting, Resp: tinhso.PeriodPlan{}, Query: []httpx.Param{{Name: "year", Type: "integer", Desc: "e.g. 2026"}, {Name: "number", Type: "integer", Desc: "month, quarter, or 1"}},
			Handler: a.planPeriod},
		{Method: "POST", Path: "/api/v1/regimes/{id}/periods", Summary: "Open a period: one expected submission per responsible unit (409 listing blockers)",
			Action: tinhso.ActManageReporting, Body: periodInput{}, Resp: tinhso.Period{}, Status: 201, Handler: a.openPeriod},
		{Method: "GET", Path: "/api/v1/periods", Summary: "Reporting periods, newest first", List: true, Resp: tinhso.Period{},
			Query: []httpx.Param{{Name: "regime", Type: "string", Desc: "a regime's key"}}, Handler: a.listPeriods},
		{Method: "GET", Path: "/api/v1/periods/{id}", Summary: "A period", Resp: tinhso.Period{}, Handler: a.getPeriod},
		{Method: "POST", Path: "/api/v1/periods/{id}/close", Summary: "Close a period: no more reminders; its submissions stay as they are",
			Action: tinhso.ActManageReporting, Resp: tinhso.Period{}, Handler: a.closePeriod},
		{Method: "POST", Path: "/api/v1/notifications/{id}/read", Summary: "Mark a notification read", Action: tinhso.ActReadOwn, Status: 204, Handler: a.readNotification},
		{Method: "GET", Path: "/api/v1/periods/{id}/figures", Summary: "The province figures of a period from approved submissions, each with the submissions it came from",
			Action: tinhso.ActReadAll, List: true, Resp: tinhso.Figure{}, Handler: a.figures},
		{Method: "GET", Path: "/api/v1/notifications", Summary: "In-app notifications (reminders); a reporter's are its unit's", List: true,
			Action: tinhso.ActReadOwn, Resp: tinhso.Notification{}, Handler: a.listNotifications},
		{Method: "GET", Path: "/api/v1/audit", Summary: "The audit log, newest first", List: true, Action: tinhso.ActReadAudit, Resp: tinhso.AuditRecord{},
			Query: []httpx.Param{{Name: "entity", Type: "string", Desc: "e.g. submission"}, {Name: "entity_id", Type: "string", Desc: "the record's id"}}, Handler: a.audit},
		{Method: "GET", Path: "/api/v1/audit/verify", Summary: "Check the audit log's hash chain", Action: tinhso.ActReadAudit, Resp: verifyAnswer{}, Handler: a.verifyAudit},
	}
}

func (a *API) listRegimes(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	all, err := a.store.FindRegimes(r.Context())
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(all, p), len(all), p)
}

func (a *API) createRegime(w http.ResponseWriter, r *http.Request) {
	in := regimeInput{CutoffDay: 14, DeadlineDays: 10}
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	rg := &tinhso.Regime{Key: in.Key, Name: in.Name, Content: in.Content, Document: in.Document, Reporters: in.Reporters, Receiver: in.Receiver,
		Frequency: in.Frequency, CutoffDay: in.CutoffDay, DeadlineDays: in.DeadlineDays}
	if err := a.store.CreateRegime(a.actor(r), rg); failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/regimes/"+rg.Key)
	httpx.WriteJSON(w, http.StatusCreated, rg)
}

func (a *API) getRegime(w http.ResponseWriter, r *http.Request) {
	rg, err := a.store.FindRegime(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rg)
}

func (a *API) planPeriod(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	year, number := q.Int("year", 2000, 2100), q.Int("number", 1, 12)
	if err := q.Done(); failed(w, r, err) {
		return
	}
	plan, err := a.app.PlanPeriod(r.Context(), r.PathValue("id"), year, number)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, plan)
}

func (a *API) openPeriod(w http.ResponseWriter, r *http.Request) {
	var in periodInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	p, err := a.app.OpenPeriod(a.actor(r), r.PathValue("id"), in.Year, in.Number)
	if failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/periods/"+strconv.FormatInt(p.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, p)
}

func (a *API) listPeriods(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	regime := q.Str("regime")
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	all, err := a.store.FindPeriods(r.Context(), regime)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(all, p), len(all), p)
}

// period finds the period of the {id} path parameter.
func (a *API) period(r *http.Request) (*tinhso.Period, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	return a.store.FindPeriod(r.Context(), id)
}

func (a *API) getPeriod(w http.ResponseWriter, r *http.Request) {
	p, err := a.period(r)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, p)
}

func (a *API) closePeriod(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	p, err := a.app.ClosePeriod(a.actor(r), id)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, p)
}

func (a *API) readNotification(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	if err := a.store.MarkNotificationRead(r.Context(), id, app.NotificationsUnit(user(r))); failed(w, r, err) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) figures(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	q := httpx.NewQuery(r)
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	if _, err := a.store.FindPeriod(r.Context(), id); err != nil {
		httpx.Error(w, r, err)
		return
	}
	figs, err := a.store.FindFigures(r.Context(), id)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(figs, p), len(figs), p)
}

func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	items, total, err := a.store.FindNotifications(r.Context(), app.NotificationsUnit(user(r)), p)
	if failed(w, r, err) {
		return
	}
	// message is what it says in the reader's language; message_key and message_args
	// are for scripts.
	pr := locale.For(locale.FromRequest(r, locale.EN))
	for _, n := range items {
		n.Message = pr.Message(n.Text())
	}
	httpx.WriteList(w, items, total, p)
}

func (a *API) audit(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.AuditFilter{Entity: q.Str("entity"), EntityID: q.Str("entity_id"), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	items, total, err := a.store.FindAudit(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, items, total, f.Page)
}

func (a *API) verifyAudit(w http.ResponseWriter, r *http.Request) {
	n, err := a.store.VerifyAudit(r.Context())
	if err != nil && tinhso.ErrorCode(err) != tinhso.ECONFLICT {
		httpx.Error(w, r, err)
		return
	}
	ans := verifyAnswer{Records: n, Intact: err == nil}
	if err != nil {
		ans.Error = locale.For(locale.FromRequest(r, locale.EN)).Error(err)
	}
	httpx.WriteJSON(w, http.StatusOK, ans)
}
