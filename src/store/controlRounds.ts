// Control rounds in the store: a round is a rule's tasks of one month in one unit (unit × rule ×
// period); a deputy head may close one, and then the daily steps pass it by. The steps themselves
// (reminder, due, escalation) are events, recorded once per task and kind.
import type { Queryable } from './db.js';
import { OPEN } from './tasks.js';

export interface RoundKey {
  unitId: string;
  ruleId: string;
  period: string;
}

export async function recordRoundClosed(db: Queryable, round: RoundKey & { by: string; at: string }): Promise<void> {
  await db.query(
    'INSERT INTO closed_rounds (unit_id, rule_id, period, closed_by, closed_at) VALUES ($1, $2, $3, $4, $5::timestamptz) ON CONFLICT DO NOTHING',
    [round.unitId, round.ruleId, round.period, round.by, round.at],
  );
}

/** A head takes a close back: the round's reminders and escalations go on. False when it was not closed. */
export async function deleteRoundClosed(db: Queryable, round: RoundKey): Promise<boolean> {
  const rows = await db.query('DELETE FROM closed_rounds WHERE unit_id = $1 AND rule_id = $2 AND period = $3 RETURNING 1', [round.unitId, round.ruleId, round.period]);
  return rows.length > 0;
}

export type StepKind = 'reminder-due' | 'due' | 'escalation-due';

/** A step whose day has come, for the tasks of one rule version and due date. */
export interface DueStep {
  ruleVersion: string;
  dueOn: string;
  kind: StepKind;
}

const notClosed = 'NOT EXISTS (SELECT 1 FROM closed_rounds c WHERE c.unit_id = t.unit_id AND c.rule_id = t.rule_id AND c.period = t.period)';

/** The (rule version, due date) pairs of a unit's open tasks in rounds not closed: a handful per rule and month. */
export async function openStepPairs(db: Queryable, unitId: string): Promise<{ ruleVersion: string; dueOn: string }[]> {
  return db.query(
    `SELECT DISTINCT t.rule_version AS "ruleVersion", t.due_on::text AS "dueOn" FROM tasks t
     WHERE t.unit_id = $1 AND t.state IN (${OPEN}) AND ${notClosed} ORDER BY 1, 2`,
    [unitId],
  );
}

/**
 * Records the steps that have come for a unit's open tasks in rounds not closed, as one statement;
 * once per task and kind, however often it runs: a lock per unit keeps two sweeps of it (a manual one
 * beside the scheduled one) from both finding a step missing. Returns how many of each kind it recorded.
 */
export async function recordSteps(db: Queryable, unitId: string, steps: DueStep[], at: string): Promise<{ kind: StepKind; n: number }[]> {
  if (steps.length === 0) return [];
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('steps:' || $1))`, [unitId]);
  return db.query<{ kind: StepKind; n: number }>(
    `WITH recorded AS (INSERT INTO task_events (task_id, kind, actor, at)
     SELECT t.task_id, s.kind, 'round', $5::timestamptz
     FROM unnest($2::text[], $3::date[], $4::text[]) AS s(rule_version, due_on, kind)
     JOIN tasks t ON t.unit_id = $1 AND t.rule_version = s.rule_version AND t.due_on = s.due_on
     WHERE t.state IN (${OPEN}) AND ${notClosed}
       AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.kind = s.kind)
     RETURNING kind)
     SELECT kind, count(*)::int AS n FROM recorded GROUP BY kind`,
    [unitId, steps.map((s) => s.ruleVersion), steps.map((s) => s.dueOn), steps.map((s) => s.kind), at],
  );
}

/** A unit's rounds of a year: open and all tasks (from the tally), and whether a deputy head closed it. */
export async function roundsOfYear(db: Queryable, unitId: string, year: number) {
  return db.query<{ ruleId: string; period: string; open: number; total: number; closed: boolean; closedBy: string | null; closedAt: string | null }>(
    `SELECT t.rule_id AS "ruleId", t.period, coalesce(sum(t.n) FILTER (WHERE t.state IN (${OPEN})), 0)::int AS open, sum(t.n)::int AS total,
            c.unit_id IS NOT NULL AS closed, min(c.closed_by) AS "closedBy", min(c.closed_at)::text AS "closedAt"
     FROM task_tally t LEFT JOIN closed_rounds c ON c.unit_id = t.unit_id AND c.rule_id = t.rule_id AND c.period = t.period
     WHERE t.unit_id = $1 AND t.period LIKE $2 || '-%' AND t.state <> 'cancelled'
     GROUP BY t.unit_id, t.rule_id, t.period, c.unit_id HAVING sum(t.n) > 0 ORDER BY t.period, t.rule_id`,
    [unitId, String(year)],
  );
}
