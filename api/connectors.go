package api

import (
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// Connectors (issue 16): admins edit, run and test the connectors that read other
// systems. Secrets go in (secret) and never come back out (has_secret).

var connectorComputed = map[string]string{"id": "", "has_secret": "", "failures": "", "last_run": "", "version": "",
	"created_at": "", "updated_at": ""}

// connectorBody is a connector as sent: the secret (a token, a password, a client
// secret) is write-only; clear_secret drops the stored one.
type connectorBody struct {
	tinhso.Connector
	Secret      string `json:"secret,omitempty"`
	ClearSecret bool   `json:"clear_secret,omitempty"`
}

func (a *API) connectorRoutes() []httpx.Route {
	desc := " A connector: name, enabled, org_unit, source {kind json|csv|sql, url or file, method, body, headers, auth {kind bearer|basic|oauth2, username, token_url, client_id, scopes}, items (JSONPath of the rows), paging {kind link|number, next, param, start, max_pages}, format csv|xlsx, delimiter, dsn (without password), query}, schedule {every or cron}, timeout, mapping {target series|indicator, series, indicator, period, auto_approve, time, value}; secret is write-only."
	act := tinhso.ActManageConnectors
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/connectors", Summary: "The connectors, by name, each with its last run", Action: act,
			List: true, Resp: tinhso.Connector{}, Handler: a.listConnectors},
		{Method: "POST", Path: "/api/v1/connectors", Summary: "Add a connector; a bad one is refused naming the field, an address the outbound guard refuses too." + desc, Action: act,
			Body: connectorBody{}, Resp: tinhso.Connector{}, Status: http.StatusCreated, Handler: a.createConnector},
		{Method: "GET", Path: "/api/v1/connectors/{id}", Summary: "A connector with its last run", Action: act,
			Resp: tinhso.Connector{}, Handler: a.getConnector},
		{Method: "PUT", Path: "/api/v1/connectors/{id}", Summary: "Change a connector (If-Match: its version); no secret keeps the stored one." + desc, Action: act,
			Body: connectorBody{}, Resp: tinhso.Connector{}, Handler: a.updateConnector},
		{Method: "DELETE", Path: "/api/v1/connectors/{id}", Summary: "Delete a connector with its runs and the figures it wrote", Action: act,
			Status: http.StatusNoContent, Handler: a.deleteConnector},
		{Method: "GET", Path: "/api/v1/connectors/{id}/runs", Summary: "A connector's runs, newest first (limit, default 50): start, end, rows read, values written, the first errors with their row or path", Action: act,
			List: true, Resp: tinhso.ConnectorRun{}, Handler: a.listConnectorRuns},
		{Method: "POST", Path: "/api/v1/connectors/{id}/test", Summary: "A dry run: reads the source and answers what would be written (values), writing nothing", Action: act,
			Resp: tinhso.ConnectorRun{}, Handler: a.testConnector},
		{Method: "POST", Path: "/api/v1/connectors/{id}/run", Summary: "Run a connector now: all or nothing, recorded", Action: act,
			Resp: tinhso.ConnectorRun{}, Handler: a.runConnector},
	}
}

func (a *API) listConnectors(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	list, err := a.app.Connectors(r.Context())
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(list, p), len(list), p)
}

func (a *API) createConnector(w http.ResponseWriter, r *http.Request) {
	var b connectorBody
	if err := a.decode(w, r, &b, connectorComputed); failed(w, r, err) {
		return
	}
	c := b.Connector
	c.ID = 0
	if failed(w, r, a.app.SaveConnector(a.actor(r), &c, b.Secret, false, 0)) {
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, c)
}

func (a *API) getConnector(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	c, err := a.app.Connector(r.Context(), id)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, c)
}

func (a *API) updateConnector(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	var b connectorBody
	if err := a.decode(w, r, &b, connectorComputed); failed(w, r, err) {
		return
	}
	c := b.Connector
	c.ID = id
	if _, err := a.app.Connector(r.Context(), id); failed(w, r, err) {
		return
	}
	if failed(w, r, a.app.SaveConnector(a.actor(r), &c, b.Secret, b.ClearSecret, version)) {
		return
	}
	got, err := a.app.Connector(r.Context(), id)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, got)
}

func (a *API) deleteConnector(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	if failed(w, r, a.app.DeleteConnector(a.actor(r), id)) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) listConnectorRuns(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	q := httpx.NewQuery(r)
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	runs, err := a.app.ConnectorRuns(r.Context(), id, 1000)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(runs, p), len(runs), p)
}

func (a *API) testConnector(w http.ResponseWriter, r *http.Request) {
	a.runWith(w, r, tinhso.TriggerTest)
}
func (a *API) runConnector(w http.ResponseWriter, r *http.Request) {
	a.runWith(w, r, tinhso.TriggerManual)
}
func (a *API) runWith(w http.ResponseWriter, r *http.Request, trigger string) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	run, err := a.app.RunConnector(a.actor(r), id, trigger)
	if failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/connectors/"+strconv.FormatInt(id, 10)+"/runs")
	httpx.WriteJSON(w, http.StatusOK, run)
}
