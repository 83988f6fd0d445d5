package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/sqldb"
)

// runReminders sends the reminders due today to units that have not submitted, once
// each (the notification key makes a second run send nothing). It returns how many it
// sent.
func runReminders(ctx context.Context, db *sqldb.DB, now time.Time, daysBefore int) (int, error) {
	periods, err := db.FindPeriods(ctx, "")
	if err != nil {
		return 0, err
	}
	var subs []*tinhso.Submission
	for _, p := range periods {
		if p.Status != "open" {
			continue
		}
		list, _, err := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, Page: tinhso.Page{Limit: 1 << 30}})
		if err != nil {
			return 0, err
		}
		subs = append(subs, list...)
	}
	day := now.In(tinhso.Location).Format("2006-01-02")
	sent := 0
	for _, n := range engine.Reminders(day, periods, subs, daysBefore) {
		stored, err := db.Notify(ctx, &n)
		if err != nil {
			return sent, err
		}
		if stored {
			sent++
		}
	}
	return sent, nil
}

// scheduleReminders runs the reminders at start and then every interval until ctx ends.
func scheduleReminders(ctx context.Context, db *sqldb.DB, log *slog.Logger, interval time.Duration, daysBefore int) {
	if interval <= 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := runReminders(ctx, db, time.Now(), daysBefore)
		if err != nil && !errors.Is(err, context.Canceled) {
			log.Error("reminders", "error", err)
		} else if n > 0 {
			log.Info("reminders sent", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// auditVerify checks the audit log's hash chain: exit status 0 when intact.
func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, _, err := parseConfig(args, stderr, nil)
	if err != nil {
		return err
	}
	if c.DatabaseURL == "" {
		if _, err := os.Stat(c.database().Path); err != nil {
			return fmt.Errorf("no database at %s", c.database().Path)
		}
	}
	db, err := sqldb.Open(ctx, c.database())
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit log NOT intact after %d good records: %s", n, tinhso.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "audit log intact: %d records, every hash and link checked\n", n)
	return nil
}
