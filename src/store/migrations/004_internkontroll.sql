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
