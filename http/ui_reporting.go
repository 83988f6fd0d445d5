package http

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/xlsx"
)

// The reporting pages: a unit's forms for the open periods (fill in, save, submit,
// spreadsheet and evidence uploads), the reviewer's queue, period administration and
// in-app reminders. They call the same store methods as the JSON API (reporting.go),
// with the same permission checks (mySubmission, ownSubmission).

func (u *ui) registerReportingUI() {
	mux := u.s.mux
	mux.HandleFunc("GET /reporting", u.guard(tinhso.ActReadOwn, u.reporting))
	mux.HandleFunc("GET /reporting/{id}", u.guard(tinhso.ActReadOwn, u.submission))
	mux.HandleFunc("POST /reporting/{id}", u.guard(tinhso.ActReport, u.saveSubmission))
	mux.HandleFunc("POST /reporting/{id}/evidence", u.guardUpload(tinhso.ActReport, u.uploadEvidence))
	mux.HandleFunc("POST /reporting/{id}/form.xlsx", u.guardUpload(tinhso.ActReport, u.uploadForm))
	mux.HandleFunc("GET /review", u.guard(tinhso.ActReview, u.review))
	mux.HandleFunc("POST /review/{id}/approve", u.guard(tinhso.ActReview, u.reviewPost(tinhso.TransApprove)))
	mux.HandleFunc("POST /review/{id}/return", u.guard(tinhso.ActReview, u.reviewPost(tinhso.TransReturn)))
	mux.HandleFunc("GET /admin/periods", u.guard(tinhso.ActManageReporting, u.periods))
	mux.HandleFunc("POST /admin/periods", u.guard(tinhso.ActManageReporting, u.openPeriod))
	mux.HandleFunc("POST /admin/regimes", u.guard(tinhso.ActManageReporting, u.createRegime))
	mux.HandleFunc("GET /notifications", u.guard(tinhso.ActReadOwn, u.notifications))
}

// Punctuality of a submission against its period's deadline.
const (
	punctOnTime  = "on_time" // submitted by the due date
	punctLate    = "late"    // submitted after it
	punctOverdue = "overdue" // not submitted, and the due date has passed
	punctPending = "pending" // not submitted, still in time
)

// punctuality judges a submission on a day (yyyy-mm-dd in the province) by its latest
// submission time.
func punctuality(s *tinhso.Submission, p *tinhso.Period, today string) string {
	if p == nil {
		return punctPending
	}
	if s.SubmittedAt != nil && s.Status != tinhso.StatusDraft {
		if s.SubmittedAt.In(tinhso.Location).Format("2006-01-02") <= p.Due {
			return punctOnTime
		}
		return punctLate
	}
	if today > p.Due {
		return punctOverdue
	}
	return punctPending
}

// subRow is a submission in a list, with its period and punctuality.
type subRow struct {
	S     *tinhso.Submission
	P     *tinhso.Period
	Punct string
}

type reportingData struct {
	Reporter bool
	Unit     string
	UnitName string
	Open     []subRow
	Past     []subRow
	Periods  []*tinhso.Period
	Period   int64
	Status   string
	Statuses []string
}

var submissionStatuses = []string{tinhso.StatusDraft, tinhso.StatusSubmitted, tinhso.StatusReturned, tinhso.StatusApproved}

// reporting lists submissions: a reporter's own unit's, open periods first; for those
// who read everything, one period's (the newest open one by default) with a status filter.
func (u *ui) reporting(w http.ResponseWriter, r *http.Request) {
	me := userFrom(r.Context())
	v := u.newView(w, r, "reporting")
	ctx := r.Context()
	periods, err := u.s.store.FindPeriods(ctx, "")
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	byID := map[int64]*tinhso.Period{}
	for _, p := range periods {
		byID[p.ID] = p
	}
	d := &reportingData{Reporter: !me.Can(tinhso.ActReadAll), Unit: me.OrgUnit, Periods: periods, Statuses: submissionStatuses}
	f := tinhso.SubmissionFilter{Page: tinhso.Page{Limit: 100000}}
	if d.Reporter {
		v.Title = v.T("reporting.title")
		f.OrgUnit, d.UnitName = me.OrgUnit, me.OrgUnit
		if o, err := u.s.store.FindOrgUnit(ctx, me.OrgUnit); err == nil {
			d.UnitName = o.Name
		}
	} else {
		v.Title = v.T("reporting.title_all")
		q := r.URL.Query()
		d.Period, _ = strconv.ParseInt(q.Get("period"), 10, 64)
		if _, ok := byID[d.Period]; !ok {
			d.Period = 0
			for _, p := range periods {
				if p.Status == "open" {
					d.Period = p.ID
					break
				}
			}
		}
		if st := q.Get("status"); containsString(submissionStatuses, st) {
			d.Status = st
		}
		f.Period, f.Status = d.Period, d.Status
		if d.Period == 0 {
			v.D = d
			u.render(w, r, http.StatusOK, "reporting", v)
			return
		}
	}
	subs, _, err := u.s.store.FindSubmissions(ctx, f)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	for _, s := range subs {
		p := byID[s.Period]
		row := subRow{S: s, P: p, Punct: punctuality(s, p, v.Today)}
		if p != nil && p.Status == "open" {
			d.Open = append(d.Open, row)
		} else {
			d.Past = append(d.Past, row)
		}
	}
	sort.SliceStable(d.Open, func(i, j int) bool { return textCmp(d.Open[i].S.UnitName, d.Open[j].S.UnitName) < 0 })
	v.D = d
	u.render(w, r, http.StatusOK, "reporting", v)
}

// formInd is an indicator of a submission's form, with what is (or was just) typed.
type formInd struct {
	I                  int
	Ind                *tinhso.Indicator
	Number, Text, Note string
	Qualitative        bool
	Err                string
}

// formTask is a task of a submission's form.
type formTask struct {
	I                   int
	T                   *tinhso.Task
	Percent, Link, File string
	Note                string
	Done                bool
	Err                 string
	Status              string // computed from the progress, never typed
}

type submissionData struct {
	S         *tinhso.Submission
	P         *tinhso.Period
	Punct     string
	Inds      []formInd
	Tasks     []formTask
	Editable  bool
	CanReview bool
	Own       bool
	Error     string   // the domain's message
	ErrorKey  string   // or a message key
	Details   []string // cell by cell, for a spreadsheet
	Audit     []tinhso.AuditRecord
	Version   int
}

// submissionPage loads a submission the caller may see, as a form.
func (u *ui) submissionPage(r *http.Request) (*submissionData, error) {
	me := userFrom(r.Context())
	sub, err := u.s.mySubmission(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	p, err := u.s.store.FindPeriod(ctx, sub.Period)
	if err != nil {
		return nil, err
	}
	form, err := u.s.form(ctx, sub)
	if err != nil {
		return nil, err
	}
	d := &submissionData{S: sub, P: p, Version: sub.Version}
	d.Own = me.Role == tinhso.RoleReporter && me.OrgUnit == sub.OrgUnit
	d.Editable = d.Own && me.Can(tinhso.ActReport) && (sub.Status == tinhso.StatusDraft || sub.Status == tinhso.StatusReturned)
	d.CanReview = me.Can(tinhso.ActReview) && sub.Status == tinhso.StatusSubmitted
	values := map[string]tinhso.IndicatorValue{}
	for _, x := range sub.Values {
		values[x.Indicator] = x
	}
	progress := map[string]tinhso.TaskProgress{}
	for _, x := range sub.Progress {
		progress[x.Task] = x
	}
	for i, ind := range form.Indicators {
		fi := formInd{I: i, Ind: ind, Qualitative: ind.Target.Kind == tinhso.TargetQualitative || ind.Target.Kind == tinhso.TargetNone && ind.Unit == ""}
		if x, ok := values[ind.Key]; ok {
			fi.Text, fi.Note = x.Text, x.Note
			if x.Number != nil {
				fi.Number = inputNumber(*x.Number)
			}
		}
		d.Inds = append(d.Inds, fi)
	}
	for i, t := range form.Tasks {
		ft := formTask{I: i, T: t}
		if x, ok := progress[t.Key]; ok {
			ft.Link, ft.File, ft.Note, ft.Done = x.DeliverableLink, x.DeliverableFile, x.Note, x.Done
			if x.Percent != nil {
				ft.Percent = strconv.Itoa(*x.Percent)
			}
		}
		d.Tasks = append(d.Tasks, ft)
	}
	if me.Can(tinhso.ActReadAudit) {
		recs, _, err := u.s.store.FindAudit(ctx, tinhso.AuditFilter{Entity: "submission", EntityID: strconv.FormatInt(sub.ID, 10), Page: tinhso.Page{Limit: 100}})
		if err != nil {
			return nil, err
		}
		d.Audit = recs
	}
	return d, nil
}

// inputNumber writes a number for a form field the way parseNumber reads it back: no
// grouping, a decimal point.
func inputNumber(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// parseNumber reads a number typed the Vietnamese or the English way: "72,5", "72.5",
// "1.500.000", "1,500,000", "1.234,5", "1,234.5". With both separators the last one is
// the decimal mark; a single separator of one kind repeated groups thousands.
func parseNumber(s string) (float64, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return 0, false
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots > 0 && commas > 0:
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") {
			s = strings.ReplaceAll(strings.ReplaceAll(s, ".", ""), ",", ".")
		} else {
			s = strings.ReplaceAll(s, ",", "")
		}
	case commas > 1:
		s = strings.ReplaceAll(s, ",", "")
	case commas == 1:
		s = strings.ReplaceAll(s, ",", ".")
	case dots > 1:
		s = strings.ReplaceAll(s, ".", "")
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "eEinfINFxX") {
		return 0, false
	}
	return n, true
}

func (u *ui) submission(w http.ResponseWriter, r *http.Request) {
	d, err := u.submissionPage(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	u.renderSubmission(w, r, http.StatusOK, d)
}

func (u *ui) renderSubmission(w http.ResponseWriter, r *http.Request, status int, d *submissionData) {
	v := u.newView(w, r, "reporting")
	v.Title = v.T("submission.title", d.S.UnitName, d.S.Label)
	d.Punct = punctuality(d.S, d.P, v.Today)
	for i := range d.Tasks {
		d.Tasks[i].Status = taskProgressStatus(d.Tasks[i])
	}
	v.D = d
	u.render(w, r, status, "submission", v)
}

// taskProgressStatus is the status a task's reported progress shows: done (with its
// deliverable), in progress, or not reported.
func taskProgressStatus(t formTask) string {
	switch {
	case t.Done:
		return "done"
	case t.Percent != "" || t.Note != "" || t.Link != "":
		return "in_progress"
	}
	return "not_reported"
}

var itemFieldRe = regexp.MustCompile(`^(values|progress)\[(\d+)\]`)

// formValue reads one field of a posted form as NFC text.
func formValue(r *http.Request, name string) string {
	return strings.TrimSpace(norm.NFC.String(r.PostForm.Get(name)))
}

// parseForm parses an urlencoded form post within the body limit (the CSRF check may
// have done it already).
func (u *ui) parseForm(w http.ResponseWriter, r *http.Request) error {
	if r.PostForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, u.s.MaxBodyBytes)
	}
	if err := r.ParseForm(); err != nil {
		return tinhso.Invalid("body", "the form could not be read: %v", err)
	}
	for _, vs := range r.PostForm {
		for _, s := range vs {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				return tinhso.Invalid("body", "the form holds text that is not valid UTF-8")
			}
		}
	}
	return nil
}

// saveSubmission saves the form as the unit's values and progress and, when asked,
// submits it. Nothing is stored unless every field is right; the page then shows
// what was typed, each problem next to its field.
func (u *ui) saveSubmission(w http.ResponseWriter, r *http.Request) {
	if _, err := u.s.ownSubmission(r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	d, err := u.submissionPage(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	bad := false
	var values []tinhso.IndicatorValue
	var valueOf []int // index in d.Inds of each value
	for i := range d.Inds {
		fi := &d.Inds[i]
		n := strconv.Itoa(i)
		fi.Number, fi.Text, fi.Note = formValue(r, "n-"+n), formValue(r, "t-"+n), formValue(r, "note-"+n)
		if fi.Number == "" && fi.Text == "" && fi.Note == "" {
			continue
		}
		val := tinhso.IndicatorValue{Indicator: fi.Ind.Key, Text: fi.Text, Note: fi.Note}
		if fi.Number != "" {
			x, ok := parseNumber(fi.Number)
			if !ok {
				fi.Err, bad = "form.bad_number", true
				continue
			}
			val.Number = &x
		}
		values = append(values, val)
		valueOf = append(valueOf, i)
	}
	var progress []tinhso.TaskProgress
	var progressOf []int
	for i := range d.Tasks {
		ft := &d.Tasks[i]
		n := strconv.Itoa(i)
		ft.Percent, ft.Link, ft.File, ft.Note = formValue(r, "pct-"+n), formValue(r, "link-"+n), formValue(r, "file-"+n), formValue(r, "tnote-"+n)
		ft.Done = r.PostForm.Get("done-"+n) == "1"
		if ft.Percent == "" && ft.Link == "" && ft.File == "" && ft.Note == "" && !ft.Done {
			continue
		}
		tp := tinhso.TaskProgress{Task: ft.T.Key, Done: ft.Done, DeliverableLink: ft.Link, DeliverableFile: ft.File, Note: ft.Note}
		if ft.Percent != "" {
			pct, err := strconv.Atoi(strings.TrimSuffix(ft.Percent, "%"))
			if err != nil || pct < 0 || pct > 100 {
				ft.Err, bad = "form.bad_percent", true
				continue
			}
			tp.Percent = &pct
		}
		progress = append(progress, tp)
		progressOf = append(progressOf, i)
	}
	if bad {
		d.ErrorKey = "form.fix"
		u.renderSubmission(w, r, http.StatusBadRequest, d)
		return
	}
	ctx := actorCtx(r)
	version, err := formVersion(r)
	var out *tinhso.Submission
	if err == nil {
		out, err = u.s.app.SaveSubmission(ctx, d.S.ID, values, progress, version)
	}
	submit := r.PostForm.Get("action") == "submit"
	if err == nil && submit {
		_, err = u.s.app.Transition(ctx, d.S.ID, tinhso.TransSubmit, "", out.Version)
	}
	if err != nil {
		code := tinhso.ErrorCode(err)
		if code == tinhso.EINTERNAL || code == tinhso.ENOTFOUND {
			u.fail(w, r, nil, err)
			return
		}
		var e *tinhso.Error
		if errors.As(err, &e) {
			if m := itemFieldRe.FindStringSubmatch(e.Field); m != nil {
				k, _ := strconv.Atoi(m[2])
				if m[1] == "values" && k < len(valueOf) {
					d.Inds[valueOf[k]].Err = "form.see_above"
				} else if m[1] == "progress" && k < len(progressOf) {
					d.Tasks[progressOf[k]].Err = "form.see_above"
				}
			}
		}
		d.Error = tinhso.ErrorMessage(err)
		if code == tinhso.EPRECONDITION {
			d.ErrorKey = "form.stale"
		}
		u.renderSubmission(w, r, statusOf[code], d)
		return
	}
	done := "saved"
	if submit {
		done = "submitted"
	}
	http.Redirect(w, r, "/reporting/"+strconv.FormatInt(d.S.ID, 10)+"?done="+done, http.StatusSeeOther)
}

var errUploadCSRF = errors.New("csrf")

// uploadPart reads a multipart form post as a stream up to its file part: every
// field before it is collected (at most 4 KiB each), and for a session the first must
// be csrf_token, matching the session's, so a forged upload is refused before a byte
// of the file is read.
func (u *ui) uploadPart(w http.ResponseWriter, r *http.Request, limit int64) (*multipart.Part, url.Values, error) {
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		if c := callerFrom(r.Context()); c.session != nil {
			return nil, nil, errUploadCSRF
		}
		return nil, nil, tinhso.Invalid("file", "send the file as a multipart form (field \"file\")")
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	mr := multipart.NewReader(r.Body, params["boundary"])
	fields := url.Values{}
	c := callerFrom(r.Context())
	checked := c.session == nil
	for {
		part, err := mr.NextPart()
		if err != nil {
			if !checked {
				return nil, nil, errUploadCSRF
			}
			return nil, nil, tinhso.Invalid("file", "the form has no file")
		}
		if part.FormName() == "file" {
			if !checked {
				return nil, nil, errUploadCSRF
			}
			return part, fields, nil
		}
		b, err := io.ReadAll(io.LimitReader(part, 4<<10))
		if err != nil {
			return nil, nil, tinhso.Invalid("body", "the form could not be read")
		}
		fields.Add(part.FormName(), string(b))
		if !checked {
			if part.FormName() != "csrf_token" || len(b) == 0 || string(b) != c.session.CSRFToken {
				return nil, nil, errUploadCSRF
			}
			checked = true
		}
	}
}

// uploadEvidence attaches a file to the unit's submission, as the API does: the type
// judged from the content, the name kept for display only.
func (u *ui) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	sub, err := u.s.ownSubmission(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	part, _, err := u.uploadPart(w, r, MaxEvidenceBytes)
	if err == errUploadCSRF {
		u.csrfRefused(w, r)
		return
	}
	if err == nil && u.s.Blobs == nil {
		err = tinhso.Errorf(tinhso.EINTERNAL, "no blob store")
	}
	if err == nil {
		name := cleanFileName(part.FileName())
		var b tinhso.Blob
		if b, err = u.s.Blobs.Put(r.Context(), part, MaxEvidenceBytes); err == nil {
			_, err = u.s.app.AddEvidence(actorCtx(r), sub.ID, tinhso.Evidence{Hash: b.Hash, Name: nameForType(name, b.MediaType), MediaType: b.MediaType, Size: b.Size})
		}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = tinhso.Errorf(tinhso.ETOOLARGE, "The file is larger than %d MB.", MaxEvidenceBytes>>20)
	}
	if err != nil {
		u.uploadFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/reporting/"+strconv.FormatInt(sub.ID, 10)+"?done=uploaded#h-evidence", http.StatusSeeOther)
}

// uploadForm reads the filled spreadsheet form, checked cell by cell as the API does;
// nothing is stored unless all is right.
func (u *ui) uploadForm(w http.ResponseWriter, r *http.Request) {
	sub, err := u.s.ownSubmission(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	part, fields, err := u.uploadPart(w, r, xlsx.MaxSize)
	if err == errUploadCSRF {
		u.csrfRefused(w, r)
		return
	}
	if err == nil {
		var data []byte
		data, err = io.ReadAll(io.LimitReader(part, xlsx.MaxSize+1))
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || len(data) > xlsx.MaxSize {
			err = tinhso.Errorf(tinhso.ETOOLARGE, "Tệp biểu báo cáo lớn hơn %d MB.", xlsx.MaxSize>>20)
		}
		if err == nil {
			var f xlsx.Form
			if f, err = u.s.form(r.Context(), sub); err == nil {
				var values []tinhso.IndicatorValue
				var progress []tinhso.TaskProgress
				if values, progress, err = xlsx.Read(bytes.NewReader(data), int64(len(data)), f); err == nil {
					version, _ := strconv.Atoi(fields.Get("version"))
					_, err = u.s.app.SaveSubmission(actorCtx(r), sub.ID, values, progress, version)
				}
			}
		}
	}
	if err != nil {
		u.uploadFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/reporting/"+strconv.FormatInt(sub.ID, 10)+"?done=form_uploaded", http.StatusSeeOther)
}

// uploadFailed shows the submission page with why an upload was refused.
func (u *ui) uploadFailed(w http.ResponseWriter, r *http.Request, err error) {
	code := tinhso.ErrorCode(err)
	if code == tinhso.EINTERNAL || code == tinhso.ENOTFOUND {
		u.fail(w, r, nil, err)
		return
	}
	d, err2 := u.submissionPage(r)
	if err2 != nil {
		u.fail(w, r, nil, err2)
		return
	}
	d.ErrorKey = "form.upload_refused"
	d.Error = tinhso.ErrorMessage(err)
	var e *tinhso.Error
	if errors.As(err, &e) {
		d.Details = e.Details
	}
	u.renderSubmission(w, r, statusOf[code], d)
}

type reviewData struct {
	Queue   []subRow
	Error   string
	ErrorID int64
}

// review is the reviewer's queue: submitted reports, oldest first, to approve or
// return with a reason.
func (u *ui) review(w http.ResponseWriter, r *http.Request) {
	u.renderReview(w, r, http.StatusOK, &reviewData{})
}

func (u *ui) renderReview(w http.ResponseWriter, r *http.Request, status int, d *reviewData) {
	v := u.newView(w, r, "review")
	v.Title = v.T("review.title")
	ctx := r.Context()
	subs, _, err := u.s.store.FindSubmissions(ctx, tinhso.SubmissionFilter{Status: tinhso.StatusSubmitted, Page: tinhso.Page{Limit: 100000}})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	periods, err := u.s.store.FindPeriods(ctx, "")
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	byID := map[int64]*tinhso.Period{}
	for _, p := range periods {
		byID[p.ID] = p
	}
	d.Queue = nil
	for _, s := range subs {
		// The list leaves values out; the queue shows how much each one holds.
		if full, err := u.s.store.FindSubmission(ctx, s.ID); err == nil {
			s = full
		}
		d.Queue = append(d.Queue, subRow{S: s, P: byID[s.Period], Punct: punctuality(s, byID[s.Period], v.Today)})
	}
	sort.SliceStable(d.Queue, func(i, j int) bool {
		a, b := d.Queue[i].S.SubmittedAt, d.Queue[j].S.SubmittedAt
		return a != nil && b != nil && a.Before(*b)
	})
	v.D = d
	u.render(w, r, status, "review", v)
}

// reviewPost approves or returns a submission from the queue or its page.
func (u *ui) reviewPost(transition string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sub, err := u.s.mySubmission(r)
		if err != nil {
			u.fail(w, r, nil, err)
			return
		}
		if err := u.parseForm(w, r); err != nil {
			u.fail(w, r, nil, err)
			return
		}
		reason := formValue(r, "reason")
		version, _ := strconv.Atoi(r.PostForm.Get("version"))
		if transition == tinhso.TransReturn && reason == "" {
			err = tinhso.Invalid("reason", "a returned submission needs the reason, for the unit to correct it")
		} else if utf8.RuneCountInString(reason) > 5000 {
			err = tinhso.Invalid("reason", "the reason is longer than 5000 characters")
		} else {
			_, err = u.s.app.Transition(actorCtx(r), sub.ID, transition, reason, version)
		}
		if err != nil {
			if code := tinhso.ErrorCode(err); code == tinhso.EINTERNAL {
				u.fail(w, r, nil, err)
				return
			}
			u.renderReview(w, r, statusOf[tinhso.ErrorCode(err)], &reviewData{Error: tinhso.ErrorMessage(err), ErrorID: sub.ID})
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
}

// regimeForm is the create-regime form as typed.
type regimeForm struct {
	Key, Name, Content, Document, Reporters, Receiver, Frequency string
	CutoffDay, DeadlineDays                                      string
}

// periodForm names a period to preview or open.
type periodForm struct {
	Regime, Year, Number string
}

type periodRow struct {
	P      *tinhso.Period
	Counts map[string]int
	Total  int
}

type periodsData struct {
	P           *plan
	Regimes     []*tinhso.Regime
	Periods     []periodRow
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
func (u *ui) periods(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &periodsData{RF: regimeForm{CutoffDay: "14", DeadlineDays: "10", Frequency: tinhso.FreqQuarterly},
		PF: periodForm{Regime: q.Get("regime"), Year: q.Get("year"), Number: q.Get("number")}}
	u.renderPeriods(w, r, http.StatusOK, d)
}

func (u *ui) renderPeriods(w http.ResponseWriter, r *http.Request, status int, d *periodsData) {
	v := u.newView(w, r, "periods")
	v.Title = v.T("periods.title")
	ctx := r.Context()
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.P, d.Frequencies, d.Statuses = p, tinhso.Frequencies, submissionStatuses
	if d.Regimes, err = u.s.store.FindRegimes(ctx); err != nil {
		u.fail(w, r, v, err)
		return
	}
	periods, err := u.s.store.FindPeriods(ctx, "")
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Periods = nil
	for _, pr := range periods {
		subs, _, err := u.s.store.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: pr.ID, Page: tinhso.Page{Limit: 100000}})
		if err != nil {
			u.fail(w, r, v, err)
			return
		}
		row := periodRow{P: pr, Counts: map[string]int{}, Total: len(subs)}
		for _, s := range subs {
			row.Counts[s.Status]++
		}
		d.Periods = append(d.Periods, row)
	}
	if d.PF.Regime != "" && d.Preview == nil && d.PeriodError == "" {
		year, _ := strconv.Atoi(d.PF.Year)
		number, _ := strconv.Atoi(d.PF.Number)
		plan, err := u.s.app.PlanPeriod(ctx, d.PF.Regime, year, number)
		switch code := tinhso.ErrorCode(err); {
		case err == nil:
			d.Preview = plan
		case code == tinhso.EINTERNAL:
			u.fail(w, r, v, err)
			return
		default:
			d.PeriodError = tinhso.ErrorMessage(err)
			if status == http.StatusOK {
				status = statusOf[code]
			}
		}
	}
	v.D = d
	u.render(w, r, status, "periods", v)
}

// createRegime creates a reporting regime from the form.
func (u *ui) createRegime(w http.ResponseWriter, r *http.Request) {
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
		err = tinhso.Invalid("cutoff_day", "cutoff_day must be a day from 1 to 28 (Nghị định 09/2019: 14)")
	} else if rg.DeadlineDays, err = strconv.Atoi(f.DeadlineDays); err != nil {
		err = tinhso.Invalid("deadline_days", "deadline_days must be from 0 to 120")
	} else {
		err = u.s.store.CreateRegime(actorCtx(r), rg)
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d.RegimeError = tinhso.ErrorMessage(err)
		u.renderPeriods(w, r, statusOf[tinhso.ErrorCode(err)], d)
		return
	}
	http.Redirect(w, r, "/admin/periods?done=regime_created&regime="+url.QueryEscape(rg.Key), http.StatusSeeOther)
}

// openPeriod opens a period of a regime; with blockers it opens nothing and says why.
func (u *ui) openPeriod(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	pf := periodForm{Regime: formValue(r, "regime"), Year: formValue(r, "year"), Number: formValue(r, "number")}
	year, _ := strconv.Atoi(pf.Year)
	number, _ := strconv.Atoi(pf.Number)
	p, err := u.s.app.OpenPeriod(actorCtx(r), pf.Regime, year, number)
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d := &periodsData{RF: regimeForm{CutoffDay: "14", DeadlineDays: "10", Frequency: tinhso.FreqQuarterly}, PF: pf}
		status := statusOf[tinhso.ErrorCode(err)]
		u.renderPeriodsWithError(w, r, status, d, err)
		return
	}
	http.Redirect(w, r, "/admin/periods?done=period_opened&period="+strconv.FormatInt(p.ID, 10)+"#h-periods", http.StatusSeeOther)
}

// renderPeriodsWithError shows the preview of the period that failed to open and why.
func (u *ui) renderPeriodsWithError(w http.ResponseWriter, r *http.Request, status int, d *periodsData, err error) {
	year, _ := strconv.Atoi(d.PF.Year)
	number, _ := strconv.Atoi(d.PF.Number)
	if plan, perr := u.s.app.PlanPeriod(r.Context(), d.PF.Regime, year, number); perr == nil {
		d.Preview = plan
	}
	d.PeriodError = tinhso.ErrorMessage(err)
	u.renderPeriods(w, r, status, d)
}

type notificationRow struct {
	N    *tinhso.Notification
	Link string
}

type notificationsData struct {
	P     *plan
	Items []notificationRow
	Pager pager
	All   bool
}

// notifications lists in-app reminders: a reporter's unit's, or everyone's for those
// who read all; each links to the submission's page.
func (u *ui) notifications(w http.ResponseWriter, r *http.Request) {
	me := userFrom(r.Context())
	v := u.newView(w, r, "notifications")
	v.Title = v.T("notifications.title")
	ctx := r.Context()
	unit := ""
	if !me.Can(tinhso.ActReadAll) {
		unit = me.OrgUnit
	}
	pg, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pg = max(pg, 1)
	list, total, err := u.s.store.FindNotifications(ctx, unit, tinhso.Page{Limit: perPage, Offset: (pg - 1) * perPage})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &notificationsData{Pager: paginate(r, total), All: unit == ""}
	if d.Pager.From != (pg-1)*perPage {
		if list, _, err = u.s.store.FindNotifications(ctx, unit, tinhso.Page{Limit: perPage, Offset: d.Pager.From}); err != nil {
			u.fail(w, r, v, err)
			return
		}
	}
	if d.P, err = u.loadPlan(ctx); err != nil {
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

// formVersion reads the version a form was made from: it must be there, so a page
// left open while the submission changed cannot overwrite the change.
func formVersion(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || v < 1 {
		return 0, tinhso.Errorf(tinhso.EPRECONDITION, "The form lacks the version it was made from; reload the page and try again.")
	}
	return v, nil
}
