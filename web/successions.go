package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// The successions page: the mergers, splits and transfers recorded, and a form to
// record one with the decision it comes from, which is how an admin resolves a period
// blocked by a unit that no longer exists (the same rules as POST /api/v1/successions).

func (u *Web) successionRoutes() []route {
	return []route{
		{"GET /admin/successions", u.guard(tinhso.ActWritePlan, u.successions)},
		{"POST /admin/successions", u.guard(tinhso.ActWritePlan, u.createSuccession)},
		{"POST /admin/successions/suggestions/{id}/confirm", u.guard(tinhso.ActWritePlan, u.confirmSuggestion)},
		{"POST /admin/successions/suggestions/{id}/dismiss", u.guard(tinhso.ActWritePlan, u.dismissSuggestion)},
	}
}

// successionForm is the form as typed.
type successionForm struct {
	From, To                        []string
	Kind, Effective, Citation, Note string
	Next                            string // where to go back to (the period preview)
}

type successionsData struct {
	P     *app.Plan
	List  []*tinhso.Succession
	F     successionForm
	From  unitPicker
	To    unitPicker
	Kinds []string
	Error string
	// Suggested are the successions the documents point at, waiting for an admin;
	// Decided those confirmed or dismissed. Sugg is the suggestion form as sent (its
	// error in SuggError), to show again when refused.
	Suggested []*tinhso.SuccessionSuggestion
	Decided   []*tinhso.SuccessionSuggestion
	Sugg      suggestionForm
	SuggError string
}

// suggestionForm is a confirmation or dismissal of a suggested succession as typed.
type suggestionForm struct {
	ID                                        int64
	Decision, DecisionDate, Effective, Reason string
	Dismiss                                   bool
}

// successions lists the successions and offers the form, with the units of ?from=
// ticked (the period preview links here with the units that block it).
func (u *Web) successions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := successionForm{From: q["from"], Kind: "transfer", Next: safeNext(q.Get("next"))}
	u.renderSuccessions(w, r, http.StatusOK, &successionsData{F: f})
}

func (u *Web) renderSuccessions(w http.ResponseWriter, r *http.Request, status int, d *successionsData) {
	v := u.newView(w, r, "successions")
	v.Title = v.T("i9.succ.title")
	ctx := r.Context()
	p, err := u.app.Plan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	if d.List, err = u.store.FindSuccessions(ctx, ""); err != nil {
		u.fail(w, r, v, err)
		return
	}
	sugg, err := u.app.SuccessionSuggestions(ctx, "")
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	for _, sg := range sugg {
		if sg.State == tinhso.SuggestionOpen {
			d.Suggested = append(d.Suggested, sg)
		} else {
			d.Decided = append(d.Decided, sg)
		}
	}
	d.P, d.Kinds = p, tinhso.SuccessionKinds
	d.From = newPicker(p, "from", "f-s-from", "", d.F.From)
	d.To = newPicker(p, "to", "f-s-to", v.Today, d.F.To)
	v.D = d
	u.render(w, r, status, "successions", v)
}

// createSuccession records a succession from the form and goes back to where the
// admin came from (the period preview, now without that blocker).
func (u *Web) createSuccession(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	f := successionForm{From: formValues(r, "from"), To: formValues(r, "to"), Kind: formValue(r, "kind"),
		Effective: formValue(r, "effective"), Citation: formValue(r, "citation"), Note: formValue(r, "note"),
		Next: safeNext(formValue(r, "next"))}
	sc := &tinhso.Succession{From: f.From, To: f.To, Kind: f.Kind, Effective: f.Effective, Citation: f.Citation, Note: f.Note}
	if err := u.store.CreateSuccession(u.auth.ActorCtx(r), sc); err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		u.renderSuccessions(w, r, httpx.Status(err), &successionsData{F: f, Error: errText(r, err)})
		return
	}
	to := "/admin/successions?done=i9.succession"
	if f.Next != "" {
		to = withDone(f.Next, "i9.succession")
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// confirmSuggestion confirms a suggested succession with the decision the admin types
// (number and title, date, and the effective date when the suggestion knows only the
// year): the succession is recorded and the work of the units it ends resolves to their
// successors. Refused, the page shows the form again with the reason.
func (u *Web) confirmSuggestion(w http.ResponseWriter, r *http.Request) {
	u.decideSuggestion(w, r, false)
}

// dismissSuggestion dismisses a suggested succession, with the reason.
func (u *Web) dismissSuggestion(w http.ResponseWriter, r *http.Request) {
	u.decideSuggestion(w, r, true)
}

func (u *Web) decideSuggestion(w http.ResponseWriter, r *http.Request, dismiss bool) {
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, nil, tinhso.Errorf(tinhso.ENOTFOUND, "error.notfound"))
		return
	}
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	f := suggestionForm{ID: id, Decision: formValue(r, "decision"), DecisionDate: formValue(r, "decision_date"),
		Effective: formValue(r, "effective"), Reason: formValue(r, "reason"), Dismiss: dismiss}
	ctx, ref := u.auth.ActorCtx(r), strconv.FormatInt(id, 10)
	done := "w9.suggestion_confirmed"
	if dismiss {
		_, err = u.app.DismissSuccession(ctx, ref, f.Reason)
		done = "w9.suggestion_dismissed"
	} else {
		_, _, err = u.app.ConfirmSuccession(ctx, ref, tinhso.SuggestionDecision{Decision: f.Decision, DecisionDate: f.DecisionDate, Effective: f.Effective})
	}
	if err != nil {
		if code := tinhso.ErrorCode(err); code == tinhso.EINTERNAL || code == tinhso.ENOTFOUND {
			u.fail(w, r, nil, err)
			return
		}
		u.renderSuccessions(w, r, httpx.Status(err), &successionsData{F: successionForm{Kind: "transfer"}, Sugg: f, SuggError: errText(r, err)})
		return
	}
	http.Redirect(w, r, "/admin/successions?done="+done+"#suggested", http.StatusSeeOther)
}

// SuggestionState is a suggested succession's state in words.
func (v *view) SuggestionState(state string) string {
	switch state {
	case tinhso.SuggestionConfirmed:
		return v.T("w9.sugg.state_confirmed")
	case tinhso.SuggestionDismissed:
		return v.T("w9.sugg.state_dismissed")
	}
	return v.T("w9.sugg.state_suggested")
}

// formValues is every value of a repeated form field, trimmed, the empty ones left out.
// A value may hold several codes, separated by commas or white space (typed where
// there are too many units to tick).
func formValues(r *http.Request, name string) []string {
	var out []string
	for _, s := range r.PostForm[name] {
		out = append(out, strings.FieldsFunc(s, func(c rune) bool { return c == ',' || unicode.IsSpace(c) })...)
	}
	return out
}

// withDone adds done= to a local URL, before its fragment.
func withDone(target, done string) string {
	p, err := url.Parse(target)
	if err != nil {
		return target
	}
	q := p.Query()
	q.Set("done", done)
	p.RawQuery = q.Encode()
	return p.String()
}
