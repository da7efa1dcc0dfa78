-- Vouch store, version 4: what a run reviewed. The periodic review and `vouch run` review every
-- source (scope ''); an extra scheduled job reviews only the sources it lists (scope 'job:<name>').
-- Each scope decides its windows from its own complete runs, so a job that reads one source every
-- few minutes never counts as a review of everything. The scope is part of the run's link in the
-- hash chain (when not empty).
ALTER TABLE runs ADD COLUMN scope text COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX runs_by_scope ON runs (scope, status, id);
