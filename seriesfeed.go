package tinhso

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Indicators fed by series (issue 13): some plan indicators are measured by machines,
// not by forms (the monthly share of applications filed online, the cameras
// connected). Such an indicator takes its figure per period from a live series,
// through the one figure path with the source FigureSeries: the function of the
// series' points over the period, dated on the period's last day, linked to the series
// and the span it was computed over. A computed figure counts at once only when the
// feed says so (AutoApprove); otherwise it waits for someone to approve it.

// Functions of a series over a period.
const (
	FeedSum   = "sum"
	FeedMean  = "mean"
	FeedLast  = "last"
	FeedCount = "count"
)

// FeedFuncs lists the functions.
var FeedFuncs = []string{FeedSum, FeedMean, FeedLast, FeedCount}

// FeedPeriods are the periods a feed computes figures for.
var FeedPeriods = []string{FreqMonthly, FreqQuarterly, FreqYearly}

// SeriesFeed says that an indicator takes its figure per period from a series.
type SeriesFeed struct {
	Indicator string `json:"indicator"`
	Series    string `json:"series"`
	Func      string `json:"func"`
	// Period: monthly, quarterly or yearly, in Vietnam time.
	Period      string    `json:"period"`
	AutoApprove bool      `json:"auto_approve"`
	UpdatedBy   string    `json:"updated_by,omitempty"`
	UpdatedAt   time.Time `json:"updated_at,omitzero"`
}

// Validate checks a feed.
func (f *SeriesFeed) Validate() error {
	if err := ValidSeriesKey(f.Series); err != nil {
		return Invalid("series", "live2.err.feed_series", f.Series)
	}
	if !contains(FeedFuncs, f.Func) {
		return Invalid("func", "live2.err.feed_func", f.Func, strings.Join(FeedFuncs, ", "))
	}
	if !contains(FeedPeriods, f.Period) {
		return Invalid("period", "live2.err.feed_period", f.Period, strings.Join(FeedPeriods, ", "))
	}
	return nil
}

// FeedSpan is a period of a feed: its label (T3/2026, Q1/2026, 2026), the day its
// figure is dated on (the last), and the span [From, To) of time it covers.
type FeedSpan struct {
	Label    string
	Date     string
	From, To time.Time
}

// FeedSpanOf returns the period of kind (monthly, quarterly, yearly) holding t, in
// Vietnam time.
func FeedSpanOf(kind string, t time.Time) FeedSpan {
	t = t.In(Location)
	y, m := t.Year(), int(t.Month())
	var first, months int
	var label string
	switch kind {
	case FreqMonthly:
		first, months, label = m, 1, fmt.Sprintf("T%d/%d", m, y)
	case FreqQuarterly:
		q := (m-1)/3 + 1
		first, months, label = 3*q-2, 3, fmt.Sprintf("Q%d/%d", q, y)
	default:
		first, months, label = 1, 12, fmt.Sprintf("%d", y)
	}
	from := time.Date(y, time.Month(first), 1, 0, 0, 0, 0, Location)
	to := from.AddDate(0, months, 0)
	return FeedSpan{Label: label, Date: to.AddDate(0, 0, -1).Format("2006-01-02"), From: from, To: to}
}

// FigureSpan is the series and span a figure was computed from.
type FigureSpan struct {
	Series string    `json:"series"`
	Func   string    `json:"func"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	// Points is how many points it was computed over.
	Points int64 `json:"points"`
}

// SeriesFigure is a figure computed from a series for one indicator and period.
type SeriesFigure struct {
	Indicator  string     `json:"indicator"`
	Period     string     `json:"period"`
	Date       string     `json:"date"`
	Value      float64    `json:"value"`
	Span       FigureSpan `json:"span"`
	Approved   bool       `json:"approved"`
	ApprovedBy string     `json:"approved_by,omitempty"`
	ApprovedAt *time.Time `json:"approved_at"`
	ComputedAt time.Time  `json:"computed_at"`
}

// SeriesFeedStore keeps the feeds and the figures computed from them.
type SeriesFeedStore interface {
	FindSeriesFeeds(ctx context.Context) ([]*SeriesFeed, error)
	// FindSeriesFeed returns an indicator's feed (ENOTFOUND when it has none).
	FindSeriesFeed(ctx context.Context, indicator string) (*SeriesFeed, error)
	PutSeriesFeed(ctx context.Context, f *SeriesFeed) error
	// DeleteSeriesFeed removes the feed and the figures computed from it.
	DeleteSeriesFeed(ctx context.Context, indicator string) error
	// SaveSeriesFigures stores computed figures, replacing those of the same indicator
	// and date; a figure whose value or span changed loses its approval unless it is
	// approved again (approved true), and one unchanged keeps it.
	SaveSeriesFigures(ctx context.Context, figs []SeriesFigure) error
	FindSeriesFigures(ctx context.Context, indicator string) ([]SeriesFigure, error)
	// ApproveSeriesFigure approves the figure of an indicator dated date.
	ApproveSeriesFigure(ctx context.Context, indicator, date, by string, at time.Time) error
}
