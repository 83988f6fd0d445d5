-- Live data II: hysteresis of series thresholds, indicators fed by series and the
-- figures computed from them, and the admins' MQTT topic rules.

-- A series threshold rule's hysteresis, by rule key (alert_rules comes with 0013, so it
-- is kept beside it): an open alert closes once the value is back past the threshold
-- by clear_margin (NULL: merely back) and has stayed back clear_after_seconds.
CREATE TABLE alert_rule_hysteresis (
	rule_key            TEXT PRIMARY KEY,
	clear_margin        DOUBLE PRECISION,
	clear_after_seconds BIGINT NOT NULL DEFAULT 0
) WITHOUT_ROWID;

-- An indicator that takes its figure per period from a live series: the function over
-- the period (sum, mean, last, count), the period (month, quarter, year), and whether
-- a computed figure counts at once (auto_approve) or waits for someone to approve it.
CREATE TABLE indicator_series_feeds (
	indicator_id BIGINT PRIMARY KEY REFERENCES indicators (id) ON DELETE CASCADE,
	series_key   TEXT NOT NULL,
	func         TEXT NOT NULL,
	period       TEXT NOT NULL,
	auto_approve INTEGER NOT NULL DEFAULT 0,
	updated_by   TEXT NOT NULL DEFAULT '',
	updated_at   TEXT NOT NULL
);

-- The figures computed from series, one per indicator and period (dated on its last
-- day), with the series and the span [span_from, span_to) they were computed over.
-- Only approved ones take part in statuses.
CREATE TABLE series_figures (
	indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	date         TEXT NOT NULL,
	period       TEXT NOT NULL,
	value        DOUBLE PRECISION NOT NULL,
	points       BIGINT NOT NULL,
	series_key   TEXT NOT NULL,
	func         TEXT NOT NULL,
	span_from    TEXT NOT NULL,
	span_to      TEXT NOT NULL,
	approved     INTEGER NOT NULL DEFAULT 0,
	approved_by  TEXT NOT NULL DEFAULT '',
	approved_at  TEXT NOT NULL DEFAULT '',
	computed_at  TEXT NOT NULL,
	PRIMARY KEY (indicator_id, date)
) WITHOUT_ROWID;

-- Admins' rules mapping MQTT topics other than tinhso/series/{key} to series: a topic
-- pattern (levels, + for one level, # for the rest), a key template naming the
-- pattern's + levels ({1}, {2}, …), and how the payload carries the value.
CREATE TABLE mqtt_topic_rules (
	id           ID_PK,
	pattern      TEXT NOT NULL UNIQUE,
	key_template TEXT NOT NULL,
	payload      TEXT NOT NULL,
	value_path   TEXT NOT NULL DEFAULT '',
	time_path    TEXT NOT NULL DEFAULT '',
	enabled      INTEGER NOT NULL DEFAULT 1,
	note         TEXT NOT NULL DEFAULT '',
	version      INTEGER NOT NULL DEFAULT 1,
	created_by   TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);
