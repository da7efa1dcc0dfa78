-- Vouch store, version 6: triage of findings.
--
-- A person's decision on a change whose finding needed review (retro-approved, false positive,
-- incident, accepted risk) is appended here and never edited: a later action on the same change
-- supersedes it as the change's current status, and both stay. Actions belong to no run, so they
-- are not in a run's link of the hash chain; each row's hash covers its columns and the hash of the
-- row appended before it, so an edited, inserted or removed row breaks the next one (see the store
-- README). decision holds the constant name; the checks repeat the rules of TriageAction.
CREATE TABLE triage_actions (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  event_key  TEXT    NOT NULL,
  decision   TEXT    NOT NULL
    CHECK (decision IN ('RETRO_APPROVED', 'FALSE_POSITIVE', 'INCIDENT', 'ACCEPTED_RISK')),
  reason     TEXT    NOT NULL CHECK (length(trim(reason)) > 0),
  by_person  TEXT    NOT NULL CHECK (length(trim(by_person)) > 0),
  record_key TEXT,
  ticket     TEXT,
  acted_at   TEXT    NOT NULL,
  row_sha256 TEXT    NOT NULL,
  CHECK ((decision = 'RETRO_APPROVED') = (record_key IS NOT NULL)),
  CHECK (ticket IS NULL OR decision = 'INCIDENT')
);
CREATE INDEX triage_actions_by_event ON triage_actions (event_key, id);

CREATE TRIGGER triage_actions_no_update BEFORE UPDATE ON triage_actions
BEGIN SELECT RAISE(ABORT, 'triage_actions is append-only'); END;
CREATE TRIGGER triage_actions_no_delete BEFORE DELETE ON triage_actions
BEGIN SELECT RAISE(ABORT, 'triage_actions is append-only'); END;
