package web

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/locale"
)

// The portal's digital-transformation rankings (issue 14): the published rounds, a
// round's ranking tables (one per kind of subject, each row with its pillar profile as
// bars), and a subject's profile with its history across years. People's results are
// never here.

func (u *Web) assessmentPortalRoutes() []route {
	return []route{
		{"GET /portal/rankings", u.portalRankings},
		{"GET /portal/rankings/{id}", u.portalRanking},
		{"GET /portal/rankings/{id}/subjects/{sid}", u.portalScorecard},
	}
}

// pillarBar is one pillar of a subject's profile: its share (0–1) as a bar.
type pillarBar struct {
	Code, Name string
	Share      float64
	Points     float64
	Max        float64
	Missing    int
}

// rankRow is a subject's row in a ranking table.
type rankRow struct {
	tinhso.Score
	Bars []pillarBar
}

// rankGroup is the ranking of one kind of subject.
type rankGroup struct {
	Kind string
	Rows []rankRow
}

type rankingData struct {
	Round   *tinhso.Round
	Version *tinhso.FrameworkVersion
	Groups  []rankGroup
	Pillars []tinhso.FrameworkNode
	Ties    tinhso.Message
	// Base is where a subject's page is: the portal's or the signed-in scorecard.
	Base string
}

type roundsData struct {
	Rounds []*tinhso.Round
}

func (u *Web) portalRankings(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "portal-rankings")
	v.Public = true
	rounds, err := u.app.PublicRounds(r.Context())
	u.show(w, r, v, "portal_rankings", v.T("assessment.portal.title"), &roundsData{Rounds: rounds}, err)
}

// rankingOf groups scores by kind and makes each row's bars.
func rankingOf(round *tinhso.Round, ver *tinhso.FrameworkVersion, res *tinhso.Ranking, base string) *rankingData {
	d := &rankingData{Round: round, Version: ver, Ties: res.Ties, Base: base}
	names := map[string]string{}
	for _, n := range ver.Nodes {
		names[n.Code] = n.Name
		if n.Depth() == 1 {
			d.Pillars = append(d.Pillars, n)
		}
	}
	for _, s := range res.Scores {
		if len(d.Groups) == 0 || d.Groups[len(d.Groups)-1].Kind != s.Kind {
			d.Groups = append(d.Groups, rankGroup{Kind: s.Kind})
		}
		g := &d.Groups[len(d.Groups)-1]
		row := rankRow{Score: s}
		for _, p := range s.Pillars {
			row.Bars = append(row.Bars, pillarBar{Code: p.Code, Name: names[p.Code], Share: round3(p.Share), Points: p.Points, Max: p.Max, Missing: p.Missing})
		}
		row.Index = round3(row.Index)
		if row.Change != nil {
			c := round3(*row.Change)
			row.Change = &c
		}
		g.Rows = append(g.Rows, row)
	}
	return d
}

// round3 keeps three decimals, as the DTI publishes its 0–1 figures.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func (u *Web) portalRanking(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "portal-rankings")
	v.Public = true
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, v, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.round_not_found", 0))
		return
	}
	round, res, err := u.app.PublicRanking(r.Context(), id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	ver, err := u.store.FindFrameworkVersion(r.Context(), round.VersionID)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	u.show(w, r, v, "portal_ranking", round.Name, rankingOf(round, ver, res, "/portal/rankings/"+strconv.FormatInt(id, 10)+"/subjects/"), nil)
}

// scorecardData is a subject's page: its pillars as bars, its criteria with values,
// sources and reasons (on the signed-in scorecard), and its history across rounds.
type scorecardData struct {
	Round   *tinhso.Round
	Score   tinhso.Score
	Bars    []pillarBar
	Nodes   []scoreNode
	History []app.HistoryPoint
	Public  bool
	Ties    tinhso.Message
}

// scoreNode is one node of a subject's scorecard.
type scoreNode struct {
	tinhso.NodeScore
	Name      string
	Depth     int
	Criterion bool
	Rule      string
	Note      string
	Reason    string
	Decision  string
}

func (u *Web) portalScorecard(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "portal-rankings")
	v.Public = true
	id, err1 := httpx.IDParam(r)
	sid, err2 := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err1 != nil || err2 != nil {
		u.fail(w, r, v, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.subject_not_found", 0))
		return
	}
	round, res, err := u.app.PublicRanking(r.Context(), id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	ver, err := u.store.FindFrameworkVersion(r.Context(), round.VersionID)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d, err := u.scorecard(r, round, ver, res, sid, nil)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Public = true
	u.show(w, r, v, "assessment_scorecard", d.Score.Name, d, nil)
}

// scorecard makes a subject's scorecard from a ranking (sa, when given, adds the
// review's decisions and reasons).
func (u *Web) scorecard(r *http.Request, round *tinhso.Round, ver *tinhso.FrameworkVersion, res *tinhso.Ranking, sid int64, sa *tinhso.SelfAssessment) (*scorecardData, error) {
	var sc *tinhso.Score
	for i := range res.Scores {
		if res.Scores[i].Subject == sid {
			sc = &res.Scores[i]
		}
	}
	if sc == nil {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.subject_not_found", sid)
	}
	d := &scorecardData{Round: round, Score: *sc, Ties: res.Ties}
	d.Score.Index = round3(d.Score.Index)
	if d.Score.Change != nil {
		c := round3(*d.Score.Change)
		d.Score.Change = &c
	}
	byCode := map[string]*tinhso.FrameworkNode{}
	for i := range ver.Nodes {
		byCode[ver.Nodes[i].Code] = &ver.Nodes[i]
	}
	for _, p := range sc.Pillars {
		d.Bars = append(d.Bars, pillarBar{Code: p.Code, Name: byCode[p.Code].Name, Share: round3(p.Share), Points: p.Points, Max: p.Max, Missing: p.Missing})
	}
	p := locale.For(pageLang(r))
	for _, n := range sc.Nodes {
		fn := byCode[n.Code]
		sn := scoreNode{NodeScore: n, Name: fn.Name, Depth: fn.Depth(), Criterion: fn.Rule != nil, Note: fn.Note}
		sn.Share = round3(n.Share)
		if fn.Rule != nil {
			sn.Rule = p.T("assessment.rule." + fn.Rule.Kind)
		}
		if n.Reason != nil {
			sn.Reason = p.Message(*n.Reason)
		}
		if sa != nil {
			if e := sa.Entry(n.Code); e != nil {
				sn.Decision = e.Decision
				if e.Reason != "" {
					sn.Reason = e.Reason
				}
			}
		}
		d.Nodes = append(d.Nodes, sn)
	}
	hist, err := u.app.PublicHistory(r.Context(), round.Framework, sc.Ref)
	if err != nil {
		return nil, err
	}
	for i := range hist {
		hist[i].Score.Index = round3(hist[i].Score.Index)
	}
	d.History = hist
	return d, nil
}

// assessmentDataset is the open dataset of the published assessment results.
var assessmentDataset = dataset{"assessment", locale.For(locale.VI).T("assessment.data.title"), locale.For(locale.EN).T("assessment.data.title"),
	locale.For(locale.VI).T("assessment.data.description"), locale.For(locale.EN).T("assessment.data.description")}

// assessmentRecord is a published round's results as the open data's JSON gives them.
type assessmentRecord struct {
	Round     int64          `json:"round_id"`
	Name      string         `json:"round"`
	Year      int            `json:"year"`
	Framework string         `json:"framework"`
	Version   int            `json:"version"`
	Scores    []tinhso.Score `json:"scores"`
}

// assessmentData is the dataset's rows and records: every published round, or one
// (?round=); people's results are never in it.
func (u *Web) assessmentData(ctx context.Context, round string) ([]string, [][]string, any, error) {
	header := []string{"round_id", "round", "year", "framework", "version", "kind", "subject_ref", "org_unit", "subject", "rank", "tied",
		"points", "max", "index", "missing", "previous_index", "change", "pillars"}
	rounds, err := u.app.PublicRounds(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	var rows [][]string
	records := []assessmentRecord{}
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, x := range rounds {
		if round != "" && round != strconv.FormatInt(x.ID, 10) {
			continue
		}
		_, res, err := u.app.PublicRanking(ctx, x.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		rec := assessmentRecord{Round: x.ID, Name: x.Name, Year: x.Year, Framework: x.Framework, Version: x.VersionNumber}
		for _, s := range res.Scores {
			s.Nodes = nil
			rec.Scores = append(rec.Scores, s)
			var pillars []string
			for _, p := range s.Pillars {
				pillars = append(pillars, p.Code+"="+num(round3(p.Share)))
			}
			prev, change := "", ""
			if s.Previous != nil {
				prev, change = num(round3(*s.Previous)), num(round3(*s.Change))
			}
			rows = append(rows, []string{strconv.FormatInt(x.ID, 10), x.Name, strconv.Itoa(x.Year), x.Framework, strconv.Itoa(x.VersionNumber), s.Kind, s.Ref,
				s.OrgUnit, s.Name, strconv.Itoa(s.Rank), strconv.FormatBool(s.Tied), num(s.Points), num(s.Max), num(round3(s.Index)),
				strconv.Itoa(s.Missing), prev, change, strings.Join(pillars, ";")})
		}
		records = append(records, rec)
	}
	if rows == nil {
		rows = [][]string{}
	}
	return header, rows, records, nil
}
