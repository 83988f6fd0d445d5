package app

import (
	"context"
	"strings"

	"github.com/tinhso/tinhso"
)

// Suggested successions: reorganisations the documents point at (the seed's 2025
// mergers), listed with their evidence for an admin to confirm with the decision that
// made them, or to dismiss. Confirming records the succession, so that the tasks and
// indicators of the units it ends resolve to their successors.

// SuccessionSuggestions lists the suggested successions in a state (tinhso.Suggestion…;
// "" : all), oldest first.
func (a *App) SuccessionSuggestions(ctx context.Context, state string) ([]*tinhso.SuccessionSuggestion, error) {
	if state != "" && !containsStr(tinhso.SuggestionStates, state) {
		return nil, tinhso.Invalid("state", "err.field.one_of", tinhso.Field("state"), strings.Join(tinhso.SuggestionStates, ", "))
	}
	return a.store.FindSuccessionSuggestions(ctx, state)
}

// SuccessionSuggestion finds a suggested succession by id or key.
func (a *App) SuccessionSuggestion(ctx context.Context, ref string) (*tinhso.SuccessionSuggestion, error) {
	return a.store.FindSuccessionSuggestion(ctx, ref)
}

// ConfirmSuccession confirms the suggested succession ref with the decision that made
// it: the succession is recorded (its citation names the decision, then the evidence)
// and the suggestion marked confirmed, in one transaction. It returns the suggestion as
// stored now and the succession. A suggestion decided before is refused (ECONFLICT).
func (a *App) ConfirmSuccession(ctx context.Context, ref string, d tinhso.SuggestionDecision) (*tinhso.SuccessionSuggestion, *tinhso.Succession, error) {
	d.Decision, d.DecisionDate, d.Effective = strings.TrimSpace(d.Decision), strings.TrimSpace(d.DecisionDate), strings.TrimSpace(d.Effective)
	if err := d.Validate(); err != nil {
		return nil, nil, err
	}
	s, err := a.store.FindSuccessionSuggestion(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	sc := s.Confirmed(d)
	s.State, s.Decision, s.DecisionDate = tinhso.SuggestionConfirmed, d.Decision, d.DecisionDate
	if err := a.store.DecideSuccessionSuggestion(ctx, s, sc); err != nil {
		return nil, nil, err
	}
	a.publish(ctx, "succession.confirmed", "succession", sc.Key, s.DecidedAt.UTC(), s)
	return s, sc, nil
}

// DismissSuccession dismisses the suggested succession ref, giving the reason; nothing
// else changes.
func (a *App) DismissSuccession(ctx context.Context, ref, reason string) (*tinhso.SuccessionSuggestion, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 1000 {
		return nil, tinhso.Invalid("reason", "err.suggestion.reason")
	}
	s, err := a.store.FindSuccessionSuggestion(ctx, ref)
	if err != nil {
		return nil, err
	}
	s.State, s.Decision = tinhso.SuggestionDismissed, reason
	if err := a.store.DecideSuccessionSuggestion(ctx, s, nil); err != nil {
		return nil, err
	}
	return s, nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
