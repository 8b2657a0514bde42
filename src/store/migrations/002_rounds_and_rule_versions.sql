-- Each rule as it was when a pack version was loaded, so a task is judged by the rule it was
-- created under; a state for tasks that wait for a second person's sign-off.

CREATE TABLE rule_versions (
  rule_version text PRIMARY KEY,
  rule_id text NOT NULL,
  definition jsonb NOT NULL,
  first_pack text NOT NULL REFERENCES rule_pack_versions(hash)
);

ALTER TABLE tasks DROP CONSTRAINT tasks_state_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_state_check
  CHECK (state IN ('open', 'awaiting-sign-off', 'completed', 'not-applicable', 'cancelled'));
ALTER TABLE tasks ADD COLUMN outcome text;

-- A round a deputy head has closed: the sweep starts it no more.
CREATE TABLE closed_rounds (
  unit_id text NOT NULL REFERENCES units(id),
  rule_id text NOT NULL,
  period text NOT NULL,
  closed_by text NOT NULL,
  closed_at timestamptz NOT NULL,
  PRIMARY KEY (unit_id, rule_id, period)
);

ALTER TABLE task_events DROP CONSTRAINT task_events_kind_check;
ALTER TABLE task_events ADD CONSTRAINT task_events_kind_check CHECK (kind IN (
  'created', 'reminded', 'reminder-due', 'due', 'escalation-due', 'reassigned', 'completed', 'signed-off',
  'not-applicable', 'cancelled', 'reopened'));

-- The pack's files as loaded, so any sweep can plan again with exactly the pack it recorded.
ALTER TABLE rule_pack_versions ADD COLUMN files jsonb NOT NULL DEFAULT '[]';
