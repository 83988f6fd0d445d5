package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/sqldb"
)

// scheduleReminders runs the reminders job at start and then every interval until ctx
// ends.
func scheduleReminders(ctx context.Context, a *app.App, log *slog.Logger, interval time.Duration, daysBefore int) {
	if interval <= 0 {
		return
	}
	every(ctx, interval, func() {
		n, err := a.SendReminders(ctx, time.Now(), daysBefore)
		if err != nil && !errors.Is(err, context.Canceled) {
			log.Error("reminders", "error", err)
		} else if n > 0 {
			log.Info("reminders sent", "count", n)
		}
	})
}

// sweepSessions deletes expired sessions every hour until ctx ends.
func sweepSessions(ctx context.Context, a *app.App, log *slog.Logger) {
	every(ctx, time.Hour, func() {
		if n, err := a.SweepSessions(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("delete expired sessions", "error", err)
		} else if n > 0 {
			log.Debug("expired sessions deleted", "count", n)
		}
	})
}

// every runs job at once and then every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, job func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		job()
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
		return fmt.Errorf("audit log NOT intact after %d good records: %s", n, errText(err))
	}
	fmt.Fprintf(stdout, "audit log intact: %d records, every hash and link checked\n", n)
	return nil
}
