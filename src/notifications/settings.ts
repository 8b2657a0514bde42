// Each person's digest preference and each unit's sender, subject prefix and footer.
import { findUnit } from '../store/cases.js';
import type { Db } from '../store/db.js';
import { saveUnitMailSettings } from '../store/digests.js';
import { setDigestPreference } from '../store/staff.js';
import { TaskActionError } from '../tasks/lifecycle.js';

export type SettingsChange =
  | { kind: 'digest'; unitId: string; staffId: string; digest: 'daily' | 'weekly' }
  | { kind: 'mail'; unitId: string; sender?: string; subjectPrefix?: string; footer?: string };

export async function applySettings(db: Db, change: SettingsChange): Promise<string> {
  if (change.kind === 'digest') {
    if (!(await setDigestPreference(db, change.unitId, change.staffId, change.digest))) throw new TaskActionError(`${change.staffId} finns inte bland personalen i ${change.unitId}`);
    return `${change.staffId} får ${change.digest === 'daily' ? 'ett utskick varje bankdag' : 'ett utskick på måndagar'}`;
  }
  if (!(await findUnit(db, change.unitId))) throw new TaskActionError(`enheten ${change.unitId} finns inte`);
  await saveUnitMailSettings(db, change.unitId, change);
  return `e-postinställningarna för ${change.unitId} är sparade`;
}
