-- Vouch store, version 2 (as migration/sqlite/V2): coverage per partition and day, unreadable input
-- and conflicting copies kept as evidence, interrupted runs, and a hash chain over runs and their
-- evidence.
--
-- Row hashes (row_sha256) are SHA-256 over the row's columns as dev.vouch.store.RowHash writes
-- them; a run's link (chain_sha256) covers the previous link, the run row and every row the run
-- added. Rows stored before this version have no row hash and runs finished before it no link:
-- `vouch verify` says so rather than pretending to have checked them.
--
-- SQLite rebuilds the runs table to widen its status check; PostgreSQL alters it in place.

ALTER TABLE runs DROP CONSTRAINT runs_status_check;
ALTER TABLE runs ADD CONSTRAINT runs_status_check
  CHECK (status IN ('RUNNING', 'COMPLETE', 'INCOMPLETE', 'INTERRUPTED'));
-- Position in the hash chain (1, 2, ...) in the order runs finished, the previous link, and this
-- run's link; null while RUNNING and for runs finished before version 2.
ALTER TABLE runs ADD COLUMN chain_seq bigint UNIQUE;
ALTER TABLE runs ADD COLUMN prev_chain_sha256 text;
ALTER TABLE runs ADD COLUMN chain_sha256 text;

ALTER TABLE change_events ADD COLUMN row_sha256 text;
ALTER TABLE findings ADD COLUMN row_sha256 text;

-- When a record got its current approvals: a version whose positive approvals equal the previous
-- version's keeps the run that first stored them.
ALTER TABLE change_records ADD COLUMN approvals_sha256 text;
ALTER TABLE change_records ADD COLUMN approvals_seen_run_id bigint REFERENCES runs (id);

-- A record delivered under an event id already stored, with different content: kept beside the
-- first as evidence. event_json and raw_json are null for a copy that was only counted (a
-- read-only or failed observation stored before the change with the same id arrived).
CREATE TABLE event_conflicts (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_type    text COLLATE "C" NOT NULL,
  native_id      text COLLATE "C" NOT NULL,
  event_key      text COLLATE "C" NOT NULL,
  source         text COLLATE "C" NOT NULL,
  event_class    text COLLATE "C" NOT NULL,
  event_json     text,
  raw_json       text,
  raw_sha256     text COLLATE "C",
  first_run_id   bigint NOT NULL REFERENCES runs (id),
  row_sha256     text   NOT NULL,
  -- NULLS DISTINCT, as in SQLite: copies that were only counted (raw_sha256 null) are told apart
  -- by JdbcIngestWriter, which looks for one before adding it.
  UNIQUE (source_type, native_id, event_class, raw_sha256)
);
CREATE INDEX event_conflicts_by_key ON event_conflicts (event_key);
CREATE INDEX event_conflicts_by_run ON event_conflicts (first_run_id);

-- Input of a source of change that could not be used: each becomes an UNREADABLE finding.
CREATE TABLE rejected_inputs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id       bigint NOT NULL REFERENCES runs (id),
  source       text COLLATE "C" NOT NULL,
  location     text COLLATE "C" NOT NULL,
  message      text COLLATE "C" NOT NULL,
  extent       text NOT NULL CHECK (extent IN ('RECORD', 'REST_OF_UNIT')),
  fields_json  text NOT NULL,
  row_sha256   text NOT NULL
);
CREATE INDEX rejected_inputs_by_run ON rejected_inputs (run_id, id);
CREATE INDEX rejected_inputs_by_place ON rejected_inputs (source, location);

-- What each run read of each source partition per UTC day, and the verdict on that day's coverage.
-- proven_complete is 0 or 1, as in SQLite, rather than boolean: the store writes and hashes it as
-- an integer on both databases.
CREATE TABLE coverage (
  run_id          bigint  NOT NULL REFERENCES runs (id),
  source          text COLLATE "C" NOT NULL,
  partition_key   text COLLATE "C" NOT NULL,
  day_utc         text COLLATE "C" NOT NULL,
  observations    bigint  NOT NULL CHECK (observations >= 0),
  proven_complete integer NOT NULL CHECK (proven_complete IN (0, 1)),
  status          text    NOT NULL CHECK (status IN ('COMPLETE', 'PARTIAL', 'FAILED', 'GAP')),
  row_sha256      text    NOT NULL,
  PRIMARY KEY (run_id, source, partition_key, day_utc)
);
CREATE INDEX coverage_by_day ON coverage (day_utc, partition_key);

CREATE INDEX change_events_by_first_run ON change_events (first_run_id);
CREATE INDEX change_records_by_run ON change_records (first_seen_run_id);

CREATE TRIGGER event_conflicts_no_update BEFORE UPDATE ON event_conflicts
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('event_conflicts is append-only');
CREATE TRIGGER event_conflicts_no_delete BEFORE DELETE ON event_conflicts
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('event_conflicts is append-only');
CREATE TRIGGER event_conflicts_no_truncate BEFORE TRUNCATE ON event_conflicts
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('event_conflicts is append-only');
CREATE TRIGGER rejected_inputs_no_update BEFORE UPDATE ON rejected_inputs
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('rejected_inputs is append-only');
CREATE TRIGGER rejected_inputs_no_delete BEFORE DELETE ON rejected_inputs
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('rejected_inputs is append-only');
CREATE TRIGGER rejected_inputs_no_truncate BEFORE TRUNCATE ON rejected_inputs
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('rejected_inputs is append-only');
CREATE TRIGGER coverage_no_update BEFORE UPDATE ON coverage
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('coverage is append-only');
CREATE TRIGGER coverage_no_delete BEFORE DELETE ON coverage
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('coverage is append-only');
CREATE TRIGGER coverage_no_truncate BEFORE TRUNCATE ON coverage
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('coverage is append-only');
CREATE TRIGGER coverage_only_while_running BEFORE INSERT ON coverage
FOR EACH ROW EXECUTE FUNCTION
  vouch_refuse_unless_running('coverage can only be added to a run that has not finished');
