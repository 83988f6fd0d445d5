package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// Period administration: reporting regimes, and periods previewed, opened and closed.

// regimeForm is the create-regime form as typed.
type regimeForm struct {
	Key, Name, Content, Document, Receiver, Frequency string
	CutoffDay, DeadlineDays                           string
	Chosen                                            []string // the reporting units picked
}

// periodForm names a period to preview or open.
type periodForm struct {
	Regime, Year, Number string
}

type periodsData struct {
	P           *app.Plan
	Regimes     []*tinhso.Regime
	Periods     []app.PeriodRow
	Pager       pager // the periods shown, newest first (perPage a page)
	Frequencies []string
	Statuses    []string
	RF          regimeForm
	PF          periodForm
	Preview     *tinhso.PeriodPlan
	Blocked     []blockerGroup // the preview's blockers, by cause
	RegimeError string
	PeriodError string
	Picker      unitPicker // the regime's reporting units
}

// blockerGroup is the blockers of one cause, with the page that resolves them.
type blockerGroup struct {
	Cause  string
	Fix    string // the page that resolves them
	Units  []tinhso.Blocker
	Items  int // how many indicators and tasks they hold back
	OneFix bool
}

// groupBlockers groups a plan's blockers by cause (gone units first, then empty groups,
// then unknown codes), each linked to what resolves it: recording a succession, or
// importing the member units.
func groupBlockers(plan *tinhso.PeriodPlan, back string) []blockerGroup {
	var out []blockerGroup
	for _, cause := range []string{tinhso.BlockGone, tinhso.BlockEmptyGroup, tinhso.BlockUnknown} {
		g := blockerGroup{Cause: cause}
		for _, b := range plan.Causes {
			if b.Cause == cause {
				g.Units = append(g.Units, b)
				g.Items += len(b.Indicators) + len(b.Tasks)
			}
		}
		if len(g.Units) == 0 {
			continue
		}
		switch cause {
		case tinhso.BlockGone:
			q := url.Values{"next": {back}}
			for _, b := range g.Units {
				q.Add("from", b.Unit)
			}
			g.Fix = "/admin/successions?" + q.Encode() + "#new-succession"
		default:
			g.Fix, g.OneFix = "/admin/org-units/import", true
		}
		out = append(out, g)
	}
	return out
}

// unitPicker offers org units to choose from, groups first, then by kind, with those
// chosen ticked: what a form asks for instead of typed codes.
type unitPicker struct {
	Name, ID string // the form field, and the prefix of the boxes' ids
	Kinds    []pickerKind
	Chosen   map[string]bool
	Count    int // how many are chosen
	// Many: too many units to tick (more than app.PlanUnits): the codes are typed,
	// Text holds those chosen, one a line.
	Many bool
	Text string
}

type pickerKind struct {
	Kind  string
	Units []*tinhso.OrgUnit
	Open  bool // holds a chosen unit
}

// newPicker makes a picker of the units that exist on day (every unit when day is
// ""), and those chosen, groups first.
func newPicker(p *app.Plan, name, id, day string, chosen []string) unitPicker {
	pk := unitPicker{Name: name, ID: id, Chosen: map[string]bool{}}
	for _, c := range chosen {
		if !pk.Chosen[c] {
			pk.Chosen[c] = true
			pk.Count++
		}
	}
	if units := p.Units(); len(units) > app.PlanUnits {
		pk.Many = true
		var codes []string
		for _, c := range chosen {
			if !slices.Contains(codes, c) {
				codes = append(codes, c)
			}
		}
		pk.Text = strings.Join(codes, "\n")
		return pk
	}
	order := []string{tinhso.KindGroup, tinhso.KindProvince, tinhso.KindDepartment, tinhso.KindCommune, tinhso.KindParty, tinhso.KindOther, tinhso.KindDistrict}
	byKind := map[string][]*tinhso.OrgUnit{}
	for _, o := range p.Units() {
		if day == "" || o.Exists(day) || pk.Chosen[o.Code] {
			byKind[o.Kind] = append(byKind[o.Kind], o)
		}
	}
	for _, k := range order {
		if len(byKind[k]) > 0 {
			kind := pickerKind{Kind: k, Units: byKind[k]}
			for _, o := range kind.Units {
				kind.Open = kind.Open || pk.Chosen[o.Code]
			}
			pk.Kinds = append(pk.Kinds, kind)
		}
	}
	return pk
}

// currentPeriod is the number of the period of a frequency that day falls in (month,
// quarter, or 1), with its year.
func currentPeriod(freq, day string) (year, number int) {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return 0, 0
	}
	switch freq {
	case tinhso.FreqMonthly:
		return t.Year(), int(t.Month())
	case tinhso.FreqQuarterly:
		return t.Year(), (int(t.Month())-1)/3 + 1
	}
	return t.Year(), 1
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
	d.Periods, d.Pager = page(r, d.Periods)
	d.Picker = newPicker(p, "reporters", "f-r-rep", v.Today, d.RF.Chosen)
	if d.PF.Regime != "" && (d.PF.Year == "" || d.PF.Number == "") {
		// A regime named without a period (just created, or picked from a link):
		// preview the period today falls in.
		for _, rg := range d.Regimes {
			if rg.Key == d.PF.Regime {
				y, n := currentPeriod(rg.Frequency, v.Today)
				if d.PF.Year == "" {
					d.PF.Year = strconv.Itoa(y)
				}
				if d.PF.Number == "" {
					d.PF.Number = strconv.Itoa(n)
				}
			}
		}
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
	if d.Preview != nil {
		back := v.Href("/admin/periods", "regime", d.PF.Regime, "year", strconv.Itoa(d.Preview.Period.Year), "number", strconv.Itoa(d.Preview.Period.Number)) + "#h-open-period"
		d.Blocked = groupBlockers(d.Preview, back)
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
		Receiver: formValue(r, "receiver"), Frequency: formValue(r, "frequency"),
		CutoffDay: formValue(r, "cutoff_day"), DeadlineDays: formValue(r, "deadline_days")}
	f.Chosen = formValues(r, "reporters")
	d := &periodsData{RF: f}
	rg := &tinhso.Regime{Key: f.Key, Name: f.Name, Content: f.Content, Document: f.Document, Receiver: f.Receiver, Frequency: f.Frequency,
		Reporters: f.Chosen}
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
	// On to the preview of the period today falls in: what would report, what blocks it.
	y, n := currentPeriod(rg.Frequency, u.today())
	http.Redirect(w, r, "/admin/periods?done=regime_created&regime="+url.QueryEscape(rg.Key)+"&year="+strconv.Itoa(y)+"&number="+strconv.Itoa(n)+"#h-open-period", http.StatusSeeOther)
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
