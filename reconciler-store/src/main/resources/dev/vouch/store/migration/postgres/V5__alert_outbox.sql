-- Vouch store, version 5: chat alerts that are never lost and never repeated.
--
-- After a run finishes, its digests are planned once (alert_plans), in one transaction with the
-- messages to send (alert_outbox) and the findings each channel has now heard of
-- (alerted_findings), so a finding is announced once per channel whatever runs see it again. A
-- message stays in the outbox until a channel answers 2xx; failed attempts are kept with their
-- status and the time of the next try. No URL or secret is stored: a channel is its name in the
-- configuration.
CREATE TABLE alert_plans (
  run_id     bigint PRIMARY KEY REFERENCES runs (id),
  planned_at text   NOT NULL
);

CREATE TABLE alert_outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id          bigint  NOT NULL REFERENCES runs (id),
  channel         text COLLATE "C" NOT NULL,
  content_type    text    NOT NULL,
  body            bytea   NOT NULL,
  created_at      text    NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_ms bigint  NOT NULL,
  delivered_at    text,
  last_status     integer,
  last_error      text,
  UNIQUE (run_id, channel)
);
CREATE INDEX alert_outbox_due ON alert_outbox (delivered_at, next_attempt_ms);

CREATE TABLE alerted_findings (
  channel   text COLLATE "C" NOT NULL,
  event_key text COLLATE "C" NOT NULL,
  run_id    bigint NOT NULL REFERENCES runs (id),
  PRIMARY KEY (channel, event_key)
);
