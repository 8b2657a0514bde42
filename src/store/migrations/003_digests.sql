-- Digests by e-mail: each person's preference, each unit's mail settings, and every digest with
-- its idempotency key, written before it is sent and marked when it has been.

ALTER TABLE staff ADD COLUMN digest text NOT NULL DEFAULT 'daily' CHECK (digest IN ('daily', 'weekly'));

CREATE TABLE unit_mail_settings (
  unit_id text PRIMARY KEY REFERENCES units(id),
  sender text,
  subject_prefix text,
  footer text
);

CREATE TABLE digests (
  key text PRIMARY KEY,
  unit_id text NOT NULL REFERENCES units(id),
  recipient text NOT NULL,
  email text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('caseworker', 'escalation', 'summary')),
  digest_date date NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent')),
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
