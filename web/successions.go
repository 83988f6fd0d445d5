package web

import (
	"net/http"
	"net/url"
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
