package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/connector"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/netguard"
	"github.com/tinhso/tinhso/secret"
	"github.com/tinhso/tinhso/sqldb"
)

// connectorOptions wires the connectors' sources: the outbound guard (the same
// TINHSO_OUTBOUND_ALLOW as webhooks), the folder of file sources (TINHSO_CONNECTOR_DIR,
// none by default) and the key of stored secrets (TINHSO_SECRET_KEY).
func connectorOptions(c config, log *slog.Logger) app.ConnectorOptions {
	var allow []string
	for _, h := range strings.Split(os.Getenv("TINHSO_OUTBOUND_ALLOW"), ",") {
		if h = strings.TrimSpace(h); h != "" {
			allow = append(allow, h)
		}
	}
	var listen []string
	if c.Addr != "" {
		listen = []string{c.Addr}
	}
	g, err := netguard.New(netguard.Config{Allow: allow, Listen: listen, PublicURL: c.PublicURL, Timeout: 10 * time.Minute})
	if err != nil {
		if log != nil {
			log.Error("outbound guard: TINHSO_OUTBOUND_ALLOW cannot be read; connectors are off", "error", err)
		}
		g, _ = netguard.New(netguard.Config{Listen: listen, PublicURL: c.PublicURL})
	}
	kr, _ := secret.FromEnv(os.Getenv)
	return app.ConnectorOptions{Fetcher: connector.New(g, os.Getenv("TINHSO_CONNECTOR_DIR")), Secrets: kr}
}

// scheduleConnectors runs the connectors that are due, checking every 20 seconds until
// ctx ends (TINHSO_CONNECTORS=off turns them off).
func scheduleConnectors(ctx context.Context, a *app.App, log *slog.Logger) {
	if os.Getenv("TINHSO_CONNECTORS") == "off" {
		return
	}
	s := a.NewConnectorScheduler()
	every(ctx, 20*time.Second, func() {
		if ids, err := s.Tick(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Error("connectors", "error", err)
		} else if len(ids) > 0 {
			log.Debug("connectors started", "count", len(ids))
		}
	})
	s.Wait()
}

// connectorTest is `tinhso connector test NAME`: a dry run of the named connector,
// printing what it would write (or its errors) and writing nothing.
func connectorTest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var lang string
	c, fs, err := parseConfig(args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&lang, "lang", "vi", "language of the messages: vi or en")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: tinhso connector test [flags] NAME")
	}
	db, err := sqldb.Open(ctx, c.database())
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, app.Options{})
	a.SetConnectorOptions(connectorOptions(c, nil))
	conn, err := a.ConnectorByName(ctx, fs.Arg(0))
	if err != nil {
		return errors.New(errText(err))
	}
	run, err := a.RunConnector(ctx, conn.ID, tinhso.TriggerTest)
	if err != nil {
		return errors.New(errText(err))
	}
	p := locale.For(locale.VI)
	if lang == "en" {
		p = locale.For(locale.EN)
	}
	fmt.Fprintln(stdout, p.T("connectors.cli.summary", conn.Name, run.RowsRead, len(run.Values)))
	for _, v := range run.Values {
		if v.Date != "" {
			fmt.Fprintf(stdout, "  %s\t%s\t%s\n", v.Period, p.Date(v.Date), p.Number(v.Value))
		} else {
			fmt.Fprintf(stdout, "  %s\t%s\n", p.Time(v.Time), p.Number(v.Value))
		}
	}
	for _, e := range run.Errors {
		fmt.Fprintln(stdout, "  "+errorLine(p, e))
	}
	if run.Outcome == tinhso.RunFailed {
		return errors.New(p.T("connectors.cli.failed", len(run.Errors)))
	}
	return nil
}

// errorLine is one error of a run with its row or path.
func errorLine(p *locale.Printer, e tinhso.ConnectorError) string {
	switch {
	case e.Row > 0 && e.Path != "":
		return p.T("connectors.where.row_path", e.Row, e.Path, p.Message(e.Message))
	case e.Row > 0:
		return p.T("connectors.where.row", e.Row, p.Message(e.Message))
	case e.Path != "":
		return p.T("connectors.where.path", e.Path, p.Message(e.Message))
	}
	return p.Message(e.Message)
}
