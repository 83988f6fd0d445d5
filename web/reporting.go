package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/xlsx"
)

// The reporting pages: a unit's forms for the open periods (fill in, save, submit,
// spreadsheet and evidence uploads), the reviewer's queue, period administration and
// in-app reminders. They call the same use-cases as the JSON API, with the same
// permission checks (app.ReadableSubmission, app.OwnSubmission).

func (u *Web) reportingRoutes() []route {
	return []route{
		{"GET /reporting", u.guard(tinhso.ActReadOwn, u.reporting)},
		{"GET /reporting/{id}", u.guard(tinhso.ActReadOwn, u.submission)},
		{"POST /reporting/{id}", u.guard(tinhso.ActReport, u.saveSubmission)},
		{"POST /reporting/{id}/evidence", u.guardUpload(tinhso.ActReport, u.uploadEvidence)},
		{"POST /reporting/{id}/form.xlsx", u.guardUpload(tinhso.ActReport, u.uploadForm)},
		// Those who read every unit's reports see the queue; reviewers decide.
		{"GET /review", u.guard(tinhso.ActReadAll, u.review)},
		{"POST /review/{id}/approve", u.guard(tinhso.ActReview, u.approve)},
		{"POST /review/{id}/return", u.guard(tinhso.ActReview, u.returnSubmission)},
		{"GET /admin/periods", u.guard(tinhso.ActManageReporting, u.periods)},
		{"POST /admin/periods", u.guard(tinhso.ActManageReporting, u.openPeriod)},
		{"POST /admin/regimes", u.guard(tinhso.ActManageReporting, u.createRegime)},
		{"GET /notifications", u.guard(tinhso.ActReadOwn, u.notifications)},
		{"GET /units/{code}/board", u.guard(tinhso.ActReadOwn, u.unitBoard)},
	}
}

// reporting lists submissions: a reporter's own unit's, open periods first; for those
// who read everything, one period's (the newest open one by default) with a status filter.
func (u *Web) reporting(w http.ResponseWriter, r *http.Request) {
	me := user(r)
	v := u.newView(w, r, "reporting")
	period, _ := strconv.ParseInt(r.URL.Query().Get("period"), 10, 64)
	d, err := u.app.Reporting(r.Context(), me, period, r.URL.Query().Get("status"), v.Today)
	title := v.T("reporting.title_all")
	if !me.Can(tinhso.ActReadAll) {
		title = v.T("reporting.title")
	}
	u.show(w, r, v, "reporting", title, d, err)
}

// formInd is an indicator of a submission's form, with what is (or was just) typed.
type formInd struct {
	I                  int
	Ind                *tinhso.Indicator
	Number, Text, Note string
	Qualitative        bool
	// Weighted: a weighted mean's value, given with its Weight (what it is a share of).
	Weighted bool
	Weight   string
	Err      string
	// Filled: the unit gave something (a number, words or a note); Value is its number.
	Filled bool
	Value  float64
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
	Filled              bool   // the unit reported something of it
	FileName            string // the attached deliverable's name
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
	// What a read-only view counts: the items filled and those left empty.
	FilledInds, EmptyInds, FilledTasks, EmptyTasks int
}

// readable finds the submission of the {id} path parameter that the caller may see.
func (u *Web) readable(r *http.Request) (*tinhso.Submission, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	return u.app.ReadableSubmission(r.Context(), user(r), id)
}

// own finds the submission of the {id} path parameter that the caller's unit reports.
func (u *Web) own(r *http.Request) (*tinhso.Submission, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	return u.app.OwnSubmission(r.Context(), user(r), id)
}

// submissionPage loads a submission the caller may see, as a form.
func (u *Web) submissionPage(r *http.Request) (*submissionData, error) {
	me := user(r)
	sub, err := u.readable(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	form, err := u.app.Form(ctx, sub)
	if err != nil {
		return nil, err
	}
	p := form.Period
	d := &submissionData{S: sub, P: p, Version: sub.Version}
	d.Own = app.OwnUnit(me, sub)
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
		fi := formInd{I: i, Ind: ind, Qualitative: ind.Target.Kind == tinhso.TargetQualitative || ind.Target.Kind == tinhso.TargetNone && ind.Unit == "",
			Weighted: ind.Aggregation == "weighted_mean"}
		if x, ok := values[ind.Key]; ok {
			fi.Text, fi.Note = x.Text, x.Note
			if x.Weight != nil {
				fi.Weight = inputNumber(*x.Weight)
			}
			if x.Number != nil {
				fi.Number, fi.Value = inputNumber(*x.Number), *x.Number
			}
			fi.Filled = x.Number != nil || x.Text != "" || x.Note != ""
		}
		if fi.Filled {
			d.FilledInds++
		} else {
			d.EmptyInds++
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
			ft.Filled = true
			for _, e := range sub.Evidence {
				if e.Hash == x.DeliverableFile {
					ft.FileName = e.Name
				}
			}
		}
		if ft.Filled {
			d.FilledTasks++
		} else {
			d.EmptyTasks++
		}
		d.Tasks = append(d.Tasks, ft)
	}
	if me.Can(tinhso.ActReadAudit) {
		recs, _, err := u.store.FindAudit(ctx, tinhso.AuditFilter{Entity: "submission", EntityID: strconv.FormatInt(sub.ID, 10), Page: tinhso.Page{Limit: 100}})
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

func (u *Web) submission(w http.ResponseWriter, r *http.Request) {
	d, err := u.submissionPage(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	u.renderSubmission(w, r, http.StatusOK, d)
}

func (u *Web) renderSubmission(w http.ResponseWriter, r *http.Request, status int, d *submissionData) {
	v := u.newView(w, r, "reporting")
	v.Title = v.T("submission.title", d.S.UnitName, d.S.Label)
	d.Punct = engine.Punctuality(d.S, d.P, v.Today)
	for i := range d.Tasks {
		t := d.Tasks[i]
		p := tinhso.TaskProgress{Done: t.Done, Note: t.Note, DeliverableLink: t.Link}
		if t.Percent != "" {
			p.Percent = new(int) // what was typed: its value does not change the status
		}
		d.Tasks[i].Status = engine.ProgressStatus(p)
	}
	v.D = d
	u.render(w, r, status, "submission", v)
}

var itemFieldRe = regexp.MustCompile(`^(values|progress)\[(\d+)\]`)

// formValue reads one field of a posted form as NFC text.
func formValue(r *http.Request, name string) string {
	return strings.TrimSpace(norm.NFC.String(r.PostForm.Get(name)))
}

// parseForm parses an urlencoded form post within the body limit (the CSRF check may
// have done it already).
func (u *Web) parseForm(w http.ResponseWriter, r *http.Request) error {
	if r.PostForm == nil {
		r.Body = http.MaxBytesReader(w, r.Body, u.cfg.MaxBodyBytes)
	}
	if err := r.ParseForm(); err != nil {
		return tinhso.Invalid("body", "err.web.form_unreadable", err)
	}
	for _, vs := range r.PostForm {
		for _, s := range vs {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				return tinhso.Invalid("body", "err.web.form_utf8")
			}
		}
	}
	return nil
}

// saveSubmission saves the form as the unit's values and progress and, when asked,
// submits it. Nothing is stored unless every field is right; the page then shows
// what was typed, each problem next to its field.
func (u *Web) saveSubmission(w http.ResponseWriter, r *http.Request) {
	if _, err := u.own(r); err != nil {
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
		if fi.Weighted {
			fi.Weight = formValue(r, "w-"+n)
		}
		if fi.Number == "" && fi.Text == "" && fi.Note == "" && fi.Weight == "" {
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
		if fi.Weight != "" {
			x, ok := parseNumber(fi.Weight)
			if !ok {
				fi.Err, bad = "form.bad_number", true
				continue
			}
			val.Weight = &x
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
	ctx := u.auth.ActorCtx(r)
	version, err := formVersion(r)
	var out *tinhso.Submission
	if err == nil {
		out, err = u.app.SaveSubmission(ctx, d.S.ID, values, progress, version)
	}
	submit := r.PostForm.Get("action") == "submit"
	if err == nil && submit {
		_, err = u.app.Transition(ctx, d.S.ID, tinhso.TransSubmit, "", out.Version)
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
		d.Error = errText(r, err)
		if out != nil {
			// Saved, but not submitted: the form goes on from the saved version.
			d.Version, d.ErrorKey = out.Version, "i9.sub2.saved_not_submitted"
		}
		if code == tinhso.EPRECONDITION {
			d.ErrorKey = "form.stale"
		}
		u.renderSubmission(w, r, httpx.StatusOf(code), d)
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
func (u *Web) uploadPart(w http.ResponseWriter, r *http.Request, limit int64) (*multipart.Part, url.Values, error) {
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" || params["boundary"] == "" {
		if c := httpx.CallerFrom(r.Context()); c.Session != nil {
			return nil, nil, errUploadCSRF
		}
		return nil, nil, tinhso.Invalid("file", "err.web.multipart")
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	mr := multipart.NewReader(r.Body, params["boundary"])
	fields := url.Values{}
	c := httpx.CallerFrom(r.Context())
	checked := c.Session == nil
	for {
		part, err := mr.NextPart()
		if err != nil {
			if !checked {
				return nil, nil, errUploadCSRF
			}
			return nil, nil, tinhso.Invalid("file", "err.web.no_file")
		}
		if part.FormName() == "file" {
			if !checked {
				return nil, nil, errUploadCSRF
			}
			return part, fields, nil
		}
		b, err := io.ReadAll(io.LimitReader(part, 4<<10))
		if err != nil {
			return nil, nil, tinhso.Invalid("body", "err.web.form_read")
		}
		fields.Add(part.FormName(), string(b))
		if !checked {
			if part.FormName() != "csrf_token" || len(b) == 0 || string(b) != c.Session.CSRFToken {
				return nil, nil, errUploadCSRF
			}
			checked = true
		}
	}
}

// uploadEvidence attaches a file to the unit's submission, as the API does: the type
// judged from the content, the name kept for display only.
func (u *Web) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	sub, err := u.own(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	part, _, err := u.uploadPart(w, r, app.MaxEvidenceBytes)
	if err == errUploadCSRF {
		u.csrfRefused(w, r)
		return
	}
	if err == nil && u.blobs == nil {
		err = errors.New("web: no blob store")
	}
	if err == nil {
		var b tinhso.Blob
		if b, err = u.blobs.Put(r.Context(), part, app.MaxEvidenceBytes); err == nil {
			_, err = u.app.AddEvidence(u.auth.ActorCtx(r), sub.ID, tinhso.Evidence{Hash: b.Hash, Name: app.EvidenceName(part.FileName(), b.MediaType), MediaType: b.MediaType, Size: b.Size})
		}
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = tinhso.Errorf(tinhso.ETOOLARGE, "err.api.file_large", app.MaxEvidenceBytes>>20)
	}
	if err != nil {
		u.uploadFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/reporting/"+strconv.FormatInt(sub.ID, 10)+"?done=uploaded#h-evidence", http.StatusSeeOther)
}

// uploadForm reads the filled spreadsheet form, checked cell by cell as the API does;
// nothing is stored unless all is right.
func (u *Web) uploadForm(w http.ResponseWriter, r *http.Request) {
	sub, err := u.own(r)
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
			err = tinhso.Errorf(tinhso.ETOOLARGE, "err.xlsx.too_large", xlsx.MaxSize>>20)
		}
		if err == nil {
			var f *app.SubmissionForm
			if f, err = u.app.Form(r.Context(), sub); err == nil {
				form := xlsx.Form{Period: *f.Period, Regime: f.Period.Regime, UnitCode: sub.OrgUnit, UnitName: sub.UnitName, Values: sub.Values, Progress: sub.Progress,
					Indicators: f.Indicators, Tasks: f.Tasks, Lang: pageLang(r)}
				var values []tinhso.IndicatorValue
				var progress []tinhso.TaskProgress
				if values, progress, err = xlsx.Read(bytes.NewReader(data), int64(len(data)), form); err == nil {
					version, _ := strconv.Atoi(fields.Get("version"))
					_, err = u.app.SaveSubmission(u.auth.ActorCtx(r), sub.ID, values, progress, version)
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
func (u *Web) uploadFailed(w http.ResponseWriter, r *http.Request, err error) {
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
	d.Error, d.Details = errText(r, err), errItems(r, err)
	u.renderSubmission(w, r, httpx.StatusOf(code), d)
}

// formVersion reads the version a form was made from: it must be there, so a page
// left open while the submission changed cannot overwrite the change.
func formVersion(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PostForm.Get("version"))
	if err != nil || v < 1 {
		return 0, tinhso.Errorf(tinhso.EPRECONDITION, "err.web.form_version")
	}
	return v, nil
}
