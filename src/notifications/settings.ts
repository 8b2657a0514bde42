// Each person's digest preference and each unit's sender, subject prefix and footer.
import type { Db } from '../store/db.js';
import { TaskActionError } from '../tasks/lifecycle.js';

export type SettingsChange =
  | { kind: 'digest'; unitId: string; staffId: string; digest: 'daily' | 'weekly' }
  | { kind: 'mail'; unitId: string; sender?: string; subjectPrefix?: string; footer?: string };

export async function applySettings(db: Db, change: SettingsChange): Promise<string> {
  if (change.kind === 'digest') {
    const rows = await db.query('UPDATE staff SET digest = $3 WHERE unit_id = $1 AND id = $2 RETURNING id', [change.unitId, change.staffId, change.digest]);
    if (rows.length === 0) throw new TaskActionError(`${change.staffId} finns inte bland personalen i ${change.unitId}`);
    return `${change.staffId} får ${change.digest === 'daily' ? 'ett utskick varje bankdag' : 'ett utskick på måndagar'}`;
  }
  const units = await db.query('SELECT 1 FROM units WHERE id = $1', [change.unitId]);
  if (units.length === 0) throw new TaskActionError(`enheten ${change.unitId} finns inte`);
  await db.query(
    `INSERT INTO unit_mail_settings (unit_id, sender, subject_prefix, footer) VALUES ($1, $2, $3, $4)
     ON CONFLICT (unit_id) DO UPDATE SET sender = coalesce($2, unit_mail_settings.sender),
       subject_prefix = coalesce($3, unit_mail_settings.subject_prefix), footer = coalesce($4, unit_mail_settings.footer)`,
    [change.unitId, change.sender ?? null, change.subjectPrefix ?? null, change.footer ?? null],
  );
  return `e-postinställningarna för ${change.unitId} är sparade`;
}
