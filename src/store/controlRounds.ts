// Control rounds in the store: a round is a rule's tasks of one month in one unit (unit × rule ×
// period); a deputy head may close one, and then the sweep starts it no more.
import type { Queryable } from './db.js';
import { OPEN } from './tasks.js';

export interface RoundKey {
  unitId: string;
  ruleId: string;
  period: string;
}

export async function isRoundClosed(db: Queryable, round: RoundKey): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM closed_rounds WHERE unit_id = $1 AND rule_id = $2 AND period = $3', [round.unitId, round.ruleId, round.period]);
  return rows.length > 0;
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

/** The rounds of these tasks that still have open tasks and that no deputy head has closed. */
export async function openRoundsOf(db: Queryable, taskIds: string[]): Promise<RoundKey[]> {
  const rows = await db.query<{ unit_id: string; rule_id: string; period: string }>(
    `SELECT DISTINCT t.unit_id, t.rule_id, t.period FROM tasks t
     WHERE t.task_id = ANY($1::text[]) AND t.state IN (${OPEN})
       AND NOT EXISTS (SELECT 1 FROM closed_rounds c WHERE c.unit_id = t.unit_id AND c.rule_id = t.rule_id AND c.period = t.period)
     ORDER BY t.rule_id, t.period`,
    [taskIds],
  );
  return rows.map((r) => ({ unitId: r.unit_id, ruleId: r.rule_id, period: r.period }));
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
