-- Units, their staff, the cases and everything the rules read about them; tasks as rows and every
-- change to a task as an appended event; the rule-pack versions and the import runs.

CREATE TABLE units (
  id text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE staff (
  unit_id text NOT NULL REFERENCES units(id),
  id text NOT NULL,
  name text NOT NULL,
  role text NOT NULL,
  email text NOT NULL,
  PRIMARY KEY (unit_id, id)
);

CREATE TABLE cases (
  unit_id text NOT NULL REFERENCES units(id),
  case_id text NOT NULL,
  opened_on date NOT NULL,
  closed_on date,
  socialsekreterare text NOT NULL,
  bidragshandlaggare text NOT NULL,
  work_plan_established_on date,
  unemployed_since date,
  -- Fields the case system sent that Årshjul does not know: kept, ignored by the rules.
  extra jsonb NOT NULL DEFAULT '{}',
  -- Hash of the case as last imported: an unchanged case is not rewritten.
  content_hash text NOT NULL,
  PRIMARY KEY (unit_id, case_id)
);

CREATE TABLE members (
  unit_id text NOT NULL,
  case_id text NOT NULL,
  position integer NOT NULL,
  person_id text NOT NULL,
  role text NOT NULL,
  birth_date date NOT NULL,
  school_type text,
  expected_graduation date,
  extra jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (unit_id, case_id, position),
  FOREIGN KEY (unit_id, case_id) REFERENCES cases(unit_id, case_id) ON DELETE CASCADE
);

CREATE TABLE case_incomes (
  unit_id text NOT NULL,
  case_id text NOT NULL,
  income text NOT NULL,
  PRIMARY KEY (unit_id, case_id, income),
  FOREIGN KEY (unit_id, case_id) REFERENCES cases(unit_id, case_id) ON DELETE CASCADE
);

CREATE TABLE case_flags (
  unit_id text NOT NULL,
  case_id text NOT NULL,
  flag text NOT NULL,
  PRIMARY KEY (unit_id, case_id, flag),
  FOREIGN KEY (unit_id, case_id) REFERENCES cases(unit_id, case_id) ON DELETE CASCADE
);

CREATE TABLE rule_pack_versions (
  hash text PRIMARY KEY,
  rule_count integer NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tasks (
  task_id text PRIMARY KEY,
  unit_id text NOT NULL REFERENCES units(id),
  rule_id text NOT NULL,
  rule_version text NOT NULL,
  case_id text,
  period text NOT NULL,
  create_on date NOT NULL,
  due_on date NOT NULL,
  assignee_role text NOT NULL,
  assignee text,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'completed', 'not-applicable', 'cancelled')),
  because jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tasks_by_unit_rule_period ON tasks (unit_id, rule_id, period);
CREATE INDEX tasks_open_by_assignee ON tasks (assignee) WHERE state = 'open';
CREATE INDEX tasks_by_case ON tasks (unit_id, case_id);

CREATE TABLE task_events (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id text NOT NULL REFERENCES tasks(task_id),
  kind text NOT NULL CHECK (kind IN ('created', 'reminded', 'reminder-due', 'escalation-due', 'reassigned', 'completed', 'not-applicable', 'cancelled', 'reopened', 'signed-off')),
  at timestamptz NOT NULL DEFAULT now(),
  actor text,
  outcome text,
  note text,
  reason text,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX task_events_by_task ON task_events (task_id, id);

-- Events are history: appended, never edited or removed.
CREATE FUNCTION task_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'task_events är en historik: händelser läggs till, de ändras eller tas aldrig bort';
END
$$;
CREATE TRIGGER task_events_append_only BEFORE UPDATE OR DELETE ON task_events
  FOR EACH ROW EXECUTE FUNCTION task_events_are_append_only();

CREATE TABLE import_runs (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id text NOT NULL REFERENCES units(id),
  file_name text NOT NULL,
  file_hash text NOT NULL,
  imported_by text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  mode text NOT NULL CHECK (mode IN ('incremental', 'full')),
  counts jsonb NOT NULL
);
