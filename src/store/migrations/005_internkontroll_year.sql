-- The unit head's approval of the year's plan, and the follow-up and compilation reports.
CREATE TABLE ik_plan_approvals (
  unit_id text NOT NULL REFERENCES units(id),
  plan_year integer NOT NULL,
  requested_at timestamptz NOT NULL,
  approved_by text,
  approved_at timestamptz,
  PRIMARY KEY (unit_id, plan_year)
);

CREATE TABLE ik_reports (
  id text PRIMARY KEY,
  unit_id text NOT NULL REFERENCES units(id),
  plan_year integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('follow-up', 'compilation')),
  created_at timestamptz NOT NULL,
  csv text NOT NULL,
  html text NOT NULL
);

ALTER TABLE digests DROP CONSTRAINT digests_kind_check;
ALTER TABLE digests ADD CONSTRAINT digests_kind_check CHECK (kind IN ('caseworker', 'escalation', 'summary', 'report'));
