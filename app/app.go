// Package app holds tinhso's use-cases: each reads the facts it needs from the store,
// applies the rules of engine and the root package, writes the outcome in one
// transaction the store provides, and publishes what happened. The web layer (api,
// web) and the commands call it; it knows nothing of HTTP or SQL.
package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/credential"
)

// App is the use-cases over one store.
type App struct {
	store    tinhso.Store
	events   tinhso.Publisher
	throttle tinhso.Throttle
	quota    tinhso.Quota
	log      *slog.Logger
	signIn   SignInPolicy // guarded by mu
	hasher   credential.Hasher
	// hashing bounds concurrent argon2 computations (19 MiB each).
	hashing chan struct{}

	alertOpts AlertOptions

	// mu guards what may change while serving: the limits and the policy.
	mu     sync.Mutex
	limits ProposalLimits

	// clock is the time of the statuses; mon keeps them (monitoring.go).
	clock func() time.Time
	mon   monitorCache
	// topics keeps the MQTT topic rules for the broker (topicrules.go).
	topics topicCache
	// reads keeps the costly read models (readcache.go).
	reads readCache
}

// Options are what an App is made with besides its store. Nil parts get defaults
// that do nothing (Events) or count in nobody's memory but this App's (see New).
type Options struct {
	Events   tinhso.Publisher
	Throttle tinhso.Throttle
	Quota    tinhso.Quota
	Log      *slog.Logger
	// SignIn is the sign-in policy (DefaultSignInPolicy when zero).
	SignIn SignInPolicy
	// Proposals are the proposal limits (DefaultProposalLimits when zero).
	Proposals ProposalLimits
	// Passwords hashes new passwords (credential.Default when zero; tests take a
	// cheaper one).
	Passwords credential.Hasher
	// Clock is the time statuses are computed at (time.Now when nil).
	Clock func() time.Time
	// Alerts are the delivery parts of the alerts (see AlertOptions).
	Alerts AlertOptions
}

// New makes the use-cases over store. Without a throttle or quota in o, sign-ins and
// proposals are not limited at all: the caller wires the ones it wants (inmem's).
func New(store tinhso.Store, o Options) *App {
	a := &App{store: store, events: o.Events, throttle: o.Throttle, quota: o.Quota, log: o.Log, signIn: o.SignIn,
		limits: o.Proposals, hasher: o.Passwords, hashing: make(chan struct{}, 4), alertOpts: o.Alerts}
	a.clock = o.Clock
	if a.clock == nil {
		a.clock = time.Now
	}
	if a.hasher.Memory == 0 {
		a.hasher = credential.Default
	}
	if a.events == nil {
		a.events = noEvents{}
	}
	if a.throttle == nil {
		a.throttle = noThrottle{}
	}
	if a.quota == nil {
		a.quota = noQuota{}
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.signIn == (SignInPolicy{}) {
		a.signIn = DefaultSignInPolicy
	}
	if a.limits == (ProposalLimits{}) {
		a.limits = DefaultProposalLimits
	}
	return a
}

// Store is the store the use-cases work on, for the reads that need no use-case.
func (a *App) Store() tinhso.Store { return a.store }

// SignInPolicy returns the sign-in policy.
func (a *App) SignInPolicy() SignInPolicy {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.signIn
}

// SetSignInPolicy changes the sign-in policy; failures counted so far stay.
func (a *App) SetSignInPolicy(p SignInPolicy) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.signIn = p
}

// publish sends an event of a committed change.
func (a *App) publish(ctx context.Context, kind, entity, id string, at time.Time, data any) {
	// A committed change of the facts: the statuses and read models may change with it
	// (the data version says so too, this at once). Alerts and deliveries are no facts
	// of them: a sweep that opens alerts must not throw away every status.
	if kind != EventAlertChanged && kind != EventAlertDelivered {
		a.mon.invalidate()
	}
	a.events.Publish(ctx, tinhso.Event{Kind: kind, Entity: entity, ID: id, At: at, Actor: tinhso.ActorFrom(ctx).Username, Data: data})
	a.alertFactsChanged(kind)
}

type noEvents struct{}

func (noEvents) Publish(context.Context, tinhso.Event) {}

type noThrottle struct{}

func (noThrottle) Wait(context.Context, string, time.Time, int, time.Duration) (time.Duration, error) {
	return 0, nil
}
func (noThrottle) Fail(context.Context, string, time.Time, int, time.Duration) error { return nil }
func (noThrottle) Reset(context.Context, string) error                               { return nil }

type noQuota struct{}

func (noQuota) Take(context.Context, time.Time, time.Duration, []string, []int) (time.Duration, int, error) {
	return 0, -1, nil
}
func (noQuota) Give(context.Context, time.Time, []string) error { return nil }
