-- Figures a unit types in where the store has no source of its own (complaints about treatment,
-- non-executed decisions, work plans made after the second meeting, sick leave): one value per
-- measure and month, appended only, so a correction is a later row and every value keeps who and when.
CREATE TABLE unit_figures (
  id bigserial PRIMARY KEY,
  unit_id text NOT NULL REFERENCES units(id),
  measure text NOT NULL,
  month text NOT NULL CHECK (month ~ '^\d{4}-(0[1-9]|1[0-2])$'),
  value numeric NOT NULL CHECK (value >= 0),
  entered_by text NOT NULL,
  entered_at timestamptz NOT NULL
);
CREATE INDEX unit_figures_by_month ON unit_figures (unit_id, measure, month, entered_at);
