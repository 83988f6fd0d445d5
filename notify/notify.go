// Package notify holds the delivery primitives of tinhso's one notification mechanism:
// grouping what is new into one digest per recipient and channel, signed webhooks with
// their retry schedule, and email over SMTP. It does no storage and keeps no state: the
// use-cases decide what to send and record what happened.
//
// notify imports no package of tinhso but the root: the caller hands it the guarded
// HTTP client and dialer (netguard) and the secrets already opened (secret).
package notify

import (
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// Channel is a way a notification reaches someone.
type Channel string

// Channels.
const (
	ChannelInApp   Channel = "inapp"
	ChannelWebhook Channel = "webhook"
	ChannelEmail   Channel = "email"
)

// Severity ranks a notification; critical sorts first in a digest.
type Severity string

// Severities, as alert rules have them.
const (
	Info     Severity = "info"
	Warning  Severity = "warning"
	Critical Severity = "critical"
)

func (s Severity) rank() int {
	switch s {
	case Critical:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// Message is a text not yet written: a catalogue key and its named arguments, rendered
// in the reader's language when delivered.
type Message struct {
	Key  string         `json:"key"`
	Args map[string]any `json:"args,omitempty"`
}

// Translate renders a message key with its arguments in one language. The locale
// package provides it; placeholders are written {name}.
type Translate func(key string, args map[string]any) string

// Item is one notification waiting to be delivered to one recipient over one channel.
type Item struct {
	ID        int64     // the notification's id, stable across retries
	Recipient string    // whom it goes to: a user, or a webhook endpoint, as the store names it
	Channel   Channel   //
	Severity  Severity  //
	Message   Message   // what happened
	Link      string    // the page about it, a path such as /alerts/12
	CreatedAt time.Time //
}

// formatTime writes a time as the province reads it: dd/mm/yyyy HH:MM in its zone.
func formatTime(t time.Time) string { return t.In(tinhso.Location).Format("02/01/2006 15:04") }

// link joins a base URL and a path.
func link(base, path string) string {
	if path == "" || strings.Contains(path, "://") || base == "" {
		return path
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(path, "/")
}
