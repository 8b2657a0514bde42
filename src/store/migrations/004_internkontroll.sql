-- Internal-control samples: the seed, the population in its order and the algorithm, so anyone can
-- draw the same cases again.
CREATE TABLE ik_samples (
  id text PRIMARY KEY,
  unit_id text NOT NULL REFERENCES units(id),
  plan_year integer NOT NULL,
  control_id text NOT NULL,
  period text NOT NULL,
  seed text NOT NULL,
  algorithm text NOT NULL,
  -- The method, size and stratification as the plan said when the sample was drawn.
  method text NOT NULL,
  size jsonb,
  stratify text,
  population jsonb NOT NULL,
  excluded jsonb NOT NULL,
  cases jsonb NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ik_samples_by_control ON ik_samples (unit_id, control_id, plan_year);

-- Each sampled case is reviewed by the control's responsible deputy head against its checklist.
CREATE TABLE ik_reviews (
  id text PRIMARY KEY,
  sample_id text NOT NULL REFERENCES ik_samples(id),
  unit_id text NOT NULL REFERENCES units(id),
  control_id text NOT NULL,
  case_id text NOT NULL,
  reviewer text,
  due_on date NOT NULL,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'reviewed')),
  -- One answer per checklist question: ok, deviation (with a note) or not-applicable.
  answers jsonb,
  reviewed_by text,
  reviewed_at timestamptz
);

-- A deviation gives the case's caseworker a corrective action, tracked until closed.
CREATE TABLE ik_corrective (
  id text PRIMARY KEY,
  review_id text NOT NULL REFERENCES ik_reviews(id),
  unit_id text NOT NULL REFERENCES units(id),
  case_id text NOT NULL,
  assignee text NOT NULL,
  due_on date NOT NULL,
  deviation text NOT NULL,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
  closed_by text,
  closed_at timestamptz,
  note text
);
