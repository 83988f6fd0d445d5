-- Connectors (issue 16): the systems tinhso reads on schedules. The definition is kept
-- as JSON (source, schedule, mapping: what the editor edits as one), the secret sealed
-- with TINHSO_SECRET_KEY apart from it, never shown back.
CREATE TABLE connectors (
	id          ID_PK,
	name        TEXT NOT NULL UNIQUE,
	enabled     INTEGER NOT NULL DEFAULT 1,
	org_unit    TEXT NOT NULL,
	definition  TEXT NOT NULL,
	secret      TEXT NOT NULL DEFAULT '',
	failures    INTEGER NOT NULL DEFAULT 0,
	digest      TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);

-- Every run: start, end, rows read, values written, the first errors, the digest.
CREATE TABLE connector_runs (
	id           ID_PK,
	connector_id BIGINT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
	trigger_kind TEXT NOT NULL,
	outcome      TEXT NOT NULL,
	started_at   TEXT NOT NULL,
	ended_at     TEXT NOT NULL,
	rows_read    INTEGER NOT NULL DEFAULT 0,
	written      INTEGER NOT NULL DEFAULT 0,
	errors       TEXT NOT NULL DEFAULT '[]',
	digest       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX connector_runs_connector_idx ON connector_runs (connector_id, id);

-- The indicator figures connectors wrote, one per indicator and period (dated on its
-- last day), each with the run that wrote it. Only approved ones count.
CREATE TABLE connector_figures (
	indicator_id BIGINT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
	date         TEXT NOT NULL,
	period       TEXT NOT NULL,
	value        DOUBLE PRECISION NOT NULL,
	connector_id BIGINT NOT NULL REFERENCES connectors (id) ON DELETE CASCADE,
	run_id       BIGINT NOT NULL,
	approved     INTEGER NOT NULL DEFAULT 0,
	written_at   TEXT NOT NULL,
	PRIMARY KEY (indicator_id, date)
) WITHOUT_ROWID;

-- Connector figures move the data version (0014), so statuses computed from the figures
-- are computed again whichever process wrote them (the server, `tinhso connector`).
-- sqlite: CREATE TRIGGER dv_connector_figures_i AFTER INSERT ON connector_figures BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
-- sqlite: CREATE TRIGGER dv_connector_figures_u AFTER UPDATE ON connector_figures BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
-- sqlite: CREATE TRIGGER dv_connector_figures_d AFTER DELETE ON connector_figures BEGIN UPDATE data_version SET n = n + 1 WHERE id = 1; END;
-- postgres: CREATE CONSTRAINT TRIGGER dv_connector_figures AFTER INSERT OR UPDATE OR DELETE ON connector_figures DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tinhso_bump_data_version();
