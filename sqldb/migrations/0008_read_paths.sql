-- What the pages' lists search and sort by, made in Go when a task or indicator is
-- written (sqldb/readpaths.go), since folding Vietnamese diacritics and ordering
-- "2.10" after "2.9" are not alike in the two engines' SQL: search is the folded text
-- the search words must all be found in, the sort_ columns the folded (or, for
-- numbers and codes, zero-padded) keys. Rows written before are filled in when the
-- database is opened.
ALTER TABLE tasks ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN sort_number TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN sort_title TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN sort_lead TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN sort_code TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN sort_name TEXT NOT NULL DEFAULT '';
ALTER TABLE indicators ADD COLUMN sort_agency TEXT NOT NULL DEFAULT '';
-- Whether a measure's targets disagree (tinhso.Measure.CompareTargets), judged when the
-- measure or one of its indicators is written; NULL until then.
ALTER TABLE measures ADD COLUMN disagree INTEGER;
CREATE INDEX measures_disagree_idx ON measures (disagree);

-- The lists' and the board's queries: tasks by document in order and by due date,
-- the units' tasks and indicators, an indicator's figures over the periods, a
-- period's submissions by status, the units' submissions, the periods newest first.
CREATE INDEX tasks_document_idx ON tasks (document_id, id);
CREATE INDEX tasks_tally_idx ON tasks (document_id, due_date, unassigned, recurrence);
CREATE INDEX task_agencies_lead_idx ON task_agencies (org_unit_id, role, task_id);
CREATE INDEX indicators_document_idx ON indicators (document_id, id);
CREATE INDEX indicator_agencies_unit_ind_idx ON indicator_agencies (org_unit_id, indicator_id);
CREATE INDEX figures_indicator_idx ON figures (indicator_id, period_id);
CREATE INDEX submissions_period_status_idx ON submissions (period_id, status);
CREATE INDEX submissions_unit_period_idx ON submissions (org_unit_id, period_id);
CREATE INDEX periods_start_idx ON periods (start_date, end_date, id);
CREATE INDEX periods_status_idx ON periods (status);
CREATE INDEX problems_document_idx ON problems (document_id);
CREATE INDEX org_units_dissolved_idx ON org_units (dissolved);
