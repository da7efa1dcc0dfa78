-- Vouch store, version 6: triage of findings.
--
-- A person's decision on a change whose finding needed review (retro-approved, false positive,
-- incident, accepted risk) is appended here and never edited: a later action on the same change
-- supersedes it as the change's current status, and both stay. Actions belong to no run, so they
-- are not in a run's link of the hash chain; each row's hash covers its columns and the hash of the
-- row appended before it, so an edited, inserted or removed row breaks the next one (see the store
-- README). decision holds the constant name; the checks repeat the rules of TriageAction.
CREATE TABLE triage_actions (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_key  text COLLATE "C" NOT NULL,
  decision   text NOT NULL
    CHECK (decision IN ('RETRO_APPROVED', 'FALSE_POSITIVE', 'INCIDENT', 'ACCEPTED_RISK')),
  reason     text NOT NULL CHECK (length(trim(reason)) > 0),
  by_person  text COLLATE "C" NOT NULL CHECK (length(trim(by_person)) > 0),
  record_key text COLLATE "C",
  ticket     text,
  acted_at   text NOT NULL,
  row_sha256 text NOT NULL,
  CHECK ((decision = 'RETRO_APPROVED') = (record_key IS NOT NULL)),
  CHECK (ticket IS NULL OR decision = 'INCIDENT')
);
CREATE INDEX triage_actions_by_event ON triage_actions (event_key, id);

CREATE TRIGGER triage_actions_no_update BEFORE UPDATE ON triage_actions
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('triage_actions is append-only');
CREATE TRIGGER triage_actions_no_delete BEFORE DELETE ON triage_actions
FOR EACH ROW EXECUTE FUNCTION vouch_refuse('triage_actions is append-only');
CREATE TRIGGER triage_actions_no_truncate BEFORE TRUNCATE ON triage_actions
FOR EACH STATEMENT EXECUTE FUNCTION vouch_refuse('triage_actions is append-only');
