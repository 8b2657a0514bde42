-- The access log: one record for every answer that showed case data (and every sign-in), per
-- unit a chain of records in order, each carrying the hash of the one before it and its own
-- (sha256 over the previous hash and its canonical content, src/accessLog/chain.ts), so a record
-- changed, removed or put in afterwards breaks the chain where it happened.
CREATE TABLE access_log (
  unit_id text NOT NULL,
  -- The record's place in its unit's chain: 1, 2, 3, … with no gaps.
  seq bigint NOT NULL CHECK (seq > 0),
  at timestamptz NOT NULL,
  -- Null where nobody signed in: a failed sign-in that named nobody on the staff, the purge, the command line.
  staff_id text,
  view text NOT NULL,
  case_ids text[] NOT NULL DEFAULT '{}',
  -- The search or selection that named the cases (the working view's filters, the API's query, …).
  query text NOT NULL DEFAULT '',
  -- Derived from the session's hash: never the cookie, and not the session table's key either.
  session text,
  address text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (unit_id, seq)
);
CREATE INDEX access_log_by_time ON access_log (unit_id, at);
CREATE INDEX access_log_by_person ON access_log (unit_id, staff_id, at);
CREATE INDEX access_log_by_case ON access_log USING gin (case_ids);

-- Where a unit's chain starts after the retention purge: the last purged record's place and hash.
-- Appended by each purge that removed something; the newest is the anchor.
CREATE TABLE access_log_anchors (
  unit_id text NOT NULL,
  seq bigint NOT NULL,
  hash text NOT NULL,
  purged_at timestamptz NOT NULL,
  purged_before timestamptz NOT NULL,
  PRIMARY KEY (unit_id, seq)
);

-- Neither table can be changed or emptied. The one exception is the retention purge, which in its
-- own transaction names (set_config, local to it) the unit and the last record it removes; only
-- those records, the oldest of the chain, may then be deleted.
CREATE FUNCTION access_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'access_log' THEN
    IF OLD.unit_id = current_setting('arshjul.access_log_purge_unit', true)
       AND OLD.seq <= coalesce(nullif(current_setting('arshjul.access_log_purge_through', true), '')::bigint, 0) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'åtkomstloggen ändras aldrig: poster läggs till, de ändras eller tas inte bort (utom av gallringen)';
END
$$;
CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION access_log_guard();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION access_log_guard();
CREATE TRIGGER access_log_anchors_append_only BEFORE UPDATE OR DELETE ON access_log_anchors
  FOR EACH ROW EXECUTE FUNCTION access_log_guard();
CREATE TRIGGER access_log_anchors_no_truncate BEFORE TRUNCATE ON access_log_anchors
  FOR EACH STATEMENT EXECUTE FUNCTION access_log_guard();

-- A person who reviews the log without being a head (the unit's log reviewer).
ALTER TABLE accounts ADD COLUMN log_reviewer boolean NOT NULL DEFAULT false;
