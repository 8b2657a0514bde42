-- A sign-in attempt is counted before its password is checked, so guesses sent together all count:
-- one upsert adds the attempt and keeps the moment of the one before it, so the throttle reads both
-- from the row it wrote. Rows whose last attempt is older than the throttle's day are purged.
ALTER TABLE sign_in_failures ADD COLUMN previous_failure timestamptz;
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (last_failure);

-- The alert on an account's many failures goes out once a day, however many processes see them.
CREATE TABLE sign_in_alerts (
  unit_id text NOT NULL,
  staff_id text NOT NULL,
  alerted_at timestamptz NOT NULL,
  PRIMARY KEY (unit_id, staff_id)
);
