// Package tinhso holds the domain of tinhso, the Intelligent Operations Center for a
// province's programme of science, technology, innovation and digital transformation:
// the plan's documents, org units, indicators, tasks, measures, funding and big problems,
// the parsers that turn their text as written into facts, and the service interfaces the
// adapters implement. It imports no package of this module.
package tinhso

import (
	"context"
	"strings"
	"time"
)

// Span locates a piece of a seed document exactly: 1-based lines, 1-based columns counted
// in runes, EndCol exclusive. A span over several lines joins them with "\n".
type Span struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	EndLine int    `json:"end_line"`
	EndCol  int    `json:"end_col"`
}

// IsZero reports whether the span points nowhere (a record typed in by a user).
func (s Span) IsZero() bool { return s.File == "" }

// Text returns the text the span covers in the given lines of its file, and false when
// the span lies outside them.
func (s Span) Text(lines []string) (string, bool) {
	if s.Line < 1 || s.EndLine < s.Line || s.EndLine > len(lines) || s.Col < 1 || s.EndCol < 1 {
		return "", false
	}
	var b strings.Builder
	for n := s.Line; n <= s.EndLine; n++ {
		r := []rune(lines[n-1])
		from, to := 0, len(r)
		if n == s.Line {
			from = s.Col - 1
		}
		if n == s.EndLine {
			to = s.EndCol - 1
		}
		if from > len(r) || to > len(r) || from > to {
			return "", false
		}
		if n > s.Line {
			b.WriteByte('\n')
		}
		b.WriteString(string(r[from:to]))
	}
	return b.String(), true
}

// Source is where a record came from: the passage of a seed document it was made from,
// verbatim. Records created through the API have none.
type Source struct {
	Span Span   `json:"span"`
	Text string `json:"text"`
}

// Location is the time zone of the province; dates are shown and deadlines judged in it.
var Location = mustLoadLocation("Asia/Ho_Chi_Minh")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Vietnam has had no DST since 1975: a fixed zone is exact when tzdata is missing.
		return time.FixedZone(name, 7*60*60)
	}
	return loc
}

// Actor is who makes a change and from where, as the audit log records it.
type Actor struct {
	Username string
	Address  string
}

type actorKey struct{}

// WithActor returns a context that carries the actor of the changes made with it.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor a context carries, or "system".
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Username: "system"}
}
