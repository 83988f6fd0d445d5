package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// mustPeriod makes an instance with one unit that reports monthly, T1/2026 open.
func mustPeriod(t *testing.T, engine string) (*sqldb.DB, *app.App) {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.Open(t, engine)
	a := app.New(db, app.Options{})
	for _, step := range []func() error{
		func() error {
			return db.CreateDocument(ctx, &tinhso.Document{Slug: "kh-thu", Kind: "plan", Title: "Kế hoạch thử"})
		},
		func() error {
			return db.CreateOrgUnit(ctx, &tinhso.OrgUnit{Code: "so-thu", Name: "Sở Thử", Kind: tinhso.KindDepartment})
		},
		func() error {
			return db.CreateTask(ctx, &tinhso.Task{Document: "kh-thu", Number: "1", Title: "Việc", Lead: []tinhso.AgencyRef{{Code: "so-thu"}}})
		},
		func() error {
			return db.CreateRegime(ctx, &tinhso.Regime{Key: "thang", Name: "Tháng", Document: "kh-thu", Frequency: tinhso.FreqMonthly, CutoffDay: 14, DeadlineDays: 5})
		},
		func() error { _, err := a.OpenPeriod(ctx, "thang", 2026, 1); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return db, a
}

// Reminders go once before the deadline and once after it, to units that have not
// submitted.
func TestRemindersJob(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, testRemindersJob)
}

func testRemindersJob(t *testing.T, engine string) {
	ctx := context.Background()
	db, a := mustPeriod(t, engine)
	// T1/2026: data to 14/01, due 19/01.
	day := func(d string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", d+" 09:00", tinhso.Location)
		return t
	}
	for _, c := range []struct {
		day  string
		want int
	}{{"2026-01-15", 0}, {"2026-01-17", 1}, {"2026-01-18", 0}, {"2026-01-20", 1}, {"2026-01-21", 0}} {
		n, err := a.SendReminders(ctx, day(c.day), 3)
		if err != nil || n != c.want {
			t.Errorf("%s: sent %d (%v), want %d", c.day, n, err, c.want)
		}
	}
	list, _, _ := db.FindNotifications(ctx, "so-thu", tinhso.Page{Limit: 10})
	vi := locale.For(locale.VI)
	if len(list) != 2 || list[0].MessageKey != "reminder.overdue" || !strings.Contains(vi.Message(list[0].Text()), "quá hạn") ||
		!strings.Contains(vi.Message(list[1].Text()), "19/01/2026") || !strings.HasPrefix(list[0].Link, "/reporting/") {
		t.Errorf("notifications: %+v", list)
	}
	// Stored as a key with its arguments, read back with their types.
	if args := list[1].MessageArgs; len(args) != 2 || args[1] != tinhso.Date("2026-01-19") {
		t.Errorf("message args read back as %#v", args)
	}
	// Submitting answers the unit's reminders of the period.
	if _, err := a.Transition(ctx, subID(t, db), tinhso.TransSubmit, "", 0); err != nil {
		t.Fatal(err)
	}
	list, _, _ = db.FindNotifications(ctx, "so-thu", tinhso.Page{Limit: 10})
	for _, n := range list {
		if n.ReadAt == nil {
			t.Errorf("reminder %s still unread after submitting", n.Key)
		}
	}
}

func subID(t *testing.T, db *sqldb.DB) int64 {
	t.Helper()
	subs, _, err := db.FindSubmissions(context.Background(), tinhso.SubmissionFilter{OrgUnit: "so-thu"})
	if err != nil || len(subs) != 1 {
		t.Fatalf("submissions of so-thu: %v %v", subs, err)
	}
	return subs[0].ID
}

// A closed period sends no more reminders; a notification is marked read once.
func TestClosedPeriodNoReminders(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, testClosedPeriodNoReminders)
}

func testClosedPeriodNoReminders(t *testing.T, engine string) {
	ctx := context.Background()
	db, a := mustPeriod(t, engine)
	day := func(d string) time.Time { t, _ := time.ParseInLocation("2006-01-02", d, tinhso.Location); return t }
	if n, _ := a.SendReminders(ctx, day("2026-01-17"), 3); n != 1 {
		t.Fatalf("before closing: %d", n)
	}
	ps, _ := db.FindPeriods(ctx, "")
	if _, err := a.ClosePeriod(ctx, ps[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ClosePeriod(ctx, ps[0].ID); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
		t.Errorf("closing twice: %v", err)
	}
	if n, _ := a.SendReminders(ctx, day("2026-01-25"), 3); n != 0 {
		t.Errorf("a closed period sent %d reminders", n)
	}
	subs, _, _ := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: ps[0].ID})
	if _, err := a.SaveSubmission(ctx, subs[0].ID, nil, nil, 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
		t.Errorf("saving into a closed period: %v", err)
	}
	if _, err := a.Transition(ctx, subs[0].ID, tinhso.TransSubmit, "", 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
		t.Errorf("submitting into a closed period: %v", err)
	}
	if recs, _, _ := db.FindAudit(ctx, tinhso.AuditFilter{Entity: "period"}); len(recs) == 0 || recs[0].Action != "period.close" {
		t.Errorf("closing not audited: %+v", recs)
	}
	list, _, _ := db.FindNotifications(ctx, "so-thu", tinhso.Page{Limit: 10})
	if err := db.MarkNotificationRead(ctx, list[0].ID, "so-khac"); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
		t.Errorf("another unit's notification: %v", err)
	}
	if err := db.MarkNotificationRead(ctx, list[0].ID, "so-thu"); err != nil {
		t.Fatal(err)
	}
	list, _, _ = db.FindNotifications(ctx, "so-thu", tinhso.Page{Limit: 10})
	if list[0].ReadAt == nil {
		t.Errorf("not marked read")
	}
}
