package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// The portal's page of one big problem: the problem, its published proposals, and the
// proposal form for a signed-in, verified company (how to become one for others).

// proposalPage is the page's data.
type proposalPage struct {
	Pr        *tinhso.Problem
	Published []*tinhso.Proposal
	Mine      []*tinhso.Proposal
	// Takes: the problem accepts proposals. CanPropose: the visitor may send one now.
	Takes, CanPropose bool
	Unverified        bool // a company account not verified yet
	Other             bool // signed in, but not as a company
	Moderator         bool
	Form              app.ProposalDraft
	// Err is why a sent form was refused, and ErrField the label of its field.
	Err         string
	ErrField    string
	Limits      app.ProposalLimits
	WindowHours int
	Max         map[string]int
}

// fieldKeys name the form's fields in the page's language.
var proposalFieldKeys = map[string]string{"title": "proposal.f_title", "summary": "proposal.f_summary", "approach": "proposal.f_approach",
	"contact_email": "proposal.f_email"}

func (u *Web) proposalRoutes() []route {
	return []route{
		{"GET /portal/problems/{id}", u.proposalProblem},
		{"GET /portal/problems/{id}/proposals", u.toProposalForm},
		{"POST /portal/problems/{id}/proposals", u.guard(tinhso.ActPropose, u.proposalPost)},
	}
}

func (u *Web) proposalProblem(w http.ResponseWriter, r *http.Request) {
	u.proposalPage(w, r, http.StatusOK, app.ProposalDraft{}, nil)
}

// toProposalForm is where signing in from the form comes back: the form is on the
// problem's page.
func (u *Web) toProposalForm(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/portal/problems/"+r.PathValue("id")+"#propose", http.StatusSeeOther)
}

// proposalPage renders the page; a refused form comes back with its values and why.
func (u *Web) proposalPage(w http.ResponseWriter, r *http.Request, status int, form app.ProposalDraft, formErr error) {
	v := u.newView(w, r, "portal-problems")
	v.Public = true
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, v, tinhso.Errorf(tinhso.ENOTFOUND, "error.notfound"))
		return
	}
	ctx := r.Context()
	pr, err := u.store.FindProblem(ctx, id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	published, _, err := u.store.FindProposals(ctx, tinhso.ProposalFilter{Problem: id, Status: tinhso.ProposalPublished, Page: tinhso.Page{Limit: 1000}})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	p := &proposalPage{Pr: pr, Form: form, Takes: tinhso.TakesProposals(pr.Status), Limits: u.app.ProposalLimits(),
		Max: map[string]int{"title": tinhso.MaxProposalTitle, "summary": tinhso.MaxProposalSummary, "approach": tinhso.MaxProposalApproach}}
	p.WindowHours = int(math.Round(p.Limits.Window.Hours()))
	for _, x := range published {
		p.Published = append(p.Published, app.ProposalShownTo(x, nil, false))
	}
	if me := v.Me; me != nil {
		// The page holds a CSRF token or the company's own proposals: no caches.
		w = &httpx.NoStoreWriter{ResponseWriter: w}
		user := me.User
		switch {
		case user.Role != tinhso.RoleBusiness || user.MustChangePassword || me.CSRF == "":
			p.Other = true
			p.Moderator = user.Can(tinhso.ActModerate)
		case !user.Verified:
			p.Unverified = true
		default:
			p.CanPropose = p.Takes
		}
		if user.Role == tinhso.RoleBusiness {
			if p.Mine, _, err = u.store.FindProposals(ctx, tinhso.ProposalFilter{Problem: id, UserID: user.ID, Page: tinhso.Page{Limit: 1000}}); err != nil {
				u.fail(w, r, v, err)
				return
			}
			if p.Form == (app.ProposalDraft{}) {
				p.Form.ContactEmail = user.Email
			}
		}
	}
	if formErr != nil {
		var le *app.LimitError
		var te *tinhso.Error
		switch {
		case errors.As(formErr, &le):
			w.Header().Set("Retry-After", strconv.Itoa(le.Seconds()))
			p.Err = v.T("proposal.limited", le.Limit, int(math.Round(le.Window.Hours())), int(math.Ceil(le.Wait.Minutes())))
		case errors.As(formErr, &te) && te.Code != tinhso.EINTERNAL:
			p.Err = v.printer().Error(te)
			if key, ok := proposalFieldKeys[te.Field]; ok {
				p.ErrField = v.T(key)
			}
		default:
			u.fail(w, r, v, formErr)
			return
		}
	}
	v.Title = pr.Title
	v.D = p
	u.render(w, r, status, "proposal_problem", v)
}

// proposalPost takes the form of a signed-in company (guard checked the session, its
// CSRF token and the role): stored, it goes back to the page with a notice; refused,
// the page shows why with what was typed, and nothing is stored.
func (u *Web) proposalPost(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.web.problem_id", r.PathValue("id")))
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		u.proposalPage(w, r, http.StatusBadRequest, app.ProposalDraft{}, tinhso.Invalid("body", "err.web.form_type"))
		return
	}
	// guard read the form when the token came in it; otherwise it is read here, within
	// the body limit.
	r.Body = http.MaxBytesReader(w, r.Body, u.cfg.MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		u.proposalPage(w, r, http.StatusRequestEntityTooLarge, app.ProposalDraft{}, tinhso.Errorf(tinhso.ETOOLARGE, "err.web.form_large", u.cfg.MaxBodyBytes))
		return
	}
	field := func(name string) string {
		// As the JSON API does: text is stored as NFC. Invalid UTF-8 stays, for Validate
		// to refuse by name.
		v := r.PostForm.Get(name)
		if len(r.PostForm[name]) > 1 {
			v = strings.Join(r.PostForm[name], "\n")
		}
		return norm.NFC.String(v)
	}
	in := app.ProposalDraft{Title: field("title"), Summary: field("summary"), Approach: field("approach"), ContactEmail: field("contact_email")}
	x, err := u.app.Propose(u.auth.ActorCtx(r), user(r), id, in, u.auth.ClientAddr(r), u.cfg.Now())
	if err != nil {
		status := httpx.StatusOf(tinhso.ErrorCode(err))
		var le *app.LimitError
		if errors.As(err, &le) {
			status = http.StatusTooManyRequests
		}
		if status == 0 || status == http.StatusInternalServerError {
			u.fail(w, r, nil, err)
			return
		}
		u.proposalPage(w, r, status, in, err)
		return
	}
	http.Redirect(w, r, "/portal/problems/"+strconv.FormatInt(x.Problem, 10)+"?done=proposal_sent#mine", http.StatusSeeOther)
}
