package app

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/secret"
)

// Connectors (issue 16): a connector reads another system and writes what it read to a
// series or an indicator's figures. A run is all or nothing: everything is read and
// mapped before anything is written, any error writes nothing, and every run is
// recorded with its first errors.

// ConnectorFetcher reads a connector's source: the rows, each with the fields its
// mapping names. An error with a Field names the path (a JSONPath, a column, a page)
// where it was found. The secret is the connector's, opened ("" when none).
type ConnectorFetcher interface {
	Fetch(ctx context.Context, c *tinhso.Connector, secret secret.Secret) ([]engine.Row, error)
	// CheckURL is the outbound guard's check of a source's address.
	CheckURL(ctx context.Context, url string) error
}

// ConnectorOptions are the parts connectors need: the sources and the keyring.
type ConnectorOptions struct {
	Fetcher ConnectorFetcher
	Secrets *secret.Keyring
}

// SetConnectorOptions sets the sources and the keyring of connectors.
func (a *App) SetConnectorOptions(o ConnectorOptions) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.connOpts = o
}

func (a *App) connectorParts() (tinhso.ConnectorStore, ConnectorOptions, error) {
	cs, ok := a.store.(tinhso.ConnectorStore)
	a.mu.Lock()
	o := a.connOpts
	a.mu.Unlock()
	if !ok || o.Fetcher == nil {
		return nil, o, tinhso.Errorf(tinhso.EINTERNAL, "err.internal")
	}
	return cs, o, nil
}

// Connectors lists the connectors with their last runs.
func (a *App) Connectors(ctx context.Context) ([]*tinhso.Connector, error) {
	cs, _, err := a.connectorParts()
	if err != nil {
		return nil, err
	}
	return cs.FindConnectors(ctx)
}

// Connector returns one connector.
func (a *App) Connector(ctx context.Context, id int64) (*tinhso.Connector, error) {
	cs, _, err := a.connectorParts()
	if err != nil {
		return nil, err
	}
	return cs.FindConnector(ctx, id)
}

// ConnectorByName returns a connector by its name.
func (a *App) ConnectorByName(ctx context.Context, name string) (*tinhso.Connector, error) {
	cs, _, err := a.connectorParts()
	if err != nil {
		return nil, err
	}
	return cs.FindConnectorByName(ctx, name)
}

// ConnectorRuns lists a connector's runs, newest first.
func (a *App) ConnectorRuns(ctx context.Context, id int64, limit int) ([]*tinhso.ConnectorRun, error) {
	cs, _, err := a.connectorParts()
	if err != nil {
		return nil, err
	}
	if _, err := cs.FindConnector(ctx, id); err != nil {
		return nil, err
	}
	return cs.FindConnectorRuns(ctx, id, limit)
}

// CheckConnector validates a connector as typed: its fields, its cron expression, its
// unit and target, and its addresses against the outbound guard.
func (a *App) CheckConnector(ctx context.Context, c *tinhso.Connector) error {
	_, o, err := a.connectorParts()
	if err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if c.Schedule.Cron != "" {
		if _, err := engine.ParseCron(c.Schedule.Cron); err != nil {
			return err
		}
	}
	if _, err := a.store.FindOrgUnit(ctx, c.OrgUnit); err != nil {
		if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
			return tinhso.Invalid("org_unit", "connectors.err.unknown_unit", c.OrgUnit)
		}
		return err
	}
	if c.Mapping.Target == tinhso.TargetIndicator {
		_, n, err := a.store.FindIndicators(ctx, tinhso.IndicatorFilter{Key: c.Mapping.Indicator, Page: tinhso.Page{Limit: 1}})
		if err != nil {
			return err
		}
		if n == 0 {
			return tinhso.Invalid("mapping.indicator", "connectors.err.unknown_indicator", c.Mapping.Indicator)
		}
	}
	for _, u := range []struct{ field, url string }{{"source.url", c.Source.URL}, {"source.auth.token_url", c.Source.Auth.TokenURL}} {
		if u.url == "" || (c.Source.Kind == tinhso.SourceSQL) {
			continue
		}
		if err := o.Fetcher.CheckURL(ctx, u.url); err != nil {
			return refusedOn(u.field, err)
		}
	}
	return nil
}

// SaveConnector validates and stores a connector; secretValue "" keeps the stored
// secret (clearSecret drops it), another is sealed with TINHSO_SECRET_KEY.
func (a *App) SaveConnector(ctx context.Context, c *tinhso.Connector, secretValue string, clearSecret bool, version int) error {
	cs, o, err := a.connectorParts()
	if err != nil {
		return err
	}
	if err := a.CheckConnector(ctx, c); err != nil {
		return err
	}
	if secretValue == secret.Redacted {
		return tinhso.Invalid("secret", "secret.placeholder")
	}
	sealed := ""
	if secretValue != "" {
		if sealed, err = o.Secrets.Seal(secret.New(secretValue)); err != nil {
			return err
		}
	}
	return cs.SaveConnector(ctx, c, sealed, clearSecret && secretValue == "", version)
}

// DeleteConnector deletes a connector with its runs and figures.
func (a *App) DeleteConnector(ctx context.Context, id int64) error {
	cs, _, err := a.connectorParts()
	if err != nil {
		return err
	}
	if err := cs.DeleteConnector(ctx, id); err != nil {
		return err
	}
	a.Invalidate()
	return nil
}

// fetchError is a source's error as a run's error.
func fetchError(err error) tinhso.ConnectorError {
	var te *tinhso.Error
	if errors.As(err, &te) && te.Key != "" {
		return tinhso.ConnectorError{Path: te.Field, Message: tinhso.Message{Key: te.Key, Args: te.Args}}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return tinhso.ConnectorError{Message: tinhso.M("connectors.err.timeout_run")}
	}
	return tinhso.ConnectorError{Message: tinhso.M("connectors.err.source", err.Error())}
}

// RunConnector runs a connector now: trigger manual or schedule writes, test (a dry
// run) only reads and maps, returning what would be written. The run is recorded
// either way; only a failure of the store itself is returned as an error.
func (a *App) RunConnector(ctx context.Context, id int64, trigger string) (*tinhso.ConnectorRun, error) {
	cs, _, err := a.connectorParts()
	if err != nil {
		return nil, err
	}
	c, err := cs.FindConnector(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.runConnector(ctx, c, trigger)
}

func (a *App) runConnector(ctx context.Context, c *tinhso.Connector, trigger string) (*tinhso.ConnectorRun, error) {
	cs, o, err := a.connectorParts()
	if err != nil {
		return nil, err
	}
	run := &tinhso.ConnectorRun{Connector: c.ID, Trigger: trigger, Start: a.clock(), Errors: []tinhso.ConnectorError{}}
	figs, points, err := a.readConnector(ctx, cs, o, c, run)
	dry := trigger == tinhso.TriggerTest
	switch {
	case err != nil:
		run.Outcome = tinhso.RunFailed
		run.Errors = engine.FirstErrors(append(run.Errors, fetchError(err)))
	case len(run.Errors) > 0:
		run.Outcome = tinhso.RunFailed
		run.Errors = engine.FirstErrors(run.Errors)
	case dry:
		run.Outcome = tinhso.RunDry
	case engine.Unchanged(c, run.Digest):
		run.Outcome = tinhso.RunUnchanged
		figs, points = nil, nil
	default:
		run.Outcome = tinhso.RunOK
	}
	if run.Outcome == tinhso.RunFailed {
		figs, points = nil, nil
		run.Values = nil
	}
	if dry {
		figs, points = nil, nil
	}
	if len(points) > 0 {
		// Points go through the series store's one durable write, taken whole or not
		// at all, before the run is recorded.
		if err := a.writeConnectorPoints(ctx, c, points); err != nil {
			run.Outcome, figs = tinhso.RunFailed, nil
			run.Errors = append(run.Errors, fetchError(err))
		} else {
			run.Written = len(points)
		}
	}
	if len(figs) > 0 {
		run.Written = len(figs)
	}
	if !dry {
		run.Values = nil
	}
	run.End = a.clock()
	if err := cs.RecordConnectorRun(ctx, run, figs); err != nil {
		if tinhso.ErrorCode(err) != tinhso.ENOTFOUND || len(figs) == 0 {
			return nil, err
		}
		// The indicator went away between reading and writing: a failed run.
		run.Outcome, run.Written = tinhso.RunFailed, 0
		run.Errors = append(run.Errors, fetchError(err))
		if err := cs.RecordConnectorRun(ctx, run, nil); err != nil {
			return nil, err
		}
	}
	if len(figs) > 0 {
		a.Invalidate()
	}
	if !dry {
		if err := a.connectorAlert(ctx, c, run); err != nil {
			a.log.Error("connector alert", "connector", c.Name, "err", err)
		}
	}
	return run, nil
}

// readConnector fetches and maps the rows; the run gets its counts, errors, digest and
// values. It returns the figures or points to write.
func (a *App) readConnector(ctx context.Context, cs tinhso.ConnectorStore, o ConnectorOptions, c *tinhso.Connector, run *tinhso.ConnectorRun) ([]tinhso.ConnectorFigure, []tinhso.Point, error) {
	var sec secret.Secret
	if c.HasSecret {
		sealed, err := cs.ConnectorSecret(ctx, c.ID)
		if err != nil {
			return nil, nil, err
		}
		if sealed != "" {
			if sec, err = o.Secrets.Open(sealed); err != nil {
				return nil, nil, tinhso.Errorf(tinhso.EINTERNAL, "connectors.err.secret_key")
			}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.RunTimeout())
	defer cancel()
	rows, err := o.Fetcher.Fetch(ctx, c, sec)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, tinhso.Errorf(tinhso.EINVALID, "connectors.err.timeout_run", c.RunTimeout().String())
		}
		return nil, nil, err
	}
	run.RowsRead = len(rows)
	vals, errs := engine.MapRows(&c.Mapping, rows)
	run.Errors = append(run.Errors, errs...)
	run.Digest = engine.Digest(vals)
	run.Values = vals
	if len(errs) > 0 {
		return nil, nil, nil
	}
	if c.Mapping.Target == tinhso.TargetIndicator {
		figs := make([]tinhso.ConnectorFigure, len(vals))
		for i, v := range vals {
			figs[i] = tinhso.ConnectorFigure{Indicator: c.Mapping.Indicator, Date: v.Date, Period: v.Period, Value: v.Value,
				Connector: c.ID, Approved: c.Mapping.AutoApprove}
		}
		return figs, nil, nil
	}
	pts := make([]tinhso.Point, len(vals))
	for i, v := range vals {
		pts[i] = tinhso.Point{T: v.Time.UnixNano(), V: v.Value}
	}
	return nil, pts, nil
}

func (a *App) writeConnectorPoints(ctx context.Context, c *tinhso.Connector, pts []tinhso.Point) error {
	ss, ok := a.store.(tinhso.SeriesStore)
	if !ok {
		return tinhso.Errorf(tinhso.EINTERNAL, "err.internal")
	}
	ids, err := ss.SeriesIDs(ctx, []string{c.Mapping.Series}, true)
	if err != nil {
		return err
	}
	return ss.WritePoints(ctx, &tinhso.PointWrite{Series: []tinhso.SeriesPoints{{SeriesID: ids[0], Points: pts}}})
}

// ConnectorScheduler runs each enabled connector once per due time: a tick at or after
// a connector's due time starts its run unless the previous one is still running, and
// its next due time is the first scheduled one after the tick (missed times are not
// caught up, and a run slower than its interval never overlaps itself).
type ConnectorScheduler struct {
	app *App

	mu      sync.Mutex
	due     map[int64]time.Time // next due time by connector
	last    map[int64]time.Time // the due time of the last start
	running map[int64]bool
	wg      sync.WaitGroup
}

// NewConnectorScheduler returns the scheduler of the connectors.
func (a *App) NewConnectorScheduler() *ConnectorScheduler {
	return &ConnectorScheduler{app: a, due: map[int64]time.Time{}, last: map[int64]time.Time{}, running: map[int64]bool{}}
}

// Tick starts the runs due at now, each in its own goroutine, and returns the ids of
// the connectors it started.
func (s *ConnectorScheduler) Tick(ctx context.Context, now time.Time) ([]int64, error) {
	list, err := s.app.Connectors(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var started []int64
	for _, c := range list {
		var cron *engine.Cron
		if c.Schedule.Cron != "" {
			cr, err := engine.ParseCron(c.Schedule.Cron)
			if err != nil {
				continue
			}
			cron = &cr
		}
		due, ok := s.due[c.ID]
		if !ok {
			due = engine.NextDue(c, cron, time.Time{}, now)
			if cron != nil {
				due = cron.Next(now.Add(-time.Minute))
			}
			s.due[c.ID] = due
		}
		if due.IsZero() || now.Before(due) || s.running[c.ID] {
			continue
		}
		s.last[c.ID] = due
		s.due[c.ID] = engine.NextDue(c, cron, due, now.Add(time.Nanosecond))
		s.running[c.ID] = true
		started = append(started, c.ID)
		s.wg.Add(1)
		go func(c *tinhso.Connector) {
			defer s.wg.Done()
			if _, err := s.app.runConnector(context.WithoutCancel(ctx), c, tinhso.TriggerSchedule); err != nil {
				s.app.log.Error("connector run", "connector", c.Name, "err", err)
			}
			s.mu.Lock()
			delete(s.running, c.ID)
			s.mu.Unlock()
		}(c)
	}
	return started, nil
}

// Wait waits for the runs started to end.
func (s *ConnectorScheduler) Wait() { s.wg.Wait() }

// connectorAlert opens the connector's alert once it failed FailuresToAlert runs in a
// row, and resolves it after a run that did not fail.
func (a *App) connectorAlert(ctx context.Context, c *tinhso.Connector, run *tinhso.ConnectorRun) error {
	failures := 0
	if run.Outcome == tinhso.RunFailed {
		failures = c.Failures + 1
	}
	if !engine.ShouldAlert(failures) && c.Failures < engine.FailuresToAlert {
		return nil // neither failing now nor before: nothing to open or resolve
	}
	now := a.clock()
	var changed []*tinhso.Alert
	err := a.store.Exclusive(ctx, "alerts.sweep", func(ctx context.Context) error {
		rule, err := a.store.FindAlertRule(ctx, engine.ConnectorRuleKey)
		if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
			r := engine.ConnectorRule()
			if err = a.store.CreateAlertRule(ctx, &r); err == nil {
				rule = &r
			}
		}
		if err != nil {
			return err
		}
		if !rule.Enabled {
			return nil
		}
		f := engine.ConnectorFinding(rule, c, failures, run)
		stored, err := a.store.AlertsByKey(ctx, []string{f.Key})
		if err != nil {
			return err
		}
		existing := map[string]*tinhso.Alert{}
		if al := stored[f.Key]; al != nil {
			existing[f.Key] = al
		}
		var findings []engine.Finding
		if engine.ShouldAlert(failures) {
			findings = append(findings, f)
		}
		silences, err := a.store.FindSilences(ctx, &now)
		if err != nil {
			return err
		}
		aud, err := a.audience(ctx)
		if err != nil {
			return err
		}
		var sw AlertSweep
		changed, err = a.applyAlertChanges(ctx, engine.Advance(existing, findings, []*tinhso.AlertRule{rule},
			map[string]bool{rule.Key: true}, silences, now), aud, now, &sw)
		return err
	})
	if err != nil {
		return err
	}
	for _, al := range changed {
		a.publish(ctx, EventAlertChanged, "alert", strconv.FormatInt(al.ID, 10), now, al)
	}
	return nil
}
