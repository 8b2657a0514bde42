// Which digests a unit sends on a day, composed and written to the store as pending before any
// is sent: the key (unit, kind, recipient, day) makes preparing twice harmless.
import { DateTime } from 'luxon';
import { subtractBusinessDays, zone } from '../calendar/businessDays.js';
import { DIGEST_HOUR } from '../calendar/dailyHours.js';
import { swedishOrder } from '../reports/format.js';
import type { Db, Queryable } from '../store/db.js';
import { insertDigests, lastPersonalDigests, openTasksForDigests, pendingDigestKeys, reportingLines, unitMailSettings } from '../store/digests.js';
import { HEAD_ROLES, isHeadRole, staffOf } from '../store/staff.js';
import { openInternalControlWork } from '../store/internalControl.js';
import { yearToDateByControl } from '../store/tasks.js';
import { defaultFooter, group, render, type Mail, type MailSettings } from './compose.js';

/** When a day's digest is made, as an ISO instant comparable with the tasks' created_at. */
const digestMoment = (day: string) => DateTime.fromISO(day, { zone }).set({ hour: DIGEST_HOUR }).toUTC().toISO()!;

interface OpenTask {
  assignee: string | null;
  title: string;
  due_on: string;
  create_on: string;
  /** The moment it was made (ISO, UTC): a late sweep or a completion's follow-up makes it after its creation day's digest. */
  created_at?: string;
  /** A unit task (of the management cycle), not a case's. */
  unit_task?: boolean;
  /** The task's round has recorded its reminder day (by the rule's remindBusinessDaysBefore). */
  reminded: boolean;
  escalated: boolean;
}

/** A review of a sampled case or access-log record, or a corrective action after one: internal control's work for a person. */
interface InternalControlWork {
  person: string;
  kind: 'review' | 'corrective';
  /** Of cases (by default) or of the access log's records (loggkontroll). */
  subject?: 'cases' | 'access-records';
  due_on: string;
}

/** How a line of internal-control work reads in the digest: what kind, late or not; never which case or record. */
function workLabel(w: InternalControlWork, date: string): string {
  const late = w.due_on < date;
  const log = w.subject === 'access-records';
  if (w.kind === 'review') return `${late ? 'Försenade granskningar' : 'Granskningar'} ${log ? 'av åtkomstloggen (loggkontroll)' : 'av stickprov'}`;
  return `${late ? 'Försenade rättelser' : 'Rättelser'}${log ? ' efter loggkontrollen' : ''}`;
}

interface Person {
  id: string;
  name: string;
  role: string;
  email: string;
  digest: 'daily' | 'weekly';
}

export interface Digest {
  key: string;
  recipient: string;
  email: string;
  kind: 'caseworker' | 'escalation' | 'summary';
  mail: Mail;
}


/** What a person has to do, in one sentence: "Du har 4 öppna kontrolluppgifter i årshjulet och 1 granskning i internkontrollen." */
function intro(tasks: number, reviews: number, corrective: number): string {
  const parts = [
    tasks ? `${tasks} ${tasks === 1 ? 'öppen kontrolluppgift' : 'öppna kontrolluppgifter'} i årshjulet` : '',
    reviews ? `${reviews} ${reviews === 1 ? 'granskning' : 'granskningar'} i internkontrollen` : '',
    corrective ? `${corrective} ${corrective === 1 ? 'rättelse' : 'rättelser'} efter internkontrollen` : '',
  ].filter(Boolean);
  return `Du har ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} och ${parts.at(-1)}` : parts[0]}.`;
}

function isMonday(date: string): boolean {
  return DateTime.fromISO(date, { zone }).weekday === 1;
}

/** The digests of a unit for a day, in recipient order. Pure apart from its inputs. */
export function composeDigests(input: {
  unitId: string; date: string; staff: Person[]; tasks: OpenTask[]; completion: { title: string; done: number; total: number; overdue: number }[]; settings: MailSettings;
  internalControl?: InternalControlWork[];
  /** Where the unit head's summary leads: the overview, not the inbox. */
  overviewUrl?: string;
  /**
   * Each person's last personal digest day, if any: a task is new when it was created, or made,
   * after it (so one a late sweep made with an earlier creation day is new too). Without one, new
   * is since the business day before (a weekly reader: the week), never every open task.
   */
  lastDigest?: Record<string, string>;
  /** Who reports to which deputy head: that deputy alone hears of their escalations; without, every deputy head does. */
  reportingLines?: Record<string, string>;
}): Digest[] {
  const { date, settings } = input;
  const weekBefore = DateTime.fromISO(date, { zone }).minus({ days: 7 }).toISODate()!;
  const digests: Digest[] = [];
  const byTitle = (t: OpenTask) => t.title;
  const due = (t: OpenTask) => t.due_on;

  const internalControl = input.internalControl ?? [];
  for (const person of input.staff) {
    const mine = input.tasks.filter((t) => t.assignee === person.id);
    const reviews = internalControl.filter((w) => w.person === person.id && w.kind === 'review');
    const corrective = internalControl.filter((w) => w.person === person.id && w.kind === 'corrective');
    if (mine.length + reviews.length + corrective.length > 0 && (person.digest === 'daily' || isMonday(date))) {
      // New: due to appear after `since` (a day) and by today, or made since that day's digest went
      // out (a follow-up made in the afternoon is new in the next morning's digest).
      const since = input.lastDigest?.[person.id] ?? (person.digest === 'daily' ? subtractBusinessDays(date, 1) : weekBefore);
      const [from, to] = [digestMoment(since), digestMoment(date)];
      const isNew = (t: OpenTask) => (t.create_on > since && t.create_on <= date) || (t.created_at !== undefined && t.created_at > from && t.created_at <= to);
      const mail = render(
        `Dina kontrolluppgifter ${date}`,
        intro(mine.length, reviews.length, corrective.length),
        [
          { heading: 'Nya uppgifter', lines: group(mine.filter(isNew), byTitle, due) },
          { heading: 'Sista dag snart', lines: group(mine.filter((t) => t.reminded && t.due_on >= date), byTitle, due) },
          { heading: 'Försenade', lines: group(mine.filter((t) => t.due_on < date), byTitle, due) },
          // Which case is said only in Årshjul: the mail has the kind of work, how much and by when.
          { heading: 'Granskningar i internkontrollen', lines: group(reviews, (w) => workLabel(w, date), (w) => w.due_on) },
          { heading: 'Rättelser efter internkontrollen', lines: group(corrective, (w) => workLabel(w, date), (w) => w.due_on) },
        ],
        settings,
      );
      if (mail) digests.push({ key: `${input.unitId}:caseworker:${person.id}:${date}`, recipient: person.id, email: person.email, kind: 'caseworker', mail });
    }
  }

  // The deputy heads hear of their caseworkers' escalated case tasks: not a head's own, not the
  // management cycle's unit tasks. A caseworker who reports to a deputy head is that deputy's alone.
  const names = new Map(input.staff.map((p) => [p.id, p.name]));
  const roles = new Map(input.staff.map((p) => [p.id, p.role]));
  const deputies = input.staff.filter((p) => p.role === 'bitradande-enhetschef');
  const lines = input.reportingLines ?? {};
  const deputyOf = (assignee: string | null) => deputies.find((d) => d.id === lines[assignee ?? ''])?.id;
  const caseworkers = input.tasks.filter((t) => t.escalated && !t.unit_task && !isHeadRole(roles.get(t.assignee ?? '')));
  for (const person of deputies) {
    const escalated = caseworkers.filter((t) => (deputyOf(t.assignee) ?? person.id) === person.id);
    const theirs = input.staff.some((p) => lines[p.id] === person.id) ? 'dina handläggare' : 'enhetens handläggare';
    const mail = render(
      `Eskalerade kontroller ${date}`,
      `${escalated.length} ${escalated.length === 1 ? 'kontrolluppgift' : 'kontrolluppgifter'} hos ${theirs} är ${escalated.length === 1 ? 'försenad' : 'försenade'} och har eskalerats.`,
      [
        { heading: 'Per handläggare', lines: group(escalated, (t) => names.get(t.assignee ?? '') ?? 'Ingen tilldelad', due) },
        { heading: 'Per kontroll', lines: group(escalated, byTitle, due) },
      ],
      settings,
    );
    if (mail) digests.push({ key: `${input.unitId}:escalation:${person.id}:${date}`, recipient: person.id, email: person.email, kind: 'escalation', mail });
  }

  if (isMonday(date) && input.completion.length > 0) {
    for (const person of input.staff.filter((p) => p.role === 'enhetschef')) {
      const mail = render(
        `Veckosammanfattning av årshjulet ${date}`,
        'Så långt har enhetens kontroller kommit i år.',
        [{ heading: 'Kontroller', lines: [...input.completion].sort((a, b) => swedishOrder(a.title, b.title)).map((c) => ({ label: c.title, count: c.total, detail: `${c.done} av ${c.total} klara${c.overdue ? `, ${c.overdue} ${c.overdue === 1 ? 'försenad' : 'försenade'}` : ''}` })) }],
        settings,
        input.overviewUrl,
      );
      if (mail) digests.push({ key: `${input.unitId}:summary:${person.id}:${date}`, recipient: person.id, email: person.email, kind: 'summary', mail });
    }
  }
  return digests.sort((a, b) => a.key.localeCompare(b.key));
}

async function mailSettings(db: Queryable, unitId: string, inboxUrl: string): Promise<MailSettings> {
  const unit = await unitMailSettings(db, unitId);
  return { subjectPrefix: unit.subjectPrefix ?? '[Årshjul]', footer: unit.footer ?? defaultFooter, inboxUrl };
}

const pending = (d: Digest) => ({ key: d.key, recipient: d.recipient, email: d.email, kind: d.kind, subject: d.mail.subject, text: d.mail.text, html: d.mail.html });

/** Composes the day's digests from the store and records them as pending; returns the keys still to send. */
/** `baseUrl`: the web app's address; the digests lead to its inbox, the unit head's summary to its overview. */
export async function prepareDigests(db: Db, input: { unitId: string; date: string; baseUrl: string }): Promise<string[]> {
  const staff = await staffOf(db, input.unitId);
  const tasks = await openTasksForDigests(db, input.unitId, input.date);
  const completion = await yearToDateByControl(db, input.unitId, input.date);
  const settings = await mailSettings(db, input.unitId, `${input.baseUrl}/inkorg`);
  const lastDigest = await lastPersonalDigests(db, input.unitId, input.date);
  const internalControl = await openInternalControlWork(db, input.unitId);
  const overviewUrl = `${input.baseUrl}/oversikt`;
  const lines = await reportingLines(db, input.unitId);
  const digests = composeDigests({ ...input, staff, tasks, completion, settings, lastDigest, internalControl, overviewUrl, reportingLines: lines });
  return db.transaction(async (tx) => {
    await insertDigests(tx, input.unitId, input.date, digests.map(pending));
    return pendingDigestKeys(tx, input.unitId, input.date);
  });
}

/** A report's digest to the unit head and the deputy heads: its title and a link, nothing more. */
export async function prepareReportDigests(db: Db, input: { unitId: string; reportId: string; title: string; date: string; link: string }): Promise<string[]> {
  const people = await staffOf(db, input.unitId, HEAD_ROLES);
  const settings = await mailSettings(db, input.unitId, input.link);
  const mail = render(input.title, `${input.title} är klar.`, [{ heading: 'Rapport', lines: [{ label: input.title, count: 1 }] }], settings)!;
  const digests = people.map((person) => ({
    key: `${input.unitId}:report:${person.id}:${input.reportId}`, recipient: person.id, email: person.email, kind: 'report' as const,
    subject: mail.subject, text: mail.text, html: mail.html,
  }));
  await insertDigests(db, input.unitId, input.date, digests);
  return digests.map((d) => d.key);
}
