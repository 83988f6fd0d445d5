// Package connector reads the sources of connectors (issue 16): JSON over HTTP(S) with
// JSONPath and pagination, CSV and .xlsx over HTTP(S) or from a file under a configured
// folder, and SQL queries against PostgreSQL in a read-only transaction. Every HTTP
// request, the OAuth2 token's included, goes through the outbound guard's client.
package connector

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/theory/jsonpath"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/netguard"
	"github.com/tinhso/tinhso/secret"
	"github.com/tinhso/tinhso/xlsx"
)

// MaxBody bounds one answer or file read (32 MiB).
const MaxBody = 32 << 20

// Fetcher reads sources. Its zero value reads nothing; make it with New.
type Fetcher struct {
	guard *netguard.Guard
	// folder is where file sources live ("" : none allowed).
	folder string
}

// New returns a fetcher whose requests go through guard and whose file sources are
// under folder ("" : file sources are refused).
func New(guard *netguard.Guard, folder string) *Fetcher {
	return &Fetcher{guard: guard, folder: folder}
}

// CheckURL is the guard's check of an address.
func (f *Fetcher) CheckURL(ctx context.Context, u string) error { return f.guard.CheckURL(ctx, u) }

func fail(path, key string, args ...any) error {
	e := tinhso.Errorf(tinhso.EINVALID, key, args...)
	e.Field = path
	return e
}

// Fetch reads a connector's rows.
func (f *Fetcher) Fetch(ctx context.Context, c *tinhso.Connector, sec secret.Secret) ([]engine.Row, error) {
	switch c.Source.Kind {
	case tinhso.SourceJSON:
		return f.fetchJSON(ctx, c, sec)
	case tinhso.SourceCSV:
		return f.fetchTable(ctx, c, sec)
	case tinhso.SourceSQL:
		return fetchSQL(ctx, c, sec)
	}
	return nil, fail("source.kind", "connectors.err.source_kind", c.Source.Kind)
}

// client is the guard's client, with the OAuth2 token source when the source signs
// in that way (its token request goes through the guard too).
func (f *Fetcher) client(ctx context.Context, c *tinhso.Connector, sec secret.Secret) *http.Client {
	base := f.guard.Client()
	if c.Source.Auth.Kind != tinhso.AuthOAuth2 {
		return base
	}
	cc := &clientcredentials.Config{ClientID: c.Source.Auth.ClientID, ClientSecret: sec.Reveal(), TokenURL: c.Source.Auth.TokenURL,
		Scopes: strings.Fields(c.Source.Auth.Scopes)}
	return cc.Client(context.WithValue(ctx, oauth2.HTTPClient, base))
}

// get makes one request of the source and returns the answer's body.
func (f *Fetcher) get(ctx context.Context, client *http.Client, c *tinhso.Connector, sec secret.Secret, u string) ([]byte, http.Header, error) {
	s := &c.Source
	method := s.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if method == http.MethodPost && s.Body != "" {
		body = strings.NewReader(s.Body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, nil, fail("source.url", "connectors.err.url", u)
	}
	for k, v := range s.Headers {
		req.Header.Set(k, v)
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch s.Auth.Kind {
	case tinhso.AuthBearer:
		req.Header.Set("Authorization", "Bearer "+sec.Reveal())
	case tinhso.AuthBasic:
		req.SetBasicAuth(s.Auth.Username, sec.Reveal())
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		var keyed interface {
			Key() string
			Args() map[string]any
		}
		if errors.As(err, &keyed) {
			return nil, nil, fail(u, keyed.Key(), tinhso.Args{keyed.Args()}...)
		}
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return nil, nil, fail(s.Auth.TokenURL, "connectors.err.token", re.Response.StatusCode)
		}
		return nil, nil, fail(u, "connectors.err.request", redact(err.Error(), sec))
	}
	defer resp.Body.Close()
	data, err := netguard.ReadAll(resp.Body, MaxBody)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, fail(u, "connectors.err.request", redact(err.Error(), sec))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, fail(u, "connectors.err.status", resp.StatusCode)
	}
	return data, resp.Header, nil
}

// redact keeps a secret out of an error's text.
func redact(s string, sec secret.Secret) string {
	if v := sec.Reveal(); len(v) >= 4 {
		s = strings.ReplaceAll(s, v, secret.Redacted)
	}
	return s
}

func (f *Fetcher) fetchJSON(ctx context.Context, c *tinhso.Connector, sec secret.Secret) ([]engine.Row, error) {
	s := &c.Source
	items, err := jsonpath.Parse(s.Items)
	if err != nil {
		return nil, fail("source.items", "connectors.err.jsonpath", s.Items)
	}
	fields := map[string]*jsonpath.Path{}
	for _, name := range []string{c.Mapping.Time, c.Mapping.Value} {
		if strings.HasPrefix(name, "$") {
			p, err := jsonpath.Parse(name)
			if err != nil {
				return nil, fail("mapping", "connectors.err.jsonpath", name)
			}
			fields[name] = p
		}
	}
	var next *jsonpath.Path
	if s.Paging.Kind == tinhso.PageLink && s.Paging.Next != "" {
		if next, err = jsonpath.Parse(s.Paging.Next); err != nil {
			return nil, fail("source.paging.next", "connectors.err.jsonpath", s.Paging.Next)
		}
	}
	maxPages := s.Paging.MaxPages
	if maxPages == 0 {
		maxPages = 100
	}
	param := s.Paging.Param
	if param == "" {
		param = "page"
	}
	page := s.Paging.Start
	if page == 0 && s.Paging.Kind == tinhso.PageNumber {
		page = 1
	}
	client := f.client(ctx, c, sec)
	u := s.URL
	var rows []engine.Row
	seen := map[string]bool{}
	for n := 0; ; n++ {
		if n == maxPages {
			return nil, fail(u, "connectors.err.too_many_pages", maxPages)
		}
		pageURL := u
		if s.Paging.Kind == tinhso.PageNumber {
			pu, err := url.Parse(u)
			if err != nil {
				return nil, fail("source.url", "connectors.err.url", u)
			}
			q := pu.Query()
			q.Set(param, strconv.Itoa(page+n))
			pu.RawQuery = q.Encode()
			pageURL = pu.String()
		}
		if seen[pageURL] {
			break // a next link back to a page read
		}
		seen[pageURL] = true
		data, hdr, err := f.get(ctx, client, c, sec, pageURL)
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		var doc any
		if err := dec.Decode(&doc); err != nil {
			return nil, fail(pageURL, "connectors.err.json", jsonErr(err, data))
		}
		if dec.More() {
			return nil, fail(pageURL, "connectors.err.json", "…")
		}
		located := items.SelectLocated(doc)
		count := 0
		for node := range located.All() {
			count++
			r := engine.Row{N: len(rows) + 1, Path: node.Path.String(), Fields: map[string]any{}}
			obj, _ := node.Node.(map[string]any)
			for _, name := range []string{c.Mapping.Time, c.Mapping.Value} {
				if p := fields[name]; p != nil {
					if got := p.Select(node.Node); len(got) > 0 {
						r.Fields[name] = got[0]
					}
				} else if v, ok := obj[name]; ok {
					r.Fields[name] = v
				}
			}
			rows = append(rows, r)
		}
		switch s.Paging.Kind {
		case tinhso.PageNumber:
			if count == 0 {
				return rows, nil
			}
		case tinhso.PageLink:
			link := ""
			if next != nil {
				if got := next.Select(doc); len(got) > 0 {
					link, _ = got[0].(string)
				}
			} else {
				link = nextLink(hdr.Get("Link"))
			}
			if link == "" {
				return rows, nil
			}
			base, _ := url.Parse(pageURL)
			ref, err := url.Parse(link)
			if err != nil {
				return nil, fail(pageURL, "connectors.err.url", link)
			}
			u = base.ResolveReference(ref).String()
		default:
			return rows, nil
		}
	}
	return rows, nil
}

// jsonErr says where JSON stopped parsing.
func jsonErr(err error, data []byte) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Sprintf("%s (%d:%d)", se.Error(), line, se.Offset)
	}
	return err.Error()
}

// nextLink reads the rel="next" URL of a Link header (RFC 8288).
func nextLink(h string) string {
	for _, part := range strings.Split(h, ",") {
		ref, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			p = strings.ReplaceAll(strings.TrimSpace(p), " ", "")
			if p == `rel="next"` || p == "rel=next" {
				return strings.Trim(strings.TrimSpace(ref), "<>")
			}
		}
	}
	return ""
}

// fetchTable reads a CSV or .xlsx table: its first row names the columns.
func (f *Fetcher) fetchTable(ctx context.Context, c *tinhso.Connector, sec secret.Secret) ([]engine.Row, error) {
	s := &c.Source
	var data []byte
	where := s.URL
	if s.File != "" {
		where = s.File
		p, err := f.filePath(s.File)
		if err != nil {
			return nil, err
		}
		fh, err := os.Open(p)
		if err != nil {
			return nil, fail("source.file", "connectors.err.file_open", s.File)
		}
		defer fh.Close()
		if data, err = netguard.ReadAll(fh, MaxBody); err != nil {
			return nil, fail("source.file", "connectors.err.file_open", s.File)
		}
	} else {
		var err error
		if data, _, err = f.get(ctx, f.client(ctx, c, sec), c, sec, s.URL); err != nil {
			return nil, err
		}
	}
	var table [][]string
	if s.Format == "xlsx" || strings.HasSuffix(strings.ToLower(where), ".xlsx") {
		var err error
		if table, err = xlsx.ReadRows(bytes.NewReader(data)); err != nil {
			return nil, fail(where, "connectors.err.xlsx")
		}
	} else {
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		r := csv.NewReader(bytes.NewReader(data))
		if s.Delimiter != "" {
			r.Comma = []rune(s.Delimiter)[0]
		} else if first, _, _ := bytes.Cut(data, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
			r.Comma = ';' // the decimal comma's usual companion
		}
		r.FieldsPerRecord = -1
		var err error
		if table, err = r.ReadAll(); err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fail(where, "connectors.err.csv", pe.Line, pe.Err.Error())
			}
			return nil, fail(where, "connectors.err.csv", 0, err.Error())
		}
	}
	if len(table) == 0 {
		return nil, fail(where, "connectors.err.no_header")
	}
	cols := map[string]int{}
	for i, h := range table[0] {
		cols[strings.TrimSpace(h)] = i
	}
	for _, name := range []string{c.Mapping.Time, c.Mapping.Value} {
		if _, ok := cols[name]; !ok {
			return nil, fail(where, "connectors.err.missing_column", name, strings.Join(table[0], ", "))
		}
	}
	rows := make([]engine.Row, 0, len(table)-1)
	for i, rec := range table[1:] {
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // an empty line
		}
		r := engine.Row{N: i + 2, Fields: map[string]any{}}
		for _, name := range []string{c.Mapping.Time, c.Mapping.Value} {
			if j := cols[name]; j < len(rec) {
				r.Fields[name] = rec[j]
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// filePath is a file source's path under the folder; one that leaves it is refused,
// symbolic links included.
func (f *Fetcher) filePath(name string) (string, error) {
	if f.folder == "" {
		return "", fail("source.file", "connectors.err.no_folder")
	}
	root, err := filepath.EvalSymlinks(f.folder)
	if err != nil {
		return "", fail("source.file", "connectors.err.no_folder")
	}
	p, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		return "", fail("source.file", "connectors.err.file_open", name)
	}
	if rel, err := filepath.Rel(root, p); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fail("source.file", "connectors.err.file", name)
	}
	return p, nil
}

// fetchSQL runs the query in a read-only transaction with a statement timeout, as the
// connector's role (read-only credentials: the password is the secret).
func fetchSQL(ctx context.Context, c *tinhso.Connector, sec secret.Secret) ([]engine.Row, error) {
	cfg, err := pgx.ParseConfig(c.Source.DSN)
	if err != nil {
		return nil, fail("source.dsn", "connectors.err.dsn")
	}
	if sec.IsSet() {
		cfg.Password = sec.Reveal()
	}
	timeout := c.RunTimeout()
	cfg.ConnectTimeout = min(timeout, 10*time.Second)
	cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(timeout.Milliseconds(), 10)
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fail("source.dsn", "connectors.err.sql_connect", redact(err.Error(), sec))
	}
	defer conn.Close(context.WithoutCancel(ctx))
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fail("source.dsn", "connectors.err.sql_connect", redact(err.Error(), sec))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	res, err := tx.Query(ctx, c.Source.Query)
	if err != nil {
		return nil, sqlErr(ctx, err)
	}
	defer res.Close()
	// The first row comes before the columns are checked: an error of the statement
	// (a write refused by the read-only transaction) shows only then.
	more := res.Next()
	if err := res.Err(); err != nil {
		return nil, sqlErr(ctx, err)
	}
	cols := map[string]int{}
	var names []string
	for i, fd := range res.FieldDescriptions() {
		cols[fd.Name] = i
		names = append(names, fd.Name)
	}
	for _, name := range []string{c.Mapping.Time, c.Mapping.Value} {
		if _, ok := cols[name]; !ok {
			return nil, fail("source.query", "connectors.err.missing_column", name, strings.Join(names, ", "))
		}
	}
	var rows []engine.Row
	for ; more; more = res.Next() {
		vals, err := res.Values()
		if err != nil {
			return nil, sqlErr(ctx, err)
		}
		r := engine.Row{N: len(rows) + 1, Fields: map[string]any{}}
		for _, name := range []string{c.Mapping.Time, c.Mapping.Value} {
			r.Fields[name] = sqlValue(vals[cols[name]])
		}
		rows = append(rows, r)
	}
	if err := res.Err(); err != nil {
		return nil, sqlErr(ctx, err)
	}
	return rows, nil
}

func sqlErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fail("source.query", "connectors.err.sql", err.Error())
}

// sqlValue turns what pgx scanned into what the mapping reads: integers and numerics
// to numbers, dates and times as they are.
func sqlValue(v any) any {
	switch x := v.(type) {
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case float32:
		return float64(x)
	case pgtype.Numeric:
		f, err := x.Float64Value()
		if err != nil || !f.Valid {
			return nil
		}
		return f.Float64
	}
	return v
}
