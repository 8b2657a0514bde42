-- The web app: who may sign in (a password hash, scrypt; or OpenID Connect later), sessions with
-- their CSRF token, failed sign-ins for lockout, and the secret calendar-feed tokens.
CREATE TABLE accounts (
  unit_id text NOT NULL,
  staff_id text NOT NULL,
  password_hash text,
  admin boolean NOT NULL DEFAULT false,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  PRIMARY KEY (unit_id, staff_id),
  FOREIGN KEY (unit_id, staff_id) REFERENCES staff(unit_id, id)
);

CREATE TABLE web_sessions (
  -- The SHA-256 of the cookie's value: a stolen database gives no live session.
  id_hash text PRIMARY KEY,
  unit_id text NOT NULL,
  staff_id text NOT NULL,
  csrf text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE calendar_tokens (
  token_hash text PRIMARY KEY,
  unit_id text NOT NULL,
  staff_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX calendar_tokens_by_person ON calendar_tokens (unit_id, staff_id);
