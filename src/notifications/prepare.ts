// Which digests a unit sends on a day, composed and written to the store as pending before any
// is sent: the key (unit, kind, recipient, day) makes preparing twice harmless.
import { DateTime } from 'luxon';
import { addBusinessDays, zone } from '../calendar/businessDays.js';
import type { Db } from '../store/db.js';
import { defaultFooter, group, render, type Mail, type MailSettings } from './compose.js';

interface OpenTask {
  assignee: string | null;
  title: string;
  due_on: string;
  create_on: string;
  escalated: boolean;
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


function isMonday(date: string): boolean {
  return DateTime.fromISO(date, { zone }).weekday === 1;
}

/** The digests of a unit for a day, in recipient order. Pure apart from its inputs. */
export function composeDigests(input: { unitId: string; date: string; staff: Person[]; tasks: OpenTask[]; completion: { title: string; done: number; total: number; overdue: number }[]; settings: MailSettings }): Digest[] {
  const { date, settings } = input;
  const windowEnd = addBusinessDays(date, 5);
  const weekStart = DateTime.fromISO(date, { zone }).minus({ days: 6 }).toISODate()!;
  const digests: Digest[] = [];
  const byTitle = (t: OpenTask) => t.title;
  const due = (t: OpenTask) => t.due_on;

  for (const person of input.staff) {
    const mine = input.tasks.filter((t) => t.assignee === person.id);
    if (mine.length > 0 && (person.digest === 'daily' || isMonday(date))) {
      const since = person.digest === 'daily' ? date : weekStart;
      const mail = render(
        `Dina kontrolluppgifter ${date}`,
        `Du har ${mine.length} öppna kontrolluppgifter i årshjulet.`,
        [
          { heading: 'Nya uppgifter', lines: group(mine.filter((t) => t.create_on >= since && t.create_on <= date), byTitle, due) },
          { heading: 'Sista dag snart', lines: group(mine.filter((t) => t.due_on >= date && t.due_on <= windowEnd), byTitle, due) },
          { heading: 'Försenade', lines: group(mine.filter((t) => t.due_on < date), byTitle, due) },
        ],
        settings,
      );
      if (mail) digests.push({ key: `${input.unitId}:caseworker:${person.id}:${date}`, recipient: person.id, email: person.email, kind: 'caseworker', mail });
    }
  }

  const escalated = input.tasks.filter((t) => t.escalated);
  const names = new Map(input.staff.map((p) => [p.id, p.name]));
  for (const person of input.staff.filter((p) => p.role === 'bitradande-enhetschef')) {
    const mail = render(
      `Eskalerade kontroller ${date}`,
      `${escalated.length} kontrolluppgifter är försenade och har eskalerats.`,
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
        'Så långt har enhetens kontroller kommit i år (klara av alla, och försenade).',
        [{ heading: 'Kontroller', lines: input.completion.map((c) => ({ label: `${c.title}: ${c.done} av ${c.total} klara, ${c.overdue} försenade`, count: c.total })) }],
        settings,
      );
      if (mail) digests.push({ key: `${input.unitId}:summary:${person.id}:${date}`, recipient: person.id, email: person.email, kind: 'summary', mail });
    }
  }
  return digests.sort((a, b) => a.key.localeCompare(b.key));
}

/** Composes the day's digests from the store and records them as pending; returns the keys still to send. */
export async function prepareDigests(db: Db, input: { unitId: string; date: string; inboxUrl: string }): Promise<string[]> {
  const staff = await db.query<Person>('SELECT id, name, role, email, digest FROM staff WHERE unit_id = $1 ORDER BY id', [input.unitId]);
  // A task's title is its rule's, as of the version it was created under.
  const tasks = await db.query<OpenTask>(
    `SELECT t.assignee, v.definition->>'title' AS title, t.due_on, t.create_on,
            EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.task_id AND e.kind = 'escalation-due') AS escalated
     FROM tasks t JOIN rule_versions v ON v.rule_version = t.rule_version
     WHERE t.unit_id = $1 AND t.state IN ('open', 'awaiting-sign-off') AND t.create_on <= $2::date`,
    [input.unitId, input.date],
  );
  const completion = await db.query<{ title: string; done: number; total: number; overdue: number }>(
    `SELECT min(v.definition->>'title') AS title,
            count(*) FILTER (WHERE t.state IN ('completed', 'not-applicable'))::int AS done,
            count(*) FILTER (WHERE t.state <> 'cancelled')::int AS total,
            count(*) FILTER (WHERE t.state IN ('open', 'awaiting-sign-off') AND t.due_on < $2::date)::int AS overdue
     FROM tasks t JOIN rule_versions v ON v.rule_version = t.rule_version
     WHERE t.unit_id = $1 AND t.period LIKE $3 AND t.create_on <= $2::date
     GROUP BY t.rule_id ORDER BY t.rule_id`,
    [input.unitId, input.date, `${input.date.slice(0, 4)}-%`],
  );
  const [row] = await db.query<{ subject_prefix: string | null; footer: string | null }>('SELECT subject_prefix, footer FROM unit_mail_settings WHERE unit_id = $1', [input.unitId]);
  const settings: MailSettings = { subjectPrefix: row?.subject_prefix ?? '[Årshjul]', footer: row?.footer ?? defaultFooter, inboxUrl: input.inboxUrl };
  const digests = composeDigests({ ...input, staff, tasks, completion, settings });
  return db.transaction(async (tx) => {
    for (const d of digests) {
      await tx.query(
        `INSERT INTO digests (key, unit_id, recipient, email, kind, digest_date, subject, text_body, html_body)
         VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9) ON CONFLICT (key) DO NOTHING`,
        [d.key, input.unitId, d.recipient, d.email, d.kind, input.date, d.mail.subject, d.mail.text, d.mail.html],
      );
    }
    const pending = await tx.query<{ key: string }>(`SELECT key FROM digests WHERE unit_id = $1 AND digest_date = $2::date AND state = 'pending' ORDER BY key`, [input.unitId, input.date]);
    return pending.map((r) => r.key);
  });
}

/** A report's digest to the unit head and the deputy heads: its title and a link, nothing more. */
export async function prepareReportDigests(db: Db, input: { unitId: string; reportId: string; title: string; date: string; link: string }): Promise<string[]> {
  const people = await db.query<Person>(`SELECT id, name, role, email, digest FROM staff WHERE unit_id = $1 AND role IN ('enhetschef', 'bitradande-enhetschef') ORDER BY id`, [input.unitId]);
  const [row] = await db.query<{ subject_prefix: string | null; footer: string | null }>('SELECT subject_prefix, footer FROM unit_mail_settings WHERE unit_id = $1', [input.unitId]);
  const mail = render(input.title, `${input.title} är klar.`, [{ heading: 'Rapport', lines: [{ label: input.title, count: 1 }] }], {
    subjectPrefix: row?.subject_prefix ?? '[Årshjul]',
    footer: row?.footer ?? defaultFooter,
    inboxUrl: input.link,
  })!;
  const keys: string[] = [];
  for (const person of people) {
    const key = `${input.unitId}:report:${person.id}:${input.reportId}`;
    await db.query(
      `INSERT INTO digests (key, unit_id, recipient, email, kind, digest_date, subject, text_body, html_body)
       VALUES ($1, $2, $3, $4, 'report', $5::date, $6, $7, $8) ON CONFLICT (key) DO NOTHING`,
      [key, input.unitId, person.id, person.email, input.date, mail.subject, mail.text, mail.html],
    );
    keys.push(key);
  }
  return keys;
}
