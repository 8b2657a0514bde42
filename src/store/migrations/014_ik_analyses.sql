-- The analysis after a round of internal control (a sample whose reviews are done): what the round
-- showed and what the unit does about it, written once by a deputy head or the unit head.
CREATE TABLE ik_analyses (
  sample_id text PRIMARY KEY REFERENCES ik_samples(id),
  unit_id text NOT NULL REFERENCES units(id),
  text text NOT NULL,
  written_by text NOT NULL,
  written_at timestamptz NOT NULL
);
