-- Failed sign-ins per account and address, instead of a lock on the account: a throttle that grows
-- with one address's failures on one account, and a count across addresses that raises an alert.
CREATE TABLE sign_in_failures (
  unit_id text NOT NULL,
  staff_id text NOT NULL,
  address text NOT NULL,
  failures integer NOT NULL,
  last_failure timestamptz NOT NULL,
  PRIMARY KEY (unit_id, staff_id, address)
);
ALTER TABLE accounts DROP COLUMN failed_attempts;
ALTER TABLE accounts DROP COLUMN locked_until;
