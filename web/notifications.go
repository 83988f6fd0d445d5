package web

import (
	"net/http"
	"regexp"
	"strconv"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
)

// In-app notifications (reminders).

type notificationRow struct {
	N    *tinhso.Notification
	Link string
}

type notificationsData struct {
	P     *app.Plan
	Items []notificationRow
	Pager pager
	All   bool
}

// notifications lists in-app reminders: a reporter's unit's, or everyone's for those
// who read all; each links to the submission's page.
func (u *Web) notifications(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "notifications")
	v.Title = v.T("notifications.title")
	ctx := r.Context()
	unit := app.NotificationsUnit(user(r))
	pg, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pg = max(pg, 1)
	list, total, err := u.store.FindNotifications(ctx, unit, tinhso.Page{Limit: perPage, Offset: (pg - 1) * perPage})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &notificationsData{Pager: paginate(r, total), All: unit == ""}
	if d.Pager.From != (pg-1)*perPage {
		if list, _, err = u.store.FindNotifications(ctx, unit, tinhso.Page{Limit: perPage, Offset: d.Pager.From}); err != nil {
			u.fail(w, r, v, err)
			return
		}
	}
	if d.P, err = u.app.Plan(ctx); err != nil {
		u.fail(w, r, v, err)
		return
	}
	for _, n := range list {
		d.Items = append(d.Items, notificationRow{N: n, Link: pageLink(n.Link)})
	}
	v.D = d
	u.render(w, r, http.StatusOK, "notifications", v)
}

var apiSubmissionRe = regexp.MustCompile(`^/api/v1/submissions/(\d+)$`)

// pageLink turns a notification's link into a page of this site: a submission's API
// address into its page; anything that is not a same-site path into none.
func pageLink(link string) string {
	if m := apiSubmissionRe.FindStringSubmatch(link); m != nil {
		return "/reporting/" + m[1]
	}
	return safeNext(link)
}
