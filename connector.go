package tinhso

import (
	"context"
	"net/url"
	"path"
	"strings"
	"time"
)

// Connectors (issue 16): most of what the province measures lives in systems that will
// never push to tinhso (the public-service portal, the integration platform, sector
// databases). A connector reads one of them on a schedule — JSON over HTTP, CSV or
// .xlsx over HTTP or from a file, a SQL query — and sends the values either to a series
// or to an indicator's figure per period (source "connector"), keeping the trace to the
// run that wrote them. A run is all or nothing and recorded with its first errors.

// Source kinds.
const (
	SourceJSON = "json"
	SourceCSV  = "csv" // CSV or .xlsx (Format), over HTTP or from a file
	SourceSQL  = "sql"
)

// ConnectorSourceKinds lists the connectors' source kinds.
var ConnectorSourceKinds = []string{SourceJSON, SourceCSV, SourceSQL}

// Authentication of an HTTP source.
const (
	AuthNone   = ""
	AuthBearer = "bearer"
	AuthBasic  = "basic"
	AuthOAuth2 = "oauth2" // client credentials
)

// AuthKinds lists the authentications.
var AuthKinds = []string{AuthNone, AuthBearer, AuthBasic, AuthOAuth2}

// Pagination of a JSON source.
const (
	PageNone   = ""
	PageLink   = "link"   // the next page's URL at a JSONPath of the answer (or the Link header)
	PageNumber = "number" // a page-number query parameter, until a page has no items
)

// Mapping targets.
const (
	TargetSeries    = "series"
	TargetIndicator = "indicator"
)

// MaxConnectorErrors is how many errors a run keeps (the first ones).
const MaxConnectorErrors = 20

// ConnectorAuth is how an HTTP source signs in. Its secret (the token, the password,
// the client secret) is never part of it: it is stored sealed apart and only HasSecret
// is shown.
type ConnectorAuth struct {
	Kind     string `json:"kind"`
	Username string `json:"username,omitempty"`  // basic
	TokenURL string `json:"token_url,omitempty"` // oauth2
	ClientID string `json:"client_id,omitempty"` // oauth2
	Scopes   string `json:"scopes,omitempty"`    // oauth2, space-separated
}

// ConnectorPaging is how a JSON source pages.
type ConnectorPaging struct {
	Kind string `json:"kind"`
	// Next is the JSONPath of the next page's URL (link; "" reads the Link header).
	Next string `json:"next,omitempty"`
	// Param is the page-number query parameter (number; default "page"), starting at
	// Start (default 1).
	Param string `json:"param,omitempty"`
	Start int    `json:"start,omitempty"`
	// MaxPages bounds the pages read (default 100).
	MaxPages int `json:"max_pages,omitempty"`
}

// ConnectorSource is where a connector reads.
type ConnectorSource struct {
	Kind string `json:"kind"`
	// URL is the HTTP(S) address (json, csv); File a path under the configured folder
	// (csv) instead.
	URL     string            `json:"url,omitempty"`
	File    string            `json:"file,omitempty"`
	Method  string            `json:"method,omitempty"` // GET (default) or POST
	Body    string            `json:"body,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Auth    ConnectorAuth     `json:"auth"`
	// Items is the JSONPath of the rows in a JSON answer ("$.data[*]").
	Items  string          `json:"items,omitempty"`
	Paging ConnectorPaging `json:"paging"`
	// Format of a csv source: csv (default) or xlsx; Delimiter of a CSV (default ",").
	Format    string `json:"format,omitempty"`
	Delimiter string `json:"delimiter,omitempty"`
	// DSN is the PostgreSQL address of a sql source, without the password (the secret);
	// Query the SELECT it runs.
	DSN   string `json:"dsn,omitempty"`
	Query string `json:"query,omitempty"`
}

// ConnectorMapping says where the values go. Time and Value name a column (csv, sql) or
// a field or relative JSONPath ("$.ngay") of each item (json).
type ConnectorMapping struct {
	Target string `json:"target"`
	Series string `json:"series,omitempty"`
	// Indicator, Period (monthly, quarterly, yearly): a figure per period, dated on the
	// period's last day; AutoApprove as the indicator's connector says.
	Indicator   string `json:"indicator,omitempty"`
	Period      string `json:"period,omitempty"`
	AutoApprove bool   `json:"auto_approve,omitempty"`
	Time        string `json:"time"`
	Value       string `json:"value"`
}

// ConnectorSchedule is when a connector runs: every Every, or at the times of a cron
// expression (five fields) read in Asia/Ho_Chi_Minh. Neither: only by hand.
type ConnectorSchedule struct {
	Every Duration `json:"every,omitempty"`
	Cron  string   `json:"cron,omitempty"`
}

// Connector is one system read on a schedule.
type Connector struct {
	ID       int64             `json:"id"`
	Name     string            `json:"name"`
	Enabled  bool              `json:"enabled"`
	OrgUnit  string            `json:"org_unit"`
	Source   ConnectorSource   `json:"source"`
	Schedule ConnectorSchedule `json:"schedule"`
	// Timeout bounds one run (default 30 s, at most 10 min).
	Timeout Duration         `json:"timeout,omitempty"`
	Mapping ConnectorMapping `json:"mapping"`
	// HasSecret says a secret is stored; the secret itself is never shown.
	HasSecret bool `json:"has_secret"`
	// Failures counts the failed runs in a row; Digest is the last successful run's.
	Failures  int           `json:"failures"`
	Digest    string        `json:"-"`
	LastRun   *ConnectorRun `json:"last_run"`
	Version   int           `json:"version"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// DefaultConnectorTimeout is a run's timeout when none is set.
const DefaultConnectorTimeout = 30 * time.Second

// RunTimeout is the connector's timeout or the default.
func (c *Connector) RunTimeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultConnectorTimeout
	}
	return time.Duration(c.Timeout)
}

// Validate checks a connector as an admin typed it; ParseCron is the engine's, so
// the cron expression is checked by the app.
func (c *Connector) Validate() error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || len(c.Name) > 100 || strings.ContainsAny(c.Name, "/\n\t") {
		return Invalid("name", "connectors.err.name")
	}
	if c.OrgUnit == "" {
		return Invalid("org_unit", "connectors.err.org_unit")
	}
	s := &c.Source
	if !contains(ConnectorSourceKinds, s.Kind) {
		return Invalid("source.kind", "err.field.one_of", Field("source.kind"), strings.Join(ConnectorSourceKinds, ", "))
	}
	switch s.Kind {
	case SourceJSON, SourceCSV:
		if s.Kind == SourceCSV && s.File != "" {
			if s.URL != "" {
				return Invalid("source.file", "connectors.err.url_or_file")
			}
			p := path.Clean(strings.ReplaceAll(s.File, `\`, "/"))
			if path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
				return Invalid("source.file", "connectors.err.file", s.File)
			}
		} else if err := checkHTTPURL(s.URL); err != nil {
			return Invalid("source.url", "connectors.err.url", s.URL)
		}
		if s.Method != "" && s.Method != "GET" && s.Method != "POST" {
			return Invalid("source.method", "err.field.one_of", Field("source.method"), "GET, POST")
		}
		if !contains(AuthKinds, s.Auth.Kind) {
			return Invalid("source.auth.kind", "err.field.one_of", Field("source.auth.kind"), "bearer, basic, oauth2")
		}
		if s.Auth.Kind == AuthBasic && s.Auth.Username == "" {
			return Invalid("source.auth.username", "connectors.err.username")
		}
		if s.Auth.Kind == AuthOAuth2 {
			if err := checkHTTPURL(s.Auth.TokenURL); err != nil {
				return Invalid("source.auth.token_url", "connectors.err.url", s.Auth.TokenURL)
			}
			if s.Auth.ClientID == "" {
				return Invalid("source.auth.client_id", "connectors.err.client_id")
			}
		}
		for k := range s.Headers {
			if k == "" || strings.ContainsAny(k, " :\r\n") || strings.ContainsAny(s.Headers[k], "\r\n") {
				return Invalid("source.headers", "connectors.err.header", k)
			}
			if strings.EqualFold(k, "Authorization") {
				return Invalid("source.headers", "connectors.err.header_auth")
			}
		}
		if s.Kind == SourceJSON {
			if !strings.HasPrefix(s.Items, "$") {
				return Invalid("source.items", "connectors.err.jsonpath", s.Items)
			}
			switch s.Paging.Kind {
			case PageNone, PageLink, PageNumber:
			default:
				return Invalid("source.paging.kind", "err.field.one_of", Field("source.paging.kind"), "link, number")
			}
			if s.Paging.MaxPages < 0 || s.Paging.MaxPages > 10000 {
				return Invalid("source.paging.max_pages", "connectors.err.max_pages")
			}
		} else if s.Format != "" && s.Format != "csv" && s.Format != "xlsx" {
			return Invalid("source.format", "err.field.one_of", Field("source.format"), "csv, xlsx")
		}
		if len([]rune(s.Delimiter)) > 1 {
			return Invalid("source.delimiter", "connectors.err.delimiter")
		}
	case SourceSQL:
		u, err := url.Parse(s.DSN)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			return Invalid("source.dsn", "connectors.err.dsn")
		}
		if _, has := u.User.Password(); has {
			return Invalid("source.dsn", "connectors.err.dsn_password")
		}
		q := strings.ToLower(strings.TrimSpace(s.Query))
		if !strings.HasPrefix(q, "select") && !strings.HasPrefix(q, "with") {
			return Invalid("source.query", "connectors.err.query")
		}
	}
	if c.Schedule.Every != 0 && c.Schedule.Cron != "" {
		return Invalid("schedule", "connectors.err.schedule_both")
	}
	if c.Schedule.Every < 0 || (c.Schedule.Every != 0 && c.Schedule.Every < Duration(time.Minute)) {
		return Invalid("schedule.every", "connectors.err.every")
	}
	if c.Timeout < 0 || c.Timeout > Duration(10*time.Minute) {
		return Invalid("timeout", "connectors.err.timeout")
	}
	m := &c.Mapping
	switch m.Target {
	case TargetSeries:
		if err := ValidSeriesKey(m.Series); err != nil {
			return Invalid("mapping.series", "connectors.err.series", m.Series)
		}
	case TargetIndicator:
		if m.Indicator == "" {
			return Invalid("mapping.indicator", "connectors.err.indicator")
		}
		if !contains(FeedPeriods, m.Period) {
			return Invalid("mapping.period", "err.field.one_of", Field("mapping.period"), strings.Join(FeedPeriods, ", "))
		}
	default:
		return Invalid("mapping.target", "err.field.one_of", Field("mapping.target"), "series, indicator")
	}
	if strings.TrimSpace(m.Time) == "" {
		return Invalid("mapping.time", "connectors.err.column")
	}
	if strings.TrimSpace(m.Value) == "" {
		return Invalid("mapping.value", "connectors.err.column")
	}
	return nil
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Invalid("url", "connectors.err.url", raw)
	}
	return nil
}

// Run triggers.
const (
	TriggerSchedule = "schedule"
	TriggerManual   = "manual"
	TriggerTest     = "test" // a dry run
)

// Run outcomes.
const (
	RunOK        = "ok"
	RunUnchanged = "unchanged" // the data's digest is the last run's: nothing written
	RunFailed    = "failed"
	RunDry       = "dry" // a dry run that read without errors
)

// ConnectorError is one error of a run, with the row (1-based, of the data read) or
// the path where it was found, as a message key and arguments.
type ConnectorError struct {
	Row     int     `json:"row,omitempty"`
	Path    string  `json:"path,omitempty"`
	Message Message `json:"message"`
}

// ConnectorValue is one value a run read: at Time for a series, for the period dated
// Date for an indicator.
type ConnectorValue struct {
	Row    int       `json:"row"`
	Time   time.Time `json:"time"`
	Date   string    `json:"date,omitempty"`
	Period string    `json:"period,omitempty"`
	Value  float64   `json:"value"`
}

// ConnectorRun is the record of one run.
type ConnectorRun struct {
	ID        int64            `json:"id"`
	Connector int64            `json:"connector"`
	Trigger   string           `json:"trigger"`
	Outcome   string           `json:"outcome"`
	Start     time.Time        `json:"start"`
	End       time.Time        `json:"end"`
	RowsRead  int              `json:"rows_read"`
	Written   int              `json:"values_written"`
	Errors    []ConnectorError `json:"errors"`
	Digest    string           `json:"digest"`
	// Values are what a dry run would write (not stored).
	Values []ConnectorValue `json:"values,omitempty"`
}

// ConnectorFigure is an indicator's figure for a period written by a connector run.
type ConnectorFigure struct {
	Indicator string  `json:"indicator"`
	Date      string  `json:"date"`
	Period    string  `json:"period"`
	Value     float64 `json:"value"`
	Connector int64   `json:"connector"`
	Run       int64   `json:"run"`
	Approved  bool    `json:"approved"`
}

// ConnectorStore keeps the connectors, their runs and the figures they wrote.
type ConnectorStore interface {
	FindConnectors(ctx context.Context) ([]*Connector, error)
	FindConnector(ctx context.Context, id int64) (*Connector, error)
	FindConnectorByName(ctx context.Context, name string) (*Connector, error)
	// SaveConnector creates (ID 0) or updates (at version) a connector; sealed "" keeps
	// the stored secret, clear drops it.
	SaveConnector(ctx context.Context, c *Connector, sealed string, clear bool, version int) error
	DeleteConnector(ctx context.Context, id int64) error
	// ConnectorSecret returns the sealed secret ("" when none).
	ConnectorSecret(ctx context.Context, id int64) (string, error)
	// RecordConnectorRun stores a run (its ID set), the figures it wrote (each given the
	// run's id) and the connector's state (failures in a row, digest on success), in
	// one transaction.
	RecordConnectorRun(ctx context.Context, r *ConnectorRun, figs []ConnectorFigure) error
	FindConnectorRuns(ctx context.Context, connector int64, limit int) ([]*ConnectorRun, error)
	FindConnectorFigures(ctx context.Context, indicator string) ([]ConnectorFigure, error)
}
