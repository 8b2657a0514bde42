// Each person's digest preference and each unit's sender, subject prefix and footer.
import addressparser from 'nodemailer/lib/addressparser';
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
    if (!(await setDigestPreference(db, change.unitId, change.staffId, change.digest))) throw new TaskActionError('personen finns inte bland enhetens personal');
    return `${change.staffId} får ${change.digest === 'daily' ? 'ett utskick varje bankdag' : 'ett utskick på måndagar'}`;
  }
  if (!(await findUnit(db, change.unitId))) throw new TaskActionError('enheten finns inte: ange ett enhets-id ur ärendefilen');
  if (change.sender !== undefined) checkSender(change.sender);
  // A subject is one header line; the footer is the mail's body and may have several.
  if (change.subjectPrefix !== undefined && /[\r\n]/.test(change.subjectPrefix)) throw new TaskActionError('ämnesraden får inte ha radbrytningar');
  await saveUnitMailSettings(db, change.unitId, change);
  return `e-postinställningarna för ${change.unitId} är sparade`;
}

/** A sender is one address (with or without a name), on one line: what a From header can carry. */
function checkSender(sender: string): void {
  const parsed = addressparser(sender, { flatten: true });
  if (/[\r\n]/.test(sender) || parsed.length !== 1 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(parsed[0]!.address)) {
    throw new TaskActionError('avsändaren ska vara en e-postadress, t.ex. arshjul@kommun.se eller "Årshjul <arshjul@kommun.se>", på en rad');
  }
}
