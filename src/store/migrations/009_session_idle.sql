-- When a session was last used: an idle one ends (the web app's idle timeout).
ALTER TABLE web_sessions ADD COLUMN last_seen timestamptz NOT NULL DEFAULT now();
CREATE INDEX web_sessions_by_person ON web_sessions (unit_id, staff_id);
