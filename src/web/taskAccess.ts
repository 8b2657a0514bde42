// Which tasks a person may see and change, and changes applied as one store transaction in this
// process (the task's round hears of it after the commit).
import { TaskActionError, type TaskAction } from '../tasks/lifecycle.js';
import { actOnTask } from '../../activities/taskAction.js';
import { Type } from 'typebox';
import { isHead } from './accounts.js';
import type { Rule } from '../rules/rule.js';
import { ruleVersion } from '../store/rulePacks.js';
import type { Queryable } from '../store/db.js';
import { findTaskByRef, type TaskRow } from '../store/tasks.js';
import { BadRequest, Forbidden, type SignedIn, type WebDeps } from './app.js';
import type { DoneCode } from './layout.js';

/** Who has an inbox and tasks: the caseworkers and the heads; and the heads alone. */
export const people = ['caseworker', 'deputy', 'head'] as const;
export const heads = ['deputy', 'head'] as const;

/** A task's page: by its opaque reference, never by its id (which names a case). */
export const taskUrl = (task: Pick<TaskRow, 'ref'>) => `/uppgifter/${task.ref}`;
/** A task's address part: its opaque reference. */
export const taskParams = Type.Object({ id: Type.String({ description: 'uppgiftens ref (inte dess id)' }) });

export { isHead };

/** A task of the user's unit that is theirs, or any of the unit's for a deputy head or the unit head; 403 otherwise. */
export async function visibleTask(db: Queryable, user: SignedIn, ref: string): Promise<{ task: TaskRow; rule: Rule }> {
  const task = await findTaskByRef(db, ref);
  // Yours, or the unit's for a head, or one of your role that waits for a second person (four eyes).
  const mine = task && (task.assignee === user.staffId || isHead(user) || (task.state === 'awaiting-sign-off' && task.assignee_role === user.role));
  // The same answer for a task that does not exist and one that is not yours: ids are not probed.
  if (!task || task.unit_id !== user.unitId || !mine) throw new Forbidden('Uppgiften är inte din.');
  return { task, rule: await ruleVersion(db, task.rule_version) };
}

/**
 * Runs a task action as the signed-in person: the lifecycle's words, and the code a page's notice
 * says it by. A refusal by the rules becomes a 400 with its words.
 */
export async function applyAction(deps: WebDeps, action: TaskAction): Promise<{ message: string; done: DoneCode }> {
  try {
    // In this process, in one store transaction: no workflow per action (a report waiting for its analysis hears after the commit).
    const result = await actOnTask(deps, action);
    const awaiting = result.task.state === 'awaiting-sign-off';
    const done: DoneCode =
      action.kind === 'reassign' ? 'omfordelad'
        : action.kind === 'reopen' ? 'oppnad'
        : action.kind === 'send-back' ? 'tillbaka'
          : action.kind === 'not-applicable' ? (awaiting ? 'ej-aktuell-attest' : 'ej-aktuell')
            : awaiting ? 'attest' : result.followUp ? 'klar-uppfoljning' : 'klar';
    return { message: result.message, done };
  } catch (error) {
    if (error instanceof TaskActionError) throw new BadRequest(error.message);
    throw error;
  }
}

const rules = new Map<string, Rule>();
/** Rule versions never change: read each once. */
export async function ruleOf(db: Queryable, version: string): Promise<Rule> {
  let rule = rules.get(version);
  if (!rule) rules.set(version, (rule = await ruleVersion(db, version)));
  return rule;
}
