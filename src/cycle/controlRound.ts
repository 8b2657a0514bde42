// A head's hold on a control round (a rule's tasks of one month in one unit): closed, the daily
// steps pass it by (no more reminders or escalations); opened again, they go on from where they are due.
import type { Db } from '../store/db.js';
import { deleteRoundClosed, recordRoundClosed, type RoundKey } from '../store/controlRounds.js';
import { isHead } from '../store/staff.js';
import { TaskActionError } from '../tasks/lifecycle.js';

/** A deputy head (or the unit head) closes a round: no more reminders or escalations for it. */
export async function closeRound(db: Db, input: RoundKey & { by: string; at: string }): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await isHead(tx, input.unitId, input.by))) {
      throw new TaskActionError('bara enhetschef eller biträdande enhetschef kan stänga en kontrollomgång');
    }
    await recordRoundClosed(tx, input);
  });
}

/** A head opens a closed round again (a close taken back): its steps go on from where they are due. */
export async function reopenRound(db: Db, input: RoundKey & { by: string }): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await isHead(tx, input.unitId, input.by))) {
      throw new TaskActionError('bara enhetschef eller biträdande enhetschef kan öppna en kontrollomgång igen');
    }
    if (!(await deleteRoundClosed(tx, input))) throw new TaskActionError('omgången är inte stängd');
  });
}
