package notify

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// Digest is everything new for one recipient on one channel: one message instead of
// one per notification.
type Digest struct {
	Recipient string
	Channel   Channel
	// Items, most severe first, then oldest first, then by id: the same input gives
	// the same message.
	Items    []Item
	From, To time.Time // the first and the last item's time
}

// IDs returns the ids of the digest's items, to mark them delivered.
func (d Digest) IDs() []int64 {
	ids := make([]int64, len(d.Items))
	for i, it := range d.Items {
		ids[i] = it.ID
	}
	return ids
}

// Group makes one digest per (recipient, channel) of items, typically those created
// since the last delivery. An item listed twice (same recipient, channel and id) is
// kept once. Digests are ordered by recipient, then channel; items as Digest says.
// Group is pure.
func Group(items []Item) []Digest {
	type k struct {
		r string
		c Channel
	}
	byKey := map[k]*Digest{}
	seen := map[k]map[int64]bool{}
	for _, it := range items {
		key := k{it.Recipient, it.Channel}
		d := byKey[key]
		if d == nil {
			d = &Digest{Recipient: it.Recipient, Channel: it.Channel}
			byKey[key] = d
			seen[key] = map[int64]bool{}
		}
		if seen[key][it.ID] {
			continue
		}
		seen[key][it.ID] = true
		d.Items = append(d.Items, it)
	}
	out := make([]Digest, 0, len(byKey))
	for _, d := range byKey {
		slices.SortFunc(d.Items, func(a, b Item) int {
			return cmp.Or(
				cmp.Compare(a.Severity.rank(), b.Severity.rank()),
				a.CreatedAt.Compare(b.CreatedAt),
				cmp.Compare(a.ID, b.ID),
			)
		})
		d.From, d.To = d.Items[0].CreatedAt, d.Items[0].CreatedAt
		for _, it := range d.Items {
			if it.CreatedAt.Before(d.From) {
				d.From = it.CreatedAt
			}
			if it.CreatedAt.After(d.To) {
				d.To = it.CreatedAt
			}
		}
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b Digest) int {
		return cmp.Or(cmp.Compare(a.Recipient, b.Recipient), cmp.Compare(a.Channel, b.Channel))
	})
	return out
}

// Message keys the digest is written with (locale/vi.toml, locale/en.toml).
const (
	KeySubjectOne  = "notify.digest.subject_one"  // {text}
	KeySubjectMany = "notify.digest.subject_many" // {count}
	KeyIntroOne    = "notify.digest.intro_one"    // {from}
	KeyIntroMany   = "notify.digest.intro_many"   // {count} {from} {to}
	KeyOpen        = "notify.digest.open"         // {url}
	KeyFooter      = "notify.digest.footer"       // {settings_url}
	KeySeverity    = "notify.severity."           // + info, warning, critical
)

// Rendered is a digest written out for email.
type Rendered struct {
	Subject, Text, HTML string
}

// RenderOptions says where links point.
type RenderOptions struct {
	// BaseURL is tinhso's public URL; items' links are made absolute with it.
	BaseURL string
	// SettingsPath is the page where a user chooses what reaches them.
	SettingsPath string
}

type renderedItem struct {
	Severity, SeverityName, Text, Time, URL, Open string
}

// RenderEmail writes a digest as an email in the language tr renders. It is pure.
func RenderEmail(d Digest, tr Translate, o RenderOptions) Rendered {
	items := make([]renderedItem, len(d.Items))
	for i, it := range d.Items {
		u := link(o.BaseURL, it.Link)
		items[i] = renderedItem{
			Severity:     string(it.Severity),
			SeverityName: tr(KeySeverity+string(cmp.Or(it.Severity, Info)), nil),
			Text:         tr(it.Message.Key, it.Message.Args),
			Time:         formatTime(it.CreatedAt),
			URL:          u,
		}
		if u != "" {
			items[i].Open = tr(KeyOpen, map[string]any{"url": u})
		}
	}
	var r Rendered
	n := len(items)
	if n == 1 {
		r.Subject = tr(KeySubjectOne, map[string]any{"text": items[0].Text})
	} else {
		r.Subject = tr(KeySubjectMany, map[string]any{"count": n})
	}
	// A subject is one line: a newline in a rendered text would end the header.
	r.Subject = strings.Join(strings.Fields(r.Subject), " ")
	var intro string
	if n == 1 {
		intro = tr(KeyIntroOne, map[string]any{"from": formatTime(d.From)})
	} else {
		intro = tr(KeyIntroMany, map[string]any{"count": n, "from": formatTime(d.From), "to": formatTime(d.To)})
	}
	footer := ""
	if o.SettingsPath != "" {
		footer = tr(KeyFooter, map[string]any{"settings_url": link(o.BaseURL, o.SettingsPath)})
	}

	var b strings.Builder
	b.WriteString(intro + "\n\n")
	for i, it := range items {
		fmt.Fprintf(&b, "%d. [%s] %s\n   %s", i+1, it.SeverityName, it.Text, it.Time)
		if it.Open != "" {
			b.WriteString(" · " + it.Open)
		}
		b.WriteString("\n")
	}
	if footer != "" {
		b.WriteString("\n-- \n" + footer + "\n")
	}
	r.Text = b.String()

	var h bytes.Buffer
	if err := digestHTML.Execute(&h, map[string]any{"Intro": intro, "Items": items, "Footer": footer}); err != nil {
		// The template is fixed and its data plain strings: this cannot happen.
		panic(err)
	}
	r.HTML = h.String()
	return r
}

var digestHTML = template.Must(template.New("digest").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"></head>
<body style="font-family: sans-serif; line-height: 1.4">
<p>{{.Intro}}</p>
<ol>
{{- range .Items}}
<li><strong class="{{.Severity}}">[{{.SeverityName}}]</strong> {{if .URL}}<a href="{{.URL}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}<br><small>{{.Time}}</small></li>
{{- end}}
</ol>
{{- if .Footer}}
<hr><p><small>{{.Footer}}</small></p>
{{- end}}
</body></html>
`))

// WebhookPayload is the JSON body a digest is posted as.
type WebhookPayload struct {
	Type      string        `json:"type"` // "notifications"
	Recipient string        `json:"recipient"`
	Count     int           `json:"count"`
	Items     []WebhookItem `json:"items"`
}

// WebhookItem is one notification in a webhook body: the key and arguments for
// programs, the text for people.
type WebhookItem struct {
	ID        int64          `json:"id"`
	Severity  Severity       `json:"severity"`
	Key       string         `json:"key"`
	Args      map[string]any `json:"args,omitempty"`
	Text      string         `json:"text"`
	Link      string         `json:"link,omitempty"`
	CreatedAt string         `json:"created_at"` // RFC 3339 in the province's zone
}

// RenderWebhook writes a digest as a webhook body.
func RenderWebhook(d Digest, tr Translate, o RenderOptions) ([]byte, error) {
	p := WebhookPayload{Type: "notifications", Recipient: d.Recipient, Count: len(d.Items), Items: make([]WebhookItem, len(d.Items))}
	for i, it := range d.Items {
		p.Items[i] = WebhookItem{
			ID:        it.ID,
			Severity:  it.Severity,
			Key:       it.Message.Key,
			Args:      it.Message.Args,
			Text:      tr(it.Message.Key, it.Message.Args),
			Link:      link(o.BaseURL, it.Link),
			CreatedAt: it.CreatedAt.In(tinhso.Location).Format(time.RFC3339),
		}
	}
	return json.Marshal(p)
}
