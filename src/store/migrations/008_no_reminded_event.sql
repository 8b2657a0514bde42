-- 'reminded' was never written: a round records 'reminder-due', and the digest reads that.
ALTER TABLE task_events DROP CONSTRAINT task_events_kind_check;
ALTER TABLE task_events ADD CONSTRAINT task_events_kind_check CHECK (kind IN (
  'created', 'reminder-due', 'due', 'escalation-due', 'reassigned', 'completed', 'signed-off',
  'not-applicable', 'cancelled', 'reopened'));
