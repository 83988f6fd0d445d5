package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
)

// Connectors (issue 16): the list with each connector's last run and state, the
// editor, a connector's run history with its errors, and the dry run.

func (u *Web) connectorRoutes() []route {
	act := tinhso.ActManageConnectors
	return []route{
		{"GET /admin/connectors", u.guard(act, u.connectors)},
		{"GET /admin/connectors/new", u.guard(act, u.connectorEdit)},
		{"POST /admin/connectors", u.guard(act, u.connectorPost)},
		{"GET /admin/connectors/{id}", u.guard(act, u.connectorPage)},
		{"GET /admin/connectors/{id}/edit", u.guard(act, u.connectorEdit)},
		{"POST /admin/connectors/{id}", u.guard(act, u.connectorPost)},
		{"POST /admin/connectors/{id}/test", u.guard(act, u.connectorRun)},
		{"POST /admin/connectors/{id}/run", u.guard(act, u.connectorRun)},
	}
}

// ConnState is the state a connector's last run leaves it in, as a catalogue key.
func (v *view) ConnState(c *tinhso.Connector) string {
	switch {
	case !c.Enabled:
		return v.T("connectors.state.disabled")
	case c.LastRun == nil:
		return v.T("connectors.state.never")
	case c.Failures > 0:
		return v.T("connectors.state.failing", c.Failures)
	}
	return v.T("connectors.state.ok")
}

// Outcome names a run's outcome.
func (v *view) Outcome(o string) string {
	switch o {
	case tinhso.RunOK:
		return v.T("connectors.outcome.ok")
	case tinhso.RunUnchanged:
		return v.T("connectors.outcome.unchanged")
	case tinhso.RunFailed:
		return v.T("connectors.outcome.failed")
	case tinhso.RunDry:
		return v.T("connectors.outcome.dry")
	}
	return o
}

// ConnError is one error of a run with where it was found.
func (v *view) ConnError(e tinhso.ConnectorError) string {
	switch {
	case e.Row > 0 && e.Path != "":
		return v.T("connectors.where.row_path", e.Row, e.Path, v.Msg(e.Message))
	case e.Row > 0:
		return v.T("connectors.where.row", e.Row, v.Msg(e.Message))
	case e.Path != "":
		return v.T("connectors.where.path", e.Path, v.Msg(e.Message))
	}
	return v.Msg(e.Message)
}

type connectorsData struct {
	List []*tinhso.Connector
	Ok   string
}

func (u *Web) connectors(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "connectors")
	v.Title = v.T("connectors.title")
	list, err := u.app.Connectors(r.Context())
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.D = &connectorsData{List: list, Ok: connOk(r)}
	u.render(w, r, http.StatusOK, "connectors", v)
}

type connectorData struct {
	C    *tinhso.Connector
	Runs []*tinhso.ConnectorRun
	// Dry is the dry run just made, with the values it would write.
	Dry *tinhso.ConnectorRun
	Ok  string
}

func (u *Web) connectorPage(w http.ResponseWriter, r *http.Request) {
	u.renderConnector(w, r, http.StatusOK, nil)
}

func (u *Web) renderConnector(w http.ResponseWriter, r *http.Request, status int, dry *tinhso.ConnectorRun) {
	v := u.newView(w, r, "connector")
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, err := u.app.Connector(r.Context(), id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	runs, err := u.app.ConnectorRuns(r.Context(), id, 50)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.Title = v.T("connectors.title_one", c.Name)
	v.D = &connectorData{C: c, Runs: runs, Dry: dry, Ok: connOk(r)}
	u.render(w, r, status, "connector", v)
}

func (u *Web) connectorRun(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	trigger := tinhso.TriggerManual
	if strings.HasSuffix(r.URL.Path, "/test") {
		trigger = tinhso.TriggerTest
	}
	run, err := u.app.RunConnector(u.auth.ActorCtx(r), id, trigger)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	if trigger == tinhso.TriggerTest {
		u.renderConnector(w, r, http.StatusOK, run)
		return
	}
	http.Redirect(w, r, "/admin/connectors/"+strconv.FormatInt(id, 10)+"?ok=ran", http.StatusSeeOther)
}

// connectorForm is the editor's fields.
type connectorForm struct {
	ID                                             int64
	Version                                        int
	Name, OrgUnit, Kind, URL, File, Items          string
	AuthKind, Username, TokenURL, ClientID, Scopes string
	PageKind, PageNext, PageParam                  string
	Format, DSN, Query                             string
	Every, Cron, Timeout                           string
	Target, Series, Indicator, Period              string
	Time, Value                                    string
	Enabled, AutoApprove, HasSecret                bool
	Error                                          string
}

func formOf(c *tinhso.Connector) *connectorForm {
	f := &connectorForm{ID: c.ID, Version: c.Version, Name: c.Name, OrgUnit: c.OrgUnit, Kind: c.Source.Kind, URL: c.Source.URL,
		File: c.Source.File, Items: c.Source.Items, AuthKind: c.Source.Auth.Kind, Username: c.Source.Auth.Username,
		TokenURL: c.Source.Auth.TokenURL, ClientID: c.Source.Auth.ClientID, Scopes: c.Source.Auth.Scopes,
		PageKind: c.Source.Paging.Kind, PageNext: c.Source.Paging.Next, PageParam: c.Source.Paging.Param,
		Format: c.Source.Format, DSN: c.Source.DSN, Query: c.Source.Query, Cron: c.Schedule.Cron,
		Target: c.Mapping.Target, Series: c.Mapping.Series, Indicator: c.Mapping.Indicator, Period: c.Mapping.Period,
		Time: c.Mapping.Time, Value: c.Mapping.Value, Enabled: c.Enabled, AutoApprove: c.Mapping.AutoApprove, HasSecret: c.HasSecret}
	if c.Schedule.Every > 0 {
		f.Every = c.Schedule.Every.String()
	}
	if c.Timeout > 0 {
		f.Timeout = c.Timeout.String()
	}
	return f
}

func (u *Web) connectorEdit(w http.ResponseWriter, r *http.Request) {
	f := &connectorForm{Kind: tinhso.SourceCSV, Target: tinhso.TargetIndicator, Period: tinhso.FreqQuarterly, Enabled: true}
	if id := r.PathValue("id"); id != "" {
		n, _ := strconv.ParseInt(id, 10, 64)
		c, err := u.app.Connector(r.Context(), n)
		if err != nil {
			u.fail(w, r, nil, err)
			return
		}
		f = formOf(c)
	}
	u.renderEditor(w, r, http.StatusOK, f)
}

func (u *Web) renderEditor(w http.ResponseWriter, r *http.Request, status int, f *connectorForm) {
	v := u.newView(w, r, "connector_edit")
	v.Title = v.T("connectors.new")
	if f.ID != 0 {
		v.Title = v.T("connectors.edit", f.Name)
	}
	v.D = f
	u.render(w, r, status, "connector_edit", v)
}

func (u *Web) connectorPost(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	fv := func(k string) string { return formValue(r, k) }
	f := &connectorForm{Name: fv("name"), OrgUnit: fv("org_unit"), Kind: fv("kind"), URL: fv("url"), File: fv("file"), Items: fv("items"),
		AuthKind: fv("auth_kind"), Username: fv("username"), TokenURL: fv("token_url"), ClientID: fv("client_id"), Scopes: fv("scopes"),
		PageKind: fv("page_kind"), PageNext: fv("page_next"), PageParam: fv("page_param"), Format: fv("format"), DSN: fv("dsn"),
		Query: fv("query"), Every: fv("every"), Cron: fv("cron"), Timeout: fv("timeout"), Target: fv("target"), Series: fv("series"),
		Indicator: fv("indicator"), Period: fv("period"), Time: fv("time"), Value: fv("value"),
		Enabled: fv("enabled") != "", AutoApprove: fv("auto_approve") != ""}
	f.ID, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	f.Version, _ = strconv.Atoi(fv("version"))
	c := &tinhso.Connector{ID: f.ID, Name: f.Name, Enabled: f.Enabled, OrgUnit: f.OrgUnit,
		Source: tinhso.ConnectorSource{Kind: f.Kind, URL: f.URL, File: f.File, Items: f.Items, Format: f.Format, DSN: f.DSN, Query: f.Query,
			Auth:   tinhso.ConnectorAuth{Kind: f.AuthKind, Username: f.Username, TokenURL: f.TokenURL, ClientID: f.ClientID, Scopes: f.Scopes},
			Paging: tinhso.ConnectorPaging{Kind: f.PageKind, Next: f.PageNext, Param: f.PageParam}},
		Schedule: tinhso.ConnectorSchedule{Cron: f.Cron},
		Mapping: tinhso.ConnectorMapping{Target: f.Target, Series: f.Series, Indicator: f.Indicator, Period: f.Period,
			AutoApprove: f.AutoApprove, Time: f.Time, Value: f.Value}}
	p := u.newView(w, r, "").printer()
	for _, d := range []struct {
		field, text string
		to          *tinhso.Duration
	}{{"schedule.every", f.Every, &c.Schedule.Every}, {"timeout", f.Timeout, &c.Timeout}} {
		x, err := tinhso.ParseDuration(d.text)
		if err != nil {
			f.Error = p.Error(tinhso.Invalid(d.field, "connectors.err.duration", d.text))
			u.renderEditor(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		*d.to = x
	}
	// The secret is read as typed and never shown again, not even on a refused form.
	if err := u.app.SaveConnector(u.auth.ActorCtx(r), c, r.PostForm.Get("secret"), fv("clear_secret") != "", f.Version); err != nil {
		f.Error = p.Error(err)
		u.renderEditor(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	http.Redirect(w, r, "/admin/connectors/"+strconv.FormatInt(c.ID, 10)+"?ok=saved", http.StatusSeeOther)
}

// connOk is the note of a done action (?ok=saved, ?ok=ran).
func connOk(r *http.Request) string {
	switch r.URL.Query().Get("ok") {
	case "saved":
		return "connectors.ok.saved"
	case "ran":
		return "connectors.ok.ran"
	}
	return ""
}

// ConnNumber writes a value as the page's language does.
func (v *view) ConnNumber(x float64) string { return v.printer().Number(x) }

// Trigger names what started a run.
func (v *view) Trigger(t string) string {
	switch t {
	case tinhso.TriggerSchedule:
		return v.T("connectors.trigger.schedule")
	case tinhso.TriggerTest:
		return v.T("connectors.trigger.test")
	}
	return v.T("connectors.trigger.manual")
}
