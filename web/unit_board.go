package web

import (
	"net/http"

	"github.com/tinhso/tinhso/app"
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
	b, err := u.app.UnitBoard(r.Context(), me, code, v.Today)
	title := ""
	var d *unitBoardData
	if err == nil {
		title = v.T("unitboard.title", b.U.Name)
		// The first rows of the long lists, each linking to its whole list (paged).
		d = &unitBoardData{UnitBoard: b, Lead: b.Lead, Indicators: b.Indicators, LeadAll: len(b.Lead), IndicatorsAll: len(b.Indicators)}
		d.Lead = d.Lead[:min(len(d.Lead), UnitBoardRows)]
		d.Indicators = d.Indicators[:min(len(d.Indicators), UnitBoardRows)]
	}
	u.show(w, r, v, "unit_board", title, d, err)
}

// UnitBoardRows is how many of a unit's lead tasks and of its indicators its board
// shows; the rest are in the task and indicator lists, filtered by the unit.
const UnitBoardRows = 50

// unitBoardData is a unit's board with its long lists cut to their first rows.
type unitBoardData struct {
	*app.UnitBoard
	Lead                   []app.UnitTaskRow
	Indicators             []app.UnitIndicatorRow
	LeadAll, IndicatorsAll int
}
