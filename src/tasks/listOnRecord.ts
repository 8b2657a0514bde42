// The CLI's task list (`arshjul tasks list`): it prints case ids, so each unit's part of the answer
// goes on that unit's access log first, with the machine account the CLI ran as, as `arshjul log` does.
import { recordAccess } from '../accessLog/log.js';
import { findUnit } from '../store/cases.js';
import type { Db } from '../store/db.js';
import { listTasks, type TaskFilter, type TaskRow } from '../store/tasks.js';

/** The filter as the log keeps it: the fields given, by their Swedish names. */
function described(filter: TaskFilter): string {
  const fields: [string, string | undefined][] = [
    ['enhet', filter.unitId], ['person', filter.assignee], ['kontroll', filter.ruleId], ['månad', filter.period], ['tillstånd', filter.state], ['försenade den', filter.overdueOn],
  ];
  return fields.filter(([, value]) => value).map(([name, value]) => `${name}=${value}`).join('; ');
}

/** The tasks the filter names; every unit they belong to (and the unit asked for) records the reading first. */
export async function listTasksOnRecord(db: Db, input: { filter: TaskFilter; reader: string }): Promise<TaskRow[]> {
  const tasks = await listTasks(db, input.filter);
  const units = new Set(tasks.map((t) => t.unit_id));
  // A search of one unit that found nothing is a reading too; a unit that does not exist has no log.
  if (input.filter.unitId && (await findUnit(db, input.filter.unitId))) units.add(input.filter.unitId);
  const at = new Date();
  for (const unitId of [...units].sort()) {
    await recordAccess(db, {
      unitId, staffId: null, view: 'tasks-cli', caseIds: tasks.filter((t) => t.unit_id === unitId).map((t) => t.case_id),
      query: described(input.filter), address: input.reader, at,
    });
  }
  return tasks;
}
