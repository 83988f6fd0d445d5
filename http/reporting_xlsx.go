package http

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/xlsx"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// form builds the spreadsheet form of a submission.
func (s *Server) form(ctx context.Context, sub *tinhso.Submission) (xlsx.Form, error) {
	p, err := s.store.FindPeriod(ctx, sub.Period)
	if err != nil {
		return xlsx.Form{}, err
	}
	f := xlsx.Form{Period: *p, Regime: p.Regime, UnitCode: sub.OrgUnit, UnitName: sub.UnitName, Values: sub.Values, Progress: sub.Progress}
	for _, k := range sub.Indicators {
		list, _, err := s.store.FindIndicators(ctx, tinhso.IndicatorFilter{Key: k, Page: tinhso.Page{Limit: 1}})
		if err != nil || len(list) == 0 {
			return f, fmt.Errorf("indicator %s: %w", k, err)
		}
		f.Indicators = append(f.Indicators, list[0])
	}
	for _, k := range sub.Tasks {
		list, _, err := s.store.FindTasks(ctx, tinhso.TaskFilter{Key: k, Page: tinhso.Page{Limit: 1}})
		if err != nil || len(list) == 0 {
			return f, fmt.Errorf("task %s: %w", k, err)
		}
		f.Tasks = append(f.Tasks, list[0])
	}
	return f, nil
}

func attachment(w http.ResponseWriter, name string, body []byte) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func (s *Server) registerReportingXLSX() {
	s.handle(route{method: "GET", path: "/api/v1/submissions/{id}/form.xlsx", summary: "The submission as a spreadsheet form to fill in Excel or LibreOffice",
		action: tinhso.ActReadOwn}, func(w http.ResponseWriter, r *http.Request) {
		sub, err := s.mySubmission(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		f, err := s.form(r.Context(), sub)
		if err != nil {
			Error(w, r, err)
			return
		}
		var b bytes.Buffer
		if err := xlsx.Write(&b, f); err != nil {
			Error(w, r, err)
			return
		}
		attachment(w, fmt.Sprintf("bao-cao-%s-%s.xlsx", sub.OrgUnit, safeLabel(sub.Label)), b.Bytes())
	})
	s.handle(route{method: "PUT", path: "/api/v1/submissions/{id}/form.xlsx", summary: "Upload the filled form: checked cell by cell, every problem named by its cell; nothing is stored unless all is right",
		action: tinhso.ActReport, body: xlsxType, resp: tinhso.Submission{}}, func(w http.ResponseWriter, r *http.Request) {
		version, err := ifMatch(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		sub, err := s.ownSubmission(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		f, err := s.form(r.Context(), sub)
		if err != nil {
			Error(w, r, err)
			return
		}
		body := http.MaxBytesReader(w, r.Body, xlsx.MaxSize+1)
		values, progress, err := xlsx.Read(body, r.ContentLength, f)
		if err != nil {
			Error(w, r, err)
			return
		}
		out, err := s.app.SaveSubmission(actorCtx(r), sub.ID, values, progress, version)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeVersioned(w, http.StatusOK, out.Version, out)
	})
	s.handle(route{method: "GET", path: "/api/v1/periods/{id}/report.xlsx", summary: "A period's consolidated report: province figures and each unit's reporting status",
		action: tinhso.ActReadAll}, func(w http.ResponseWriter, r *http.Request) {
		id, err := idParam(r)
		if err != nil {
			Error(w, r, err)
			return
		}
		p, err := s.store.FindPeriod(r.Context(), id)
		if err != nil {
			Error(w, r, err)
			return
		}
		figs, err := s.store.FindFigures(r.Context(), id)
		if err != nil {
			Error(w, r, err)
			return
		}
		subs, _, err := s.store.FindSubmissions(r.Context(), tinhso.SubmissionFilter{Period: id, Page: tinhso.Page{Limit: 1 << 30}})
		if err != nil {
			Error(w, r, err)
			return
		}
		units := make([]xlsx.UnitStatus, len(subs))
		for i, sb := range subs {
			units[i] = xlsx.StatusOf(*sb)
		}
		var b bytes.Buffer
		if err := xlsx.Consolidated(&b, *p, figs, units); err != nil {
			Error(w, r, err)
			return
		}
		attachment(w, "tong-hop-"+safeLabel(p.Label)+".xlsx", b.Bytes())
	})
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
