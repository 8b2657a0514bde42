-- Secrets the server keeps for itself, made at random on first use (e.g. the key that makes the
-- calendar feed's event ids, so they cannot be traced back to tasks).
CREATE TABLE server_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
