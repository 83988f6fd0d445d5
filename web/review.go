package web

import (
	"net/http"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

type reviewData struct {
	// CanReview: the reader may approve and return; others (an admin, the standing
	// agency's leader) see the queue as it is.
	CanReview bool
	Queue     []app.SubmissionRow
	Error     string
	ErrorID   int64
}

// review is the reviewer's queue: submitted reports, oldest first, to approve or
// return with a reason.
func (u *Web) review(w http.ResponseWriter, r *http.Request) {
	u.renderReview(w, r, http.StatusOK, &reviewData{})
}

func (u *Web) renderReview(w http.ResponseWriter, r *http.Request, status int, d *reviewData) {
	v := u.newView(w, r, "review")
	v.Title = v.T("review.title")
	q, err := u.app.ReviewQueue(r.Context(), v.Today)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Queue = q
	d.CanReview = user(r).Can(tinhso.ActReview)
	v.D = d
	u.render(w, r, status, "review", v)
}

func (u *Web) approve(w http.ResponseWriter, r *http.Request) {
	u.reviewPost(w, r, tinhso.TransApprove)
}
func (u *Web) returnSubmission(w http.ResponseWriter, r *http.Request) {
	u.reviewPost(w, r, tinhso.TransReturn)
}

// reviewPost approves or returns a submission from the queue or its page.
func (u *Web) reviewPost(w http.ResponseWriter, r *http.Request, transition string) {
	sub, err := u.readable(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	if _, err = u.app.Transition(u.auth.ActorCtx(r), sub.ID, transition, formValue(r, "reason"), version); err != nil {
		if code := tinhso.ErrorCode(err); code == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		u.renderReview(w, r, httpx.Status(err), &reviewData{Error: errText(r, err), ErrorID: sub.ID})
		return
	}
	done := "approved"
	if transition == tinhso.TransReturn {
		done = "returned"
	}
	if r.PostForm.Get("from") == "submission" {
		http.Redirect(w, r, "/reporting/"+strconv.FormatInt(sub.ID, 10)+"?done="+done, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/review?done="+done, http.StatusSeeOther)
}
