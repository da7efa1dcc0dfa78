-- Vouch store, PostgreSQL baseline. The same tables, constraints, indexes and append-only rules as
-- migration/sqlite/V1__baseline.sql, so that a schema version means the same on both databases.
--
-- Times that are ordered or range-queried are kept exactly, as two integers: epoch seconds (*_s)
-- and nanoseconds within that second (*_ns). Times that are only shown are ISO-8601 text (*_at).
-- Days are ISO dates (YYYY-MM-DD, UTC) in day_utc. JSON columns are text, never jsonb: they hold
-- the bytes dev.vouch.core.json.Json wrote, which are evidence and are hashed, so the database
-- must not re-encode them.
--
-- Text that is compared, ordered or hashed in order (keys, names, days) is COLLATE "C": byte
-- order, as in SQLite, whatever the database's default collation. A linguistic collation would
-- sort 'git-mirror:x' after 'git:x', and a collation that changes with the operating system's
-- locale library would change the order in which the hash chain reads rows.
--
-- Evidence tables are append-only; the triggers at the end make the database refuse edits.

-- Raises the trigger's argument as an error: the body of every "refuse this" trigger.
CREATE FUNCTION vouch_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

-- Raises the trigger's argument as an error when the run a row belongs to (NEW.run_id for an
-- insert, OLD.run_id otherwise) exists and has finished. A trigger's WHEN clause cannot hold a
-- query on PostgreSQL, so the condition SQLite writes there is written here.
CREATE FUNCTION vouch_refuse_unless_running() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  run_status text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT status INTO run_status FROM runs WHERE id = NEW.run_id;
  ELSE
    SELECT status INTO run_status FROM runs WHERE id = OLD.run_id;
  END IF;
  IF run_status <> 'RUNNING' THEN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TABLE runs (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  window_start    text   NOT NULL,
  window_end      text   NOT NULL,
  started_at      text   NOT NULL,
  finished_at     text,
  status          text   NOT NULL
                  CONSTRAINT runs_status_check CHECK (status IN ('RUNNING', 'COMPLETE', 'INCOMPLETE')),
  config_sha256   text   NOT NULL,
  summary_json    text,
  CONSTRAINT runs_finished_when_not_running CHECK ((status = 'RUNNING') = (finished_at IS NULL)),
  CONSTRAINT runs_summary_when_not_running CHECK ((status = 'RUNNING') = (summary_json IS NULL))
);

-- Change events kept whole as evidence. event_json is the normalised ChangeEvent without its raw
-- payload, which is kept once, verbatim, in raw_json.
CREATE TABLE change_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_type    text COLLATE "C" NOT NULL,
  native_id      text COLLATE "C" NOT NULL,
  event_key      text COLLATE "C" NOT NULL,
  source         text COLLATE "C" NOT NULL,
  system_name    text COLLATE "C",
  occurred_s     bigint  NOT NULL,
  occurred_ns    integer NOT NULL CHECK (occurred_ns BETWEEN 0 AND 999999999),
  day_utc        text COLLATE "C" NOT NULL,
  event_json     text    NOT NULL,
  raw_json       text    NOT NULL,
  raw_sha256     text    NOT NULL,
  first_run_id   bigint  NOT NULL REFERENCES runs (id),
  UNIQUE (source_type, native_id)
);
CREATE INDEX change_events_by_time ON change_events (occurred_s, occurred_ns, event_key);
CREATE INDEX change_events_by_day ON change_events (day_utc, source, system_name);

-- Observations that are not changes (read-only, failed, sign-in, data, other): one row per native
-- id, so that each is counted once however often it is delivered. (SQLite keeps this table
-- WITHOUT ROWID; PostgreSQL has no such option and needs none.)
CREATE TABLE population (
  source_type  text COLLATE "C" NOT NULL,
  native_id    text COLLATE "C" NOT NULL,
  source       text COLLATE "C" NOT NULL,
  system_name  text COLLATE "C",
  day_utc      text COLLATE "C" NOT NULL,
  event_class  text COLLATE "C" NOT NULL CHECK (event_class <> 'CHANGE'),
  first_run_id bigint NOT NULL REFERENCES runs (id),
  PRIMARY KEY (source_type, native_id)
);
CREATE INDEX population_by_day ON population (day_utc, source, system_name, event_class);

-- Versioned change records: a record whose content changed upstream gets version + 1.
CREATE TABLE change_records (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source            text COLLATE "C" NOT NULL,
  record_key        text COLLATE "C" NOT NULL,
  version           integer NOT NULL CHECK (version >= 1),
  content_sha256    text    NOT NULL,
  record_json       text    NOT NULL,
  first_seen_run_id bigint  NOT NULL REFERENCES runs (id),
  seen_at           text    NOT NULL,
  UNIQUE (source, record_key, version)
);

-- Findings, appended per run: one per event and run.
CREATE TABLE findings (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id         bigint  NOT NULL REFERENCES runs (id),
  event_key      text COLLATE "C" NOT NULL,
  occurred_s     bigint  NOT NULL,
  occurred_ns    integer NOT NULL CHECK (occurred_ns BETWEEN 0 AND 999999999),
  system_name    text COLLATE "C",
  verdict        text COLLATE "C" NOT NULL,
  record_id      text COLLATE "C",
  finding_json   text    NOT NULL,
  UNIQUE (run_id, event_key)
);
CREATE INDEX findings_by_run ON findings (run_id, occurred_s, occurred_ns, event_key);
CREATE INDEX findings_by_event ON findings (event_key, run_id);

-- Where each change source stopped. Working state, not evidence: updated in place.
CREATE TABLE cursors (
  source_name    text COLLATE "C" PRIMARY KEY,
  cursor_value   text,
  updated_run_id bigint NOT NULL REFERENCES runs (id)
);

-- Evidence is immutable. Row triggers refuse UPDATE and DELETE as SQLite's do; PostgreSQL also has
-- TRUNCATE, which fires no row trigger, so each evidence table refuses it with a statement trigger.
CREATE TRIGGER change_events_no_update BEFORE UPDATE ON change_events
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('change_events is append-only');
CREATE TRIGGER change_events_no_delete BEFORE DELETE ON change_events
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('change_events is append-only');
CREATE TRIGGER change_events_no_truncate BEFORE TRUNCATE ON change_events
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('change_events is append-only');

CREATE TRIGGER population_no_update BEFORE UPDATE ON population
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('population is append-only');
CREATE TRIGGER population_no_delete BEFORE DELETE ON population
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('population is append-only');
CREATE TRIGGER population_no_truncate BEFORE TRUNCATE ON population
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('population is append-only');

CREATE TRIGGER change_records_no_update BEFORE UPDATE ON change_records
FOR EACH ROW EXECUTE FUNCTION
  vouch_refuse('change_records is append-only: a changed record gets a new version');
CREATE TRIGGER change_records_no_delete BEFORE DELETE ON change_records
FOR EACH ROW EXECUTE FUNCTION
  vouch_refuse('change_records is append-only: a changed record gets a new version');
CREATE TRIGGER change_records_no_truncate BEFORE TRUNCATE ON change_records
FOR EACH STATEMENT EXECUTE FUNCTION
  vouch_refuse('change_records is append-only: a changed record gets a new version');

CREATE TRIGGER findings_no_update BEFORE UPDATE ON findings
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('findings are append-only');
CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('findings are append-only');
CREATE TRIGGER findings_no_truncate BEFORE TRUNCATE ON findings
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('findings are append-only');
CREATE TRIGGER findings_only_while_running BEFORE INSERT ON findings
FOR EACH ROW EXECUTE FUNCTION
  vouch_refuse_unless_running('findings can only be added to a run that has not finished');

-- A run is finished once: its summary is then evidence.
CREATE TRIGGER runs_finished_once BEFORE UPDATE ON runs
FOR EACH ROW WHEN (OLD.status <> 'RUNNING')
EXECUTE FUNCTION vouch_refuse('a finished run cannot be changed');
CREATE TRIGGER runs_no_delete BEFORE DELETE ON runs
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('runs are append-only');
CREATE TRIGGER runs_no_truncate BEFORE TRUNCATE ON runs
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('runs are append-only');
