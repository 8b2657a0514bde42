// What a page calls people and tasks: names rather than staff ids, the control's own words rather
// than codes, times in Stockholm. One place, so every view says it the same way.
import { zone } from '../calendar/businessDays.js';
import type { Rule } from '../rules/rule.js';
import type { Queryable } from '../store/db.js';
import { staffOf } from '../store/staff.js';
import type { TaskEvent, TaskRow } from '../store/tasks.js';
import { stateNames } from '../tasks/lifecycle.js';
import { html, type Html } from './html.js';

export type Names = Map<string, string>;

/** The unit's staff by id, for one page. */
export async function staffNames(db: Queryable, unitId: string): Promise<Names> {
  return new Map((await staffOf(db, unitId)).map((s) => [s.id, s.name]));
}

// Who acted when no person did: the cycle itself.
const machines: Record<string, string> = { system: 'Årshjul', round: 'Årshjul', sweep: 'Årshjul (dagligt svep)', import: 'Ärendeimporten', demo: 'Årshjul' };

/** A person by name; the cycle as Årshjul; an id no longer on the staff as it is. */
export const personName = (names: Names, id: string | null | undefined): string =>
  id == null ? '–' : names.get(id) ?? (Object.hasOwn(machines, id) ? machines[id]! : id);

/** What a task is about: its case, the colleague of a review with each caseworker, or the unit. */
export function subjectOf(task: Pick<TaskRow, 'case_id' | 'task_id'>, names: Names): string {
  if (task.case_id) return task.case_id;
  // A staff-scope task's id ends in `staff-<id>` (src/planner/plan.ts).
  const about = /:staff-([^:]+)$/.exec(task.task_id)?.[1];
  return about ? `Genomgång med ${personName(names, about)}` : 'Enhetsuppgift';
}

const time = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** An instant as Stockholm's wall clock: "2027-03-02 14:05". */
export const stockholmClock = (at: string | Date): string => time.format(new Date(at));

const eventNames: Record<TaskEvent['kind'], string> = {
  created: 'Skapad',
  'reminder-due': 'Påminnelse',
  due: 'Sista dag',
  'escalation-due': 'Eskalerad till chef',
  reassigned: 'Omfördelad',
  completed: 'Utförd',
  'signed-off': 'Attesterad',
  'not-applicable': 'Inte aktuell',
  cancelled: 'Makulerad',
  reopened: 'Öppnad igen',
};

/** One history row in words: when, what, by whom, and what it said. `sentBack`: a reopening that was a send-back. */
export function describeEvent(event: TaskEvent, rule: Pick<Rule, 'completion'>, names: Names, sentBack = false) {
  const outcome = event.outcome ? rule.completion.outcomes.find((o) => o.id === event.outcome)?.label ?? event.outcome : undefined;
  const moved = event.kind === 'reassigned' ? event.data as { from?: string | null; to?: string } : undefined;
  const followUp = event.kind === 'created' && typeof event.data.followUpOf === 'string' ? 'uppföljning av en tidigare uppgift' : undefined;
  return {
    when: stockholmClock(event.at),
    what: sentBack ? 'Skickad tillbaka' : eventNames[event.kind] ?? event.kind,
    who: personName(names, event.actor),
    said: [moved ? `från ${personName(names, moved.from)} → till ${personName(names, moved.to)}` : undefined, followUp, outcome, event.note, event.reason].filter(Boolean).join(' – '),
  };
}

/**
 * A task's history in words. A send-back is stored as a reopening (the task is open again) and said
 * as what it was: by its mark, or, in events from before the mark, by coming while the task waited
 * for a second person (a two-person rule's first step just before it).
 */
export function describeHistory(events: TaskEvent[], rule: Pick<Rule, 'completion'>, names: Names) {
  let awaiting = false;
  return events.map((event) => {
    const sentBack = event.kind === 'reopened' && (event.data.sentBack === true || awaiting);
    if (event.kind === 'completed' || event.kind === 'not-applicable') awaiting = rule.completion.secondSignOff === true;
    else if (event.kind === 'signed-off' || event.kind === 'reopened' || event.kind === 'cancelled') awaiting = false;
    return describeEvent(event, rule, names, sentBack);
  });
}

/** Swedish order for lists people choose from (one collator for the whole product). */
export { swedishOrder } from '../reports/format.js';

/** A task's standing in words: an open task past its day is late (and says since when, unless the page says it beside). */
export function statusOf(task: Pick<TaskRow, 'state' | 'due_on'>, date: string, withDue = true): Html {
  if (task.state !== 'open' || task.due_on >= date) return html`${stateNames[task.state]}`;
  return html`<span class="overdue">försenad</span>${withDue ? html` (öppen, skulle vara klar ${task.due_on})` : ''}`;
}
