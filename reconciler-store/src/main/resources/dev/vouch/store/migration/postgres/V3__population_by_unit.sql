-- Vouch store, version 3 (as migration/sqlite/V3): the population counted per unit of input
-- instead of one row per observation, and a run's findings open to correction until it finishes.
--
-- A unit is a piece of input whose content never changes once written, such as one CloudTrail log
-- file. Its observations that are not changes are counted per system, UTC day and class, and the
-- counts are kept once per content: a unit read again with the same content (SHA-256) adds
-- nothing; one whose content changed under the same key is a new version, whose counts replace the
-- older version's (the population query counts only the newest version of each key), and the run
-- that meets it reports the change as unusable input. Sources that read no units still count per
-- native id in population.

CREATE TABLE population_units (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source         text COLLATE "C" NOT NULL,
  unit_key       text COLLATE "C" NOT NULL,
  content_sha256 text COLLATE "C" NOT NULL,
  observations   bigint NOT NULL CHECK (observations >= 0),
  first_run_id   bigint NOT NULL REFERENCES runs (id),
  -- Over the columns above and every count row of the unit (see JdbcIngestWriter.unitRowHash).
  row_sha256     text   NOT NULL,
  UNIQUE (source, unit_key, content_sha256)
);
CREATE INDEX population_units_by_key ON population_units (source, unit_key, id);
CREATE INDEX population_units_by_run ON population_units (first_run_id);

CREATE TABLE population_counts (
  unit_id      bigint NOT NULL REFERENCES population_units (id),
  system_name  text COLLATE "C",
  day_utc      text COLLATE "C" NOT NULL,
  event_class  text COLLATE "C" NOT NULL CHECK (event_class <> 'CHANGE'),
  observations bigint NOT NULL CHECK (observations > 0)
);
CREATE INDEX population_counts_by_unit ON population_counts (unit_id);
CREATE INDEX population_counts_by_day ON population_counts (day_utc);

CREATE TRIGGER population_units_no_update BEFORE UPDATE ON population_units
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('population_units is append-only');
CREATE TRIGGER population_units_no_delete BEFORE DELETE ON population_units
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('population_units is append-only');
CREATE TRIGGER population_units_no_truncate BEFORE TRUNCATE ON population_units
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('population_units is append-only');
CREATE TRIGGER population_counts_no_update BEFORE UPDATE ON population_counts
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('population_counts is append-only');
CREATE TRIGGER population_counts_no_delete BEFORE DELETE ON population_counts
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('population_counts is append-only');
CREATE TRIGGER population_counts_no_truncate BEFORE TRUNCATE ON population_counts
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('population_counts is append-only');

-- A run matches most changes while it reads them; a change that then receives a conflicting copy
-- in the same run gets its finding replaced before the run finishes. Once it has finished, a run's
-- findings are sealed by its link in the hash chain and can no longer change.
DROP TRIGGER findings_no_update ON findings;
CREATE TRIGGER findings_no_update BEFORE UPDATE ON findings
FOR EACH ROW EXECUTE FUNCTION
  vouch_refuse_unless_running('findings of a finished run cannot be changed');

-- Changes are counted per day through their time index; one index less to keep per change.
DROP INDEX change_events_by_day;
