package web

import (
	"net/http"
)

// unitBoard is /units/{code}/board: for those who read everything any unit's, for a
// reporter its own (another unit's is "not found").
func (u *Web) unitBoard(w http.ResponseWriter, r *http.Request) {
	me := user(r)
	code := r.PathValue("code")
	v := u.newView(w, r, "")
	if me.OrgUnit == code {
		v.Nav = "unit-board"
	}
	d, err := u.app.UnitBoard(r.Context(), me, code, v.Today)
	title := ""
	if err == nil {
		title = v.T("unitboard.title", d.U.Name)
	}
	u.show(w, r, v, "unit_board", title, d, err)
}
