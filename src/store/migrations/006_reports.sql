-- The tertial reports and the annual report: every version kept, each with the moment its figures
-- were read (as_of), the figures themselves, and the documents made from them.
CREATE TABLE reports (
  unit_id text NOT NULL REFERENCES units(id),
  period text NOT NULL,
  version integer NOT NULL,
  as_of timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  rule_pack text NOT NULL,
  analysis text,
  analysis_by text,
  figures jsonb NOT NULL,
  html text NOT NULL,
  csv text NOT NULL,
  pdf bytea,
  -- Why there is no PDF (Chromium missing or failing); the HTML and CSV are kept all the same.
  pdf_error text,
  PRIMARY KEY (unit_id, period, version)
);
