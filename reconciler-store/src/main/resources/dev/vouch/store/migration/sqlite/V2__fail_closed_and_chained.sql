-- Vouch store, version 2: coverage per partition and day, unreadable input and conflicting copies
-- kept as evidence, interrupted runs, and a hash chain over runs and their evidence.
--
-- Row hashes (row_sha256) are SHA-256 over the row's columns as dev.vouch.store.RowHash writes
-- them; a run's link (chain_sha256) covers the previous link, the run row and every row the run
-- added. Rows stored before this version have no row hash and runs finished before it no link:
-- `vouch verify` says so rather than pretending to have checked them.
--
-- This migration runs with foreign keys off (see SqliteDialect.migrationDataSource): the runs table
-- is rebuilt to widen its status check, which SQLite cannot alter in place.

DROP TRIGGER findings_only_while_running;
DROP TRIGGER runs_finished_once;
DROP TRIGGER runs_no_delete;

CREATE TABLE runs_v2 (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  window_start      TEXT    NOT NULL,
  window_end        TEXT    NOT NULL,
  started_at        TEXT    NOT NULL,
  finished_at       TEXT,
  status            TEXT    NOT NULL
                    CHECK (status IN ('RUNNING', 'COMPLETE', 'INCOMPLETE', 'INTERRUPTED')),
  config_sha256     TEXT    NOT NULL,
  summary_json      TEXT,
  -- Position in the hash chain (1, 2, ...) in the order runs finished, the previous link, and
  -- this run's link; null while RUNNING and for runs finished before version 2.
  chain_seq         INTEGER UNIQUE,
  prev_chain_sha256 TEXT,
  chain_sha256      TEXT,
  CHECK ((status = 'RUNNING') = (finished_at IS NULL)),
  CHECK ((status = 'RUNNING') = (summary_json IS NULL))
);
INSERT INTO runs_v2 (id, window_start, window_end, started_at, finished_at, status, config_sha256,
                     summary_json)
  SELECT id, window_start, window_end, started_at, finished_at, status, config_sha256, summary_json
  FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v2 RENAME TO runs;

-- A run is finished once: its summary and its link are then evidence.
CREATE TRIGGER runs_finished_once BEFORE UPDATE ON runs
WHEN OLD.status <> 'RUNNING'
BEGIN SELECT RAISE(ABORT, 'a finished run cannot be changed'); END;
CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;
CREATE TRIGGER findings_only_while_running BEFORE INSERT ON findings
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) <> 'RUNNING'
BEGIN SELECT RAISE(ABORT, 'findings can only be added to a run that has not finished'); END;

ALTER TABLE change_events ADD COLUMN row_sha256 TEXT;
ALTER TABLE findings ADD COLUMN row_sha256 TEXT;

-- When a record got its current approvals: a version whose positive approvals equal the previous
-- version's keeps the run that first stored them.
ALTER TABLE change_records ADD COLUMN approvals_sha256 TEXT;
ALTER TABLE change_records ADD COLUMN approvals_seen_run_id INTEGER REFERENCES runs (id);

-- A record delivered under an event id already stored, with different content: kept beside the
-- first as evidence. event_json and raw_json are null for a copy that was only counted (a
-- read-only or failed observation stored before the change with the same id arrived).
CREATE TABLE event_conflicts (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  source_type    TEXT    NOT NULL,
  native_id      TEXT    NOT NULL,
  event_key      TEXT    NOT NULL,
  source         TEXT    NOT NULL,
  event_class    TEXT    NOT NULL,
  event_json     TEXT,
  raw_json       TEXT,
  raw_sha256     TEXT,
  first_run_id   INTEGER NOT NULL REFERENCES runs (id),
  row_sha256     TEXT    NOT NULL,
  UNIQUE (source_type, native_id, event_class, raw_sha256)
);
CREATE INDEX event_conflicts_by_key ON event_conflicts (event_key);
CREATE INDEX event_conflicts_by_run ON event_conflicts (first_run_id);

-- Input of a source of change that could not be used: each becomes an UNREADABLE finding.
CREATE TABLE rejected_inputs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id       INTEGER NOT NULL REFERENCES runs (id),
  source       TEXT    NOT NULL,
  location     TEXT    NOT NULL,
  message      TEXT    NOT NULL,
  extent       TEXT    NOT NULL CHECK (extent IN ('RECORD', 'REST_OF_UNIT')),
  fields_json  TEXT    NOT NULL,
  row_sha256   TEXT    NOT NULL
);
CREATE INDEX rejected_inputs_by_run ON rejected_inputs (run_id, id);
CREATE INDEX rejected_inputs_by_place ON rejected_inputs (source, location);

-- What each run read of each source partition per UTC day, and the verdict on that day's coverage.
CREATE TABLE coverage (
  run_id          INTEGER NOT NULL REFERENCES runs (id),
  source          TEXT    NOT NULL,
  partition_key   TEXT    NOT NULL,
  day_utc         TEXT    NOT NULL,
  observations    INTEGER NOT NULL CHECK (observations >= 0),
  proven_complete INTEGER NOT NULL CHECK (proven_complete IN (0, 1)),
  status          TEXT    NOT NULL CHECK (status IN ('COMPLETE', 'PARTIAL', 'FAILED', 'GAP')),
  row_sha256      TEXT    NOT NULL,
  PRIMARY KEY (run_id, source, partition_key, day_utc)
);
CREATE INDEX coverage_by_day ON coverage (day_utc, partition_key);

CREATE INDEX change_events_by_first_run ON change_events (first_run_id);
CREATE INDEX change_records_by_run ON change_records (first_seen_run_id);

CREATE TRIGGER event_conflicts_no_update BEFORE UPDATE ON event_conflicts
BEGIN SELECT RAISE(ABORT, 'event_conflicts is append-only'); END;
CREATE TRIGGER event_conflicts_no_delete BEFORE DELETE ON event_conflicts
BEGIN SELECT RAISE(ABORT, 'event_conflicts is append-only'); END;
CREATE TRIGGER rejected_inputs_no_update BEFORE UPDATE ON rejected_inputs
BEGIN SELECT RAISE(ABORT, 'rejected_inputs is append-only'); END;
CREATE TRIGGER rejected_inputs_no_delete BEFORE DELETE ON rejected_inputs
BEGIN SELECT RAISE(ABORT, 'rejected_inputs is append-only'); END;
CREATE TRIGGER coverage_no_update BEFORE UPDATE ON coverage
BEGIN SELECT RAISE(ABORT, 'coverage is append-only'); END;
CREATE TRIGGER coverage_no_delete BEFORE DELETE ON coverage
BEGIN SELECT RAISE(ABORT, 'coverage is append-only'); END;
CREATE TRIGGER coverage_only_while_running BEFORE INSERT ON coverage
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) <> 'RUNNING'
BEGIN SELECT RAISE(ABORT, 'coverage can only be added to a run that has not finished'); END;
