package api

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/xlsx"
)

// Spreadsheets: a submission's form to fill in, and a period's consolidated report.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (a *API) formRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/submissions/{id}/form.xlsx", Summary: "The submission as a spreadsheet form to fill in Excel or LibreOffice",
			Action: tinhso.ActReadOwn, Handler: a.downloadForm},
		{Method: "PUT", Path: "/api/v1/submissions/{id}/form.xlsx", Summary: "Upload the filled form: checked cell by cell, every problem named by its cell; nothing is stored unless all is right",
			Action: tinhso.ActReport, Body: xlsxType, Resp: tinhso.Submission{}, Handler: a.uploadForm},
		{Method: "GET", Path: "/api/v1/periods/{id}/report.xlsx", Summary: "A period's consolidated report: province figures and each unit's reporting status",
			Action: tinhso.ActReadAll, Handler: a.periodReport},
	}
}

// form builds the spreadsheet form of a submission, in the request's language
// (English unless lang or Accept-Language asks for Vietnamese).
func (a *API) form(ctx context.Context, r *http.Request, sub *tinhso.Submission) (xlsx.Form, error) {
	f, err := a.app.Form(ctx, sub)
	if err != nil {
		return xlsx.Form{}, err
	}
	return xlsx.Form{Period: *f.Period, Regime: f.Period.Regime, UnitCode: sub.OrgUnit, UnitName: sub.UnitName, Values: sub.Values, Progress: sub.Progress,
		Indicators: f.Indicators, Tasks: f.Tasks, Lang: locale.FromRequest(r, locale.EN)}, nil
}

func attachment(w http.ResponseWriter, name string, body []byte) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func (a *API) downloadForm(w http.ResponseWriter, r *http.Request) {
	sub, err := a.readable(r)
	if failed(w, r, err) {
		return
	}
	f, err := a.form(r.Context(), r, sub)
	if failed(w, r, err) {
		return
	}
	var b bytes.Buffer
	if err := xlsx.Write(&b, f); failed(w, r, err) {
		return
	}
	attachment(w, fmt.Sprintf("bao-cao-%s-%s.xlsx", sub.OrgUnit, safeLabel(sub.Label)), b.Bytes())
}

func (a *API) uploadForm(w http.ResponseWriter, r *http.Request) {
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	sub, err := a.own(r)
	if failed(w, r, err) {
		return
	}
	f, err := a.form(r.Context(), r, sub)
	if failed(w, r, err) {
		return
	}
	body := http.MaxBytesReader(w, r.Body, xlsx.MaxSize+1)
	values, progress, err := xlsx.Read(body, r.ContentLength, f)
	if failed(w, r, err) {
		return
	}
	out, err := a.app.SaveSubmission(a.actor(r), sub.ID, values, progress, version)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, out.Version, out)
}

func (a *API) periodReport(w http.ResponseWriter, r *http.Request) {
	p, err := a.period(r)
	if failed(w, r, err) {
		return
	}
	id := p.ID
	figs, err := a.store.FindFigures(r.Context(), id)
	if failed(w, r, err) {
		return
	}
	subs, _, err := a.store.FindSubmissions(r.Context(), tinhso.SubmissionFilter{Period: id, Page: tinhso.Page{Limit: 1 << 30}})
	if failed(w, r, err) {
		return
	}
	units := make([]xlsx.UnitStatus, len(subs))
	for i, sb := range subs {
		units[i] = xlsx.StatusOf(*sb)
	}
	var b bytes.Buffer
	if err := xlsx.WriteConsolidated(&b, locale.FromRequest(r, locale.EN), *p, figs, units); failed(w, r, err) {
		return
	}
	attachment(w, "tong-hop-"+safeLabel(p.Label)+".xlsx", b.Bytes())
}

// safeLabel makes a period label usable in a file name: "Q1/2026" → "Q1-2026".
func safeLabel(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '/' || c == '\\' || c == ' ' {
			b[i] = '-'
		}
	}
	return string(b)
}
