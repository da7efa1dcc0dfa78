-- Vouch store, SQLite baseline.
--
-- Times that are ordered or range-queried are kept exactly, as two integers: epoch seconds
-- (*_s) and nanoseconds within that second (*_ns). Times that are only shown are ISO-8601 text
-- (*_at). Days are ISO dates (YYYY-MM-DD, UTC) in day_utc. JSON columns hold text exactly as written by dev.vouch.core.json.Json: the bytes are
-- evidence and are hashed, so they must never be re-encoded by the database.
--
-- Evidence tables are append-only; the triggers at the end make the database refuse edits.

CREATE TABLE runs (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  window_start    TEXT    NOT NULL,
  window_end      TEXT    NOT NULL,
  started_at      TEXT    NOT NULL,
  finished_at     TEXT,
  status          TEXT    NOT NULL CHECK (status IN ('RUNNING', 'COMPLETE', 'INCOMPLETE')),
  config_sha256   TEXT    NOT NULL,
  summary_json    TEXT,
  CHECK ((status = 'RUNNING') = (finished_at IS NULL)),
  CHECK ((status = 'RUNNING') = (summary_json IS NULL))
);

-- Change events kept whole as evidence. event_json is the normalised ChangeEvent without its raw
-- payload, which is kept once, verbatim, in raw_json.
CREATE TABLE change_events (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  source_type    TEXT    NOT NULL,
  native_id      TEXT    NOT NULL,
  event_key      TEXT    NOT NULL,
  source         TEXT    NOT NULL,
  system_name    TEXT,
  occurred_s     INTEGER NOT NULL,
  occurred_ns    INTEGER NOT NULL CHECK (occurred_ns BETWEEN 0 AND 999999999),
  day_utc        TEXT    NOT NULL,
  event_json     TEXT    NOT NULL,
  raw_json       TEXT    NOT NULL,
  raw_sha256     TEXT    NOT NULL,
  first_run_id   INTEGER NOT NULL REFERENCES runs (id),
  UNIQUE (source_type, native_id)
);
CREATE INDEX change_events_by_time ON change_events (occurred_s, occurred_ns, event_key);
CREATE INDEX change_events_by_day ON change_events (day_utc, source, system_name);

-- Observations that are not changes (read-only, failed, sign-in, data, other): one row per native
-- id, so that each is counted once however often it is delivered.
CREATE TABLE population (
  source_type  TEXT    NOT NULL,
  native_id    TEXT    NOT NULL,
  source       TEXT    NOT NULL,
  system_name  TEXT,
  day_utc      TEXT    NOT NULL,
  event_class  TEXT    NOT NULL CHECK (event_class <> 'CHANGE'),
  first_run_id INTEGER NOT NULL REFERENCES runs (id),
  PRIMARY KEY (source_type, native_id)
) WITHOUT ROWID;
CREATE INDEX population_by_day ON population (day_utc, source, system_name, event_class);

-- Versioned change records: a record whose content changed upstream gets version + 1.
CREATE TABLE change_records (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  source            TEXT    NOT NULL,
  record_key        TEXT    NOT NULL,
  version           INTEGER NOT NULL CHECK (version >= 1),
  content_sha256    TEXT    NOT NULL,
  record_json       TEXT    NOT NULL,
  first_seen_run_id INTEGER NOT NULL REFERENCES runs (id),
  seen_at           TEXT    NOT NULL,
  UNIQUE (source, record_key, version)
);

-- Findings, appended per run: one per event and run.
CREATE TABLE findings (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id         INTEGER NOT NULL REFERENCES runs (id),
  event_key      TEXT    NOT NULL,
  occurred_s     INTEGER NOT NULL,
  occurred_ns    INTEGER NOT NULL CHECK (occurred_ns BETWEEN 0 AND 999999999),
  system_name    TEXT,
  verdict        TEXT    NOT NULL,
  record_id      TEXT,
  finding_json   TEXT    NOT NULL,
  UNIQUE (run_id, event_key)
);
CREATE INDEX findings_by_run ON findings (run_id, occurred_s, occurred_ns, event_key);
CREATE INDEX findings_by_event ON findings (event_key, run_id);

-- Where each change source stopped. Working state, not evidence: updated in place.
CREATE TABLE cursors (
  source_name    TEXT    PRIMARY KEY,
  cursor_value   TEXT,
  updated_run_id INTEGER NOT NULL REFERENCES runs (id)
);

-- Evidence is immutable.
CREATE TRIGGER change_events_no_update BEFORE UPDATE ON change_events
BEGIN SELECT RAISE(ABORT, 'change_events is append-only'); END;
CREATE TRIGGER change_events_no_delete BEFORE DELETE ON change_events
BEGIN SELECT RAISE(ABORT, 'change_events is append-only'); END;

CREATE TRIGGER population_no_update BEFORE UPDATE ON population
BEGIN SELECT RAISE(ABORT, 'population is append-only'); END;
CREATE TRIGGER population_no_delete BEFORE DELETE ON population
BEGIN SELECT RAISE(ABORT, 'population is append-only'); END;

CREATE TRIGGER change_records_no_update BEFORE UPDATE ON change_records
BEGIN SELECT RAISE(ABORT, 'change_records is append-only: a changed record gets a new version'); END;
CREATE TRIGGER change_records_no_delete BEFORE DELETE ON change_records
BEGIN SELECT RAISE(ABORT, 'change_records is append-only: a changed record gets a new version'); END;

CREATE TRIGGER findings_no_update BEFORE UPDATE ON findings
BEGIN SELECT RAISE(ABORT, 'findings are append-only'); END;
CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
BEGIN SELECT RAISE(ABORT, 'findings are append-only'); END;
CREATE TRIGGER findings_only_while_running BEFORE INSERT ON findings
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) <> 'RUNNING'
BEGIN SELECT RAISE(ABORT, 'findings can only be added to a run that has not finished'); END;

-- A run is finished once: its summary is then evidence.
CREATE TRIGGER runs_finished_once BEFORE UPDATE ON runs
WHEN OLD.status <> 'RUNNING'
BEGIN SELECT RAISE(ABORT, 'a finished run cannot be changed'); END;
CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
BEGIN SELECT RAISE(ABORT, 'runs are append-only'); END;
