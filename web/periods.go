package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// Period administration: reporting regimes, and periods previewed, opened and closed.

// regimeForm is the create-regime form as typed.
type regimeForm struct {
	Key, Name, Content, Document, Reporters, Receiver, Frequency string
	CutoffDay, DeadlineDays                                      string
}

// periodForm names a period to preview or open.
type periodForm struct {
	Regime, Year, Number string
}

type periodsData struct {
	P           *app.Plan
	Regimes     []*tinhso.Regime
	Periods     []app.PeriodRow
	Frequencies []string
	Statuses    []string
	RF          regimeForm
	PF          periodForm
	Preview     *tinhso.PeriodPlan
	RegimeError string
	PeriodError string
}

// periods is period administration: the regimes, a form for a new one, the periods
// with their submissions by status, and a preview of a period's plan (who reports
// what, what blocks opening) with the button that opens it.
func (u *Web) periods(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &periodsData{RF: regimeForm{CutoffDay: "14", DeadlineDays: "10", Frequency: tinhso.FreqQuarterly},
		PF: periodForm{Regime: q.Get("regime"), Year: q.Get("year"), Number: q.Get("number")}}
	u.renderPeriods(w, r, http.StatusOK, d)
}

func (u *Web) renderPeriods(w http.ResponseWriter, r *http.Request, status int, d *periodsData) {
	v := u.newView(w, r, "periods")
	v.Title = v.T("periods.title")
	ctx := r.Context()
	p, err := u.app.Plan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.P, d.Frequencies, d.Statuses = p, tinhso.Frequencies, app.SubmissionStatuses
	if d.Regimes, err = u.store.FindRegimes(ctx); err != nil {
		u.fail(w, r, v, err)
		return
	}
	if d.Periods, err = u.app.Periods(ctx); err != nil {
		u.fail(w, r, v, err)
		return
	}
	if d.PF.Regime != "" && d.Preview == nil && d.PeriodError == "" {
		year, _ := strconv.Atoi(d.PF.Year)
		number, _ := strconv.Atoi(d.PF.Number)
		plan, err := u.app.PlanPeriod(ctx, d.PF.Regime, year, number)
		switch code := tinhso.ErrorCode(err); {
		case err == nil:
			d.Preview = plan
		case code == tinhso.EINTERNAL:
			u.fail(w, r, v, err)
			return
		default:
			d.PeriodError = errText(r, err)
			if status == http.StatusOK {
				status = httpx.StatusOf(code)
			}
		}
	}
	v.D = d
	u.render(w, r, status, "periods", v)
}

// createRegime creates a reporting regime from the form.
func (u *Web) createRegime(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	f := regimeForm{Key: formValue(r, "key"), Name: formValue(r, "name"), Content: formValue(r, "content"), Document: formValue(r, "document"),
		Reporters: formValue(r, "reporters"), Receiver: formValue(r, "receiver"), Frequency: formValue(r, "frequency"),
		CutoffDay: formValue(r, "cutoff_day"), DeadlineDays: formValue(r, "deadline_days")}
	d := &periodsData{RF: f}
	rg := &tinhso.Regime{Key: f.Key, Name: f.Name, Content: f.Content, Document: f.Document, Receiver: f.Receiver, Frequency: f.Frequency,
		Reporters: strings.FieldsFunc(f.Reporters, func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t' })}
	var err error
	if rg.CutoffDay, err = strconv.Atoi(f.CutoffDay); err != nil {
		err = tinhso.Invalid("cutoff_day", "err.regime.cutoff_day")
	} else if rg.DeadlineDays, err = strconv.Atoi(f.DeadlineDays); err != nil {
		err = tinhso.Invalid("deadline_days", "err.regime.deadline_days")
	} else {
		err = u.store.CreateRegime(u.auth.ActorCtx(r), rg)
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d.RegimeError = errText(r, err)
		u.renderPeriods(w, r, httpx.Status(err), d)
		return
	}
	http.Redirect(w, r, "/admin/periods?done=regime_created&regime="+url.QueryEscape(rg.Key), http.StatusSeeOther)
}

// openPeriod opens a period of a regime; with blockers it opens nothing and says why.
func (u *Web) openPeriod(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	pf := periodForm{Regime: formValue(r, "regime"), Year: formValue(r, "year"), Number: formValue(r, "number")}
	year, _ := strconv.Atoi(pf.Year)
	number, _ := strconv.Atoi(pf.Number)
	p, err := u.app.OpenPeriod(u.auth.ActorCtx(r), pf.Regime, year, number)
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d := &periodsData{RF: regimeForm{CutoffDay: "14", DeadlineDays: "10", Frequency: tinhso.FreqQuarterly}, PF: pf}
		status := httpx.Status(err)
		u.renderPeriodsWithError(w, r, status, d, err)
		return
	}
	http.Redirect(w, r, "/admin/periods?done=period_opened&period="+strconv.FormatInt(p.ID, 10)+"#h-periods", http.StatusSeeOther)
}

// renderPeriodsWithError shows the preview of the period that failed to open and why.
func (u *Web) renderPeriodsWithError(w http.ResponseWriter, r *http.Request, status int, d *periodsData, err error) {
	year, _ := strconv.Atoi(d.PF.Year)
	number, _ := strconv.Atoi(d.PF.Number)
	if plan, perr := u.app.PlanPeriod(r.Context(), d.PF.Regime, year, number); perr == nil {
		d.Preview = plan
	}
	d.PeriodError = errText(r, err)
	u.renderPeriods(w, r, status, d)
}
