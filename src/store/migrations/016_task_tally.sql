-- The tasks counted by what the overviews group on (unit, month, control and its version, create
-- and due day, assignee, state), kept up to date by triggers on every write to tasks, so the
-- dashboard, the per-person table and the reports read a few thousand counts instead of a year of
-- tasks. The triggers work per statement on its transition tables: a sweep's insert of 20,000
-- tasks is one grouped upsert. Upserts go in key order, so two writers wait for each other rather
-- than deadlock. (No CHECK (n >= 0): PostgreSQL checks the row proposed for insertion, a decrement's
-- negative one, before it finds the conflict.)
CREATE TABLE task_tally (
  unit_id text NOT NULL,
  period text NOT NULL,
  rule_id text NOT NULL,
  rule_version text NOT NULL,
  create_on date NOT NULL,
  due_on date NOT NULL,
  -- '' where the task has no assignee: a key column cannot be null.
  assignee text NOT NULL,
  state text NOT NULL,
  n integer NOT NULL,
  PRIMARY KEY (unit_id, period, rule_id, rule_version, create_on, due_on, assignee, state)
);

-- One function for both triggers: the rows a statement wrote count +1, an update's old rows -1;
-- dynamic SQL because an insert has no old rows' table. (Tasks are never deleted: their events
-- refer to them and may not be removed.)
CREATE FUNCTION task_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  added constant text := 'SELECT unit_id, period, rule_id, rule_version, create_on, due_on, coalesce(assignee, '''') AS assignee, state, 1 AS d FROM tally_new';
  removed constant text := 'SELECT unit_id, period, rule_id, rule_version, create_on, due_on, coalesce(assignee, ''''), state, -1 FROM tally_old';
BEGIN
  EXECUTE format(
    'INSERT INTO task_tally AS tally (unit_id, period, rule_id, rule_version, create_on, due_on, assignee, state, n)
     SELECT unit_id, period, rule_id, rule_version, create_on, due_on, assignee, state, sum(d) FROM (%s) change
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
     ON CONFLICT (unit_id, period, rule_id, rule_version, create_on, due_on, assignee, state) DO UPDATE SET n = tally.n + excluded.n',
    CASE TG_OP WHEN 'INSERT' THEN added ELSE added || ' UNION ALL ' || removed END);
  RETURN NULL;
END $$;

CREATE TRIGGER task_tally_insert AFTER INSERT ON tasks REFERENCING NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION task_tally_apply();
CREATE TRIGGER task_tally_update AFTER UPDATE ON tasks REFERENCING OLD TABLE AS tally_old NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION task_tally_apply();

-- The tasks written before the tally.
INSERT INTO task_tally (unit_id, period, rule_id, rule_version, create_on, due_on, assignee, state, n)
SELECT unit_id, period, rule_id, rule_version, create_on, due_on, coalesce(assignee, ''), state, count(*) FROM tasks GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

-- The report's figures as of a moment start from the tally and look again only at the tasks that
-- were created or closed after it: these find them.
CREATE INDEX tasks_by_creation ON tasks (created_at);
CREATE INDEX task_events_closing_by_time ON task_events (at) WHERE kind IN ('completed', 'signed-off', 'not-applicable', 'reopened', 'cancelled');
