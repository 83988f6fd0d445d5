package app_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/netguard"
	"github.com/tinhso/tinhso/notify"
	"github.com/tinhso/tinhso/secret"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// smtpd runs notify's aiosmtpd fixture (a real SMTP server process) on loopback.
type smtpd struct {
	port int
	msgs chan []byte
}

func startSMTPD(t *testing.T) *smtpd {
	t.Helper()
	py := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import aiosmtpd").Run() == nil {
			py = p
			break
		}
	}
	if py == "" {
		t.Skip("no python3 with aiosmtpd (apt-get install python3-aiosmtpd)")
	}
	cmd := exec.Command(py, "../notify/testdata/smtpd.py")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &smtpd{msgs: make(chan []byte, 64)}
	ready := make(chan int, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			var r struct {
				Ready *int   `json:"ready"`
				Data  []byte `json:"data"`
			}
			if json.Unmarshal(sc.Bytes(), &r) != nil {
				continue
			}
			if r.Ready != nil {
				ready <- *r.Ready
			} else {
				s.msgs <- r.Data
			}
		}
		cmd.Wait()
	}()
	t.Cleanup(func() {
		stdin.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	select {
	case s.port = <-ready:
	case <-time.After(30 * time.Second):
		t.Fatalf("the SMTP server did not start: %s", stderr.String())
	}
	return s
}

type email struct {
	To, Subject, Body string
}

// take waits for n emails (the server reports each before it answers 250).
func (s *smtpd) take(t *testing.T, n int) []email {
	t.Helper()
	var out []email
	for range n {
		select {
		case raw := <-s.msgs:
			m, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
			body, _ := io.ReadAll(m.Body)
			out = append(out, email{To: m.Header.Get("To"), Subject: subj, Body: string(body)})
		case <-time.After(10 * time.Second):
			t.Fatalf("%d of %d emails arrived", len(out), n)
		}
	}
	if len(s.msgs) > 0 {
		t.Errorf("%d more emails than %d", len(s.msgs), n)
	}
	slices.SortFunc(out, func(a, b email) int { return strings.Compare(a.To, b.To) })
	return out
}

// receiver is a webhook endpoint on loopback that answers status.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	status int
	got    []posted
}

type posted struct {
	sig, delivery string
	body          []byte
}

func newReceiver(t *testing.T, status int) *receiver {
	r := &receiver{status: status}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, q *http.Request) {
		b, _ := io.ReadAll(q.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.got = append(r.got, posted{q.Header.Get(notify.SignatureHeader), q.Header.Get(notify.DeliveryHeader), b})
		if r.status == http.StatusFound {
			w.Header().Set("Location", "http://169.254.169.254/latest/meta-data/")
		}
		w.WriteHeader(r.status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) posts() []posted {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

func (r *receiver) set(status int) {
	r.mu.Lock()
	r.status = status
	r.mu.Unlock()
}

func hostPort(u string) string {
	x, _ := url.Parse(u)
	return x.Host
}

// The alerts end to end, with a clock the test controls: tasks pass their due date,
// alerts open, a signed webhook and a grouped email arrive, acknowledging stops
// escalation, no acknowledgement climbs to the parent and then the supervising leader,
// a silence holds back and survives a restart, the condition clearing resolves, and a
// webhook answering 500 is retried with back-off, dead-lettered and replayed.
func TestAlertsEndToEnd(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "admin"})
		cfg := sqldbtest.Config(t, engine)
		db, err := sqldb.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		smtp := startSMTPD(t)
		good, flaky := newReceiver(t, http.StatusOK), newReceiver(t, http.StatusInternalServerError)
		guard, err := netguard.New(netguard.Config{Allow: []string{hostPort(good.URL), hostPort(flaky.URL)}})
		if err != nil {
			t.Fatal(err)
		}
		kr, err := secret.NewKeyring(secret.GenerateKey())
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Date(2026, 4, 1, 9, 0, 0, 0, tinhso.Location) // the day after "Tháng 3/2026"
		clock := t1
		disp := &notify.Dispatcher{Client: guard.Client(), Check: guard.CheckURL, Now: func() time.Time { return clock },
			Retry: notify.RetryPolicy{Base: time.Minute, Max: time.Hour, MaxAttempts: 3}, Options: notify.RenderOptions{BaseURL: "https://ioc.example"}}
		newApp := func(db *sqldb.DB) *app.App {
			return app.New(db, app.Options{Alerts: app.AlertOptions{Dispatcher: disp, Secrets: kr, Node: "test"}})
		}
		a := newApp(db)

		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(db.CreateDocument(ctx, &tinhso.Document{Slug: "kh-thu", Kind: "plan", Title: "Kế hoạch thử"}))
		must(db.CreateOrgUnit(ctx, &tinhso.OrgUnit{Code: "tinh", Name: "UBND tỉnh", Kind: tinhso.KindProvince}))
		for _, c := range []string{"xa-a", "xa-b", "xa-c"} {
			must(db.CreateOrgUnit(ctx, &tinhso.OrgUnit{Code: c, Name: "UBND " + c, Kind: tinhso.KindCommune, ParentCode: "tinh"}))
		}
		users := map[string]*tinhso.User{}
		for _, u := range []*tinhso.User{
			{Username: "xa-a", Name: "Xã A", Email: "a@xa.vn", Role: tinhso.RoleReporter, OrgUnit: "xa-a"},
			{Username: "xa-b", Name: "Xã B", Email: "b@xa.vn", Role: tinhso.RoleReporter, OrgUnit: "xa-b"},
			{Username: "xa-c", Name: "Xã C", Email: "c@xa.vn", Role: tinhso.RoleReporter, OrgUnit: "xa-c"},
			{Username: "tinh", Name: "Văn phòng tỉnh", Email: "vp@tinh.vn", Role: tinhso.RoleReporter, OrgUnit: "tinh"},
			{Username: "lanhdao", Name: "Lãnh đạo", Email: "ld@tinh.vn", Role: tinhso.RoleLeader},
		} {
			must(db.CreateUser(ctx, u, ""))
			users[u.Username] = u
		}
		must(a.SetSupervisingLeader(ctx, "xa-a", users["lanhdao"].ID))
		if err := a.SetSupervisingLeader(ctx, "xa-a", users["xa-b"].ID); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("a reporter as supervising leader: %v", err)
		}
		task := func(n, unit string) *tinhso.Task {
			tk := &tinhso.Task{Document: "kh-thu", Number: n, Title: "Việc " + n + " của " + unit, Lead: []tinhso.AgencyRef{{Code: unit}}, DeadlineText: "Tháng 3/2026"}
			must(db.CreateTask(ctx, tk))
			return tk
		}
		t1a, t2a := task("1", "xa-a"), task("2", "xa-a")
		task("3", "xa-b")
		for i := range 10 {
			task(string(rune('a'+i)), "xa-c")
		}
		must(a.SaveSMTPSettings(ctx, &tinhso.SMTPSettings{Host: "127.0.0.1", Port: smtp.port, TLS: "off", From: "ioc@tinh.vn", FromName: "IOC tỉnh"}, ""))

		// The guard: loopback, link-local metadata and a name resolving to loopback are
		// refused, and nothing is stored.
		strict, err := netguard.New(netguard.Config{})
		must(err)
		sa := app.New(db, app.Options{Alerts: app.AlertOptions{Dispatcher: &notify.Dispatcher{Client: strict.Client(), Check: strict.CheckURL}, Secrets: kr}})
		for _, u := range []string{"http://127.0.0.1:9/hook", "http://[::1]:9/hook", "http://169.254.169.254/latest/meta-data/", "http://localhost:9/hook", good.URL} {
			err := sa.SaveWebhook(ctx, &tinhso.Webhook{Name: "x", URL: u, MinSeverity: tinhso.SeverityInfo, Enabled: true}, "a-secret-of-some-length", 0)
			if tinhso.ErrorCode(err) != tinhso.EINVALID {
				t.Errorf("%s: %v, want refused", u, err)
			}
		}
		if hs, _ := db.FindWebhooks(ctx); len(hs) != 0 {
			t.Fatalf("refused webhooks were stored: %+v", hs)
		}
		const goodSecret, flakySecret = "the-good-secret-0123456789", "the-flaky-secret-0123456789"
		gh := &tinhso.Webhook{Name: "IOC", URL: good.URL + "/hook", MinSeverity: tinhso.SeverityWarning, Enabled: true}
		must(a.SaveWebhook(ctx, gh, goodSecret, 0))
		fh := &tinhso.Webhook{Name: "Flaky", URL: flaky.URL + "/hook", MinSeverity: tinhso.SeverityWarning, OrgUnit: "xa-b", Enabled: true}
		must(a.SaveWebhook(ctx, fh, flakySecret, 0))

		// xa-b is silenced for 30 days before anything happens.
		end := t1.Add(30 * 24 * time.Hour)
		must(a.CreateSilence(ctx, &tinhso.User{Username: "admin", Role: tinhso.RoleAdmin}, &tinhso.Silence{OrgUnit: "xa-b", EndsAt: &end, Reason: "Xã đang sáp nhập"}, t1.Add(-time.Hour)))

		// t1: 13 alerts open; one email per recipient, one post per webhook.
		sw, err := a.EvaluateAlerts(ctx, t1)
		must(err)
		if sw.Opened != 13 {
			t.Fatalf("sweep: %+v", sw)
		}
		if again, err := a.EvaluateAlerts(ctx, t1); err != nil || again.Opened+again.Queued+again.Notices != 0 {
			t.Errorf("a second sweep at the same time: %+v %v", again, err)
		}
		ds, err := a.DeliverNotifications(ctx, t1)
		must(err)
		if ds.Delivered != 3 || ds.Digests != 3 {
			t.Errorf("deliveries at t1: %+v", ds)
		}
		got := smtp.take(t, 2)
		if got[0].To != "<a@xa.vn>" || !strings.Contains(got[0].Subject, "2 thông báo mới") || got[1].To != "<c@xa.vn>" || got[1].Subject != "[tinhso] 10 thông báo mới" {
			t.Errorf("emails: %+v", got)
		}
		if !strings.Contains(got[1].Body, "10. [Nghi=C3=AAm tr=E1=BB=8Dng]") && !strings.Contains(got[1].Body, "10. [Nghiêm trọng]") {
			t.Errorf("the digest lists ten items:\n%s", got[1].Body)
		}
		posts := good.posts()
		if len(posts) != 1 {
			t.Fatalf("webhook posts: %d", len(posts))
		}
		if err := notify.VerifyAt(posts[0].sig, posts[0].body, goodSecret, 5*time.Minute, t1); err != nil {
			t.Errorf("signature: %v", err)
		}
		var payload notify.WebhookPayload
		must(json.Unmarshal(posts[0].body, &payload))
		if payload.Count != 12 || payload.Items[0].Severity != notify.Critical || !strings.HasPrefix(payload.Items[0].Text, "Cảnh báo mới: Nhiệm vụ") {
			t.Errorf("payload: %d items, %+v", payload.Count, payload.Items[0])
		}
		if len(flaky.posts()) != 0 {
			t.Errorf("the silenced unit's alert reached its webhook")
		}
		if again, _ := a.DeliverNotifications(ctx, t1); again.Delivered+again.Digests != 0 {
			t.Errorf("a second delivery run: %+v", again)
		}

		// Permissions: xa-b's reporter neither sees nor acknowledges xa-a's alerts.
		list, _, err := db.FindAlerts(ctx, tinhso.AlertFilter{Subject: t2a.Key})
		must(err)
		if len(list) != 1 {
			t.Fatalf("alerts of task 2: %d", len(list))
		}
		if _, err := a.AcknowledgeAlert(ctx, users["xa-b"], list[0].ID, t1.Add(time.Hour)); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Errorf("another unit's reporter acknowledges: %v", err)
		}
		if _, err := a.AcknowledgeAlert(ctx, users["xa-a"], list[0].ID, t1.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}

		// A restart.
		db.Close()
		db, err = sqldb.Open(ctx, cfg)
		must(err)
		defer db.Close()
		a = newApp(db)

		// 72 h on: task 1 climbs to the parent unit; task 2 (acknowledged) and xa-b
		// (silenced) do not; xa-c's climb too.
		clock = t1.Add(72 * time.Hour)
		sw, err = a.EvaluateAlerts(ctx, clock)
		must(err)
		_, err = a.DeliverNotifications(ctx, clock)
		must(err)
		got = smtp.take(t, 1)
		if got[0].To != "<vp@tinh.vn>" || !strings.Contains(got[0].Subject, "11 thông báo mới") {
			t.Errorf("escalated to the parent: %+v", got)
		}
		a1 := alertOf(t, db, t1a.Key)
		if a1.EscalationLevel != 1 || alertOf(t, db, t2a.Key).EscalationLevel != 0 {
			t.Errorf("levels: task 1 %d, task 2 %d", a1.EscalationLevel, alertOf(t, db, t2a.Key).EscalationLevel)
		}
		if b := alertOf(t, db, "kh-thu/t3"); b.Silenced == nil || b.EscalationLevel != 0 || b.NotifiedAt != nil {
			t.Errorf("the silenced alert after a restart: %+v", b)
		}
		// 144 h: the supervising leader (task 1's unit has one; xa-c's climb to the leaders).
		clock = t1.Add(144 * time.Hour)
		_, err = a.EvaluateAlerts(ctx, clock)
		must(err)
		_, err = a.DeliverNotifications(ctx, clock)
		must(err)
		got = smtp.take(t, 1)
		if got[0].To != "<ld@tinh.vn>" || !strings.Contains(got[0].Subject, "11 thông báo mới") {
			t.Errorf("escalated to the leader: %+v", got)
		}
		// The condition clears: task 1's deadline moves on; its alert resolves and the
		// leader, whom it reached last, is told.
		t1a.DeadlineText = "Tháng 12/2026"
		must(db.UpdateTask(ctx, t1a, 0))
		clock = t1.Add(145 * time.Hour)
		sw, err = a.EvaluateAlerts(ctx, clock)
		must(err)
		if sw.Resolved != 1 || alertOf(t, db, t1a.Key).State != tinhso.AlertResolved {
			t.Errorf("resolve: %+v", sw)
		}
		_, err = a.DeliverNotifications(ctx, clock)
		must(err)
		if got = smtp.take(t, 1); got[0].To != "<ld@tinh.vn>" || !strings.Contains(got[0].Subject, "Đã hết cảnh báo") {
			t.Errorf("resolved notice: %+v", got)
		}

		// The silence ends: xa-b hears of its alert; its webhook answers 500, is retried
		// with back-off, dead-lettered after 3 attempts, and replay delivers it.
		clock = end.Add(time.Minute)
		_, err = a.EvaluateAlerts(ctx, clock)
		must(err)
		ds, err = a.DeliverNotifications(ctx, clock)
		must(err)
		if ds.Retrying != 1 {
			t.Errorf("first attempt: %+v", ds)
		}
		// xa-b's email, and the leaders' daily reminder of xa-c's alerts.
		if got = smtp.take(t, 2); got[0].To != "<b@xa.vn>" || !strings.Contains(got[1].Subject, "10 thông báo mới") {
			t.Errorf("after the silence: %+v", got)
		}
		dead, _, err := db.FindDeliveries(ctx, tinhso.DeliveryFilter{Recipient: "webhook:" + itoa(fh.ID)})
		must(err)
		if len(dead) != 1 || dead[0].Attempts != 1 || dead[0].LastStatus != 500 || dead[0].NextAt.Sub(clock) < 48*time.Second || dead[0].NextAt.Sub(clock) > 72*time.Second {
			t.Fatalf("after one failure: %+v", dead)
		}
		if ds, _ := a.DeliverNotifications(ctx, clock.Add(30*time.Second)); ds.Retrying+ds.DeadLetter != 0 {
			t.Errorf("retried before its time: %+v", ds)
		}
		for _, after := range []time.Duration{2 * time.Minute, 10 * time.Minute} {
			clock = end.Add(time.Minute + after)
			_, err = a.DeliverNotifications(ctx, clock)
			must(err)
		}
		d, err := db.FindDelivery(ctx, dead[0].ID)
		must(err)
		if d.State != tinhso.DeliveryDead || d.Attempts != 3 || len(flaky.posts()) != 3 {
			t.Fatalf("dead letter: %+v, %d posts", d, len(flaky.posts()))
		}
		flaky.set(http.StatusOK)
		if _, err := a.ReplayDelivery(ctx, d.ID, clock); err != nil {
			t.Fatal(err)
		}
		ds, err = a.DeliverNotifications(ctx, clock)
		must(err)
		fp := flaky.posts()
		if ds.Delivered != 1 || len(fp) != 4 || fp[3].delivery != fp[0].delivery {
			t.Errorf("replay: %+v, %d posts", ds, len(fp))
		}
		if err := notify.VerifyAt(fp[3].sig, fp[3].body, flakySecret, 5*time.Minute, clock); err != nil {
			t.Errorf("replayed signature: %v", err)
		}

		// A webhook that redirects to the metadata service is not followed: it fails.
		rd := newReceiver(t, http.StatusFound)
		g2, _ := netguard.New(netguard.Config{Allow: []string{hostPort(rd.URL)}})
		res := (&notify.Dispatcher{Client: g2.Client()}).Dispatch(ctx, tinhso.Dispatch{Channel: tinhso.ChannelWebhook, To: rd.URL, Secret: goodSecret,
			Items: []tinhso.Outbox{{ID: 1, Severity: "critical", Message: tinhso.M("alert.state.open")}}})
		if res.Outcome != "failed" || res.Status != http.StatusFound {
			t.Errorf("redirect: %+v", res)
		}
	})
}

func alertOf(t *testing.T, db *sqldb.DB, subject string) *tinhso.Alert {
	t.Helper()
	list, _, err := db.FindAlerts(context.Background(), tinhso.AlertFilter{Subject: subject})
	if err != nil || len(list) != 1 {
		t.Fatalf("alerts of %s: %v %d", subject, err, len(list))
	}
	return list[0]
}

// A write that changes the rules' facts (a period opened) kicks a sweep; the kick
// never blocks the write, however many come.
func TestAlertKick(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := sqldbtest.Open(t, "sqlite")
	kick := make(chan struct{}, 1)
	a := app.New(db, app.Options{Alerts: app.AlertOptions{Kick: kick}})
	for _, err := range []error{
		db.CreateDocument(ctx, &tinhso.Document{Slug: "kh-thu", Kind: "plan", Title: "Kế hoạch thử"}),
		db.CreateOrgUnit(ctx, &tinhso.OrgUnit{Code: "so-thu", Name: "Sở Thử", Kind: tinhso.KindDepartment}),
		db.CreateTask(ctx, &tinhso.Task{Document: "kh-thu", Number: "1", Title: "Việc", Lead: []tinhso.AgencyRef{{Code: "so-thu"}}}),
		db.CreateRegime(ctx, &tinhso.Regime{Key: "thang", Name: "Tháng", Document: "kh-thu", Frequency: tinhso.FreqMonthly, CutoffDay: 14, DeadlineDays: 5}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-kick:
		t.Fatal("a kick before any write of the rules' facts")
	default:
	}
	for m := 1; m <= 3; m++ {
		if _, err := a.OpenPeriod(ctx, "thang", 2026, m); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-kick:
	default:
		t.Fatal("opening periods did not kick a sweep")
	}
}

// A unit's report not submitted by its deadline opens a report_missing alert for the
// unit, and the unit's in-app notifications say so.
func TestReportMissingAlert(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "admin"})
		db := sqldbtest.Open(t, engine)
		a := app.New(db, app.Options{})
		for _, err := range []error{
			db.CreateDocument(ctx, &tinhso.Document{Slug: "kh-thu", Kind: "plan", Title: "Kế hoạch thử"}),
			db.CreateOrgUnit(ctx, &tinhso.OrgUnit{Code: "so-thu", Name: "Sở Thử", Kind: tinhso.KindDepartment}),
			db.CreateTask(ctx, &tinhso.Task{Document: "kh-thu", Number: "1", Title: "Việc", Lead: []tinhso.AgencyRef{{Code: "so-thu"}}}),
			db.CreateRegime(ctx, &tinhso.Regime{Key: "thang", Name: "Tháng", Document: "kh-thu", Frequency: tinhso.FreqMonthly, CutoffDay: 14, DeadlineDays: 5}),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		p, err := a.OpenPeriod(ctx, "thang", 2026, 1)
		if err != nil {
			t.Fatal(err)
		}
		due, _ := time.ParseInLocation("2006-01-02", p.Due, tinhso.Location)
		if sw, err := a.EvaluateAlerts(ctx, due.Add(12*time.Hour)); err != nil || sw.Findings != 0 {
			t.Fatalf("on the deadline day: %+v %v", sw, err)
		}
		sw, err := a.EvaluateAlerts(ctx, due.Add(36*time.Hour))
		if err != nil || sw.Opened != 1 {
			t.Fatalf("the day after the deadline: %+v %v", sw, err)
		}
		list, _, err := db.FindAlerts(ctx, tinhso.AlertFilter{Rule: "builtin.report_missing"})
		if err != nil || len(list) != 1 || list[0].OrgUnit != "so-thu" || list[0].Severity != tinhso.SeverityWarning ||
			list[0].Message.Key != "alert.msg.report_missing" {
			t.Fatalf("alerts: %v %+v", err, list)
		}
		// The unit's in-app notifications hold it.
		ns, _, err := db.FindNotifications(ctx, "so-thu", tinhso.Page{Limit: 10})
		found := false
		for _, n := range ns {
			found = found || n.Kind == "alert" && strings.HasPrefix(locale.For(locale.VI).Message(n.Text()), "Cảnh báo mới: Chưa nộp báo cáo Tháng kỳ T1/2026")
		}
		if err != nil || !found {
			t.Errorf("in-app: %v %+v", err, ns)
		}
	})
}
