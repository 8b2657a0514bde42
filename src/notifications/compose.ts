// The digests' words and layout: Swedish, plain text and HTML that Outlook renders (tables,
// inline styles). Only what the recipient needs: the control's title, counts, due dates, a link.
// Never a name of a client, a personnummer, a case id or case details (26 kap. 1 § OSL).
import { escapeHtml } from '../reports/format.js';

export interface MailSettings {
  subjectPrefix: string;
  footer: string;
  /** Where the recipient acts: the web app's inbox. */
  inboxUrl: string;
}

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

export interface Line {
  label: string;
  count: number;
  /** Said instead of the count, where a line is more than a number of things to do. */
  detail?: string;
  /** The earliest due date among them, when it says something. */
  dueOn?: string;
}

export interface Section {
  heading: string;
  lines: Line[];
}

export const defaultFooter = 'Det här är ett automatiskt utskick från Årshjul. Svara inte på mejlet; arbetet görs i Årshjul.';

function lineText(line: Line): string {
  return `${line.label}: ${line.detail ?? `${line.count} st`}${line.dueOn ? `, sista dag ${line.dueOn}` : ''}`;
}

/** A digest from its sections and where it leads (the inbox unless said); null when no section has anything to say (then no mail is sent). */
export function render(title: string, intro: string, sections: Section[], settings: MailSettings, link = settings.inboxUrl): Mail | null {
  const filled = sections.filter((s) => s.lines.length > 0);
  if (filled.length === 0) return null;
  const subject = `${settings.subjectPrefix ? `${settings.subjectPrefix} ` : ''}${title}`;
  const text = [
    intro,
    '',
    ...filled.flatMap((s) => [s.heading, ...s.lines.map((l) => `  - ${lineText(l)}`), '']),
    `Öppna Årshjul: ${link}`,
    '',
    '--',
    settings.footer,
    '',
  ].join('\n');
  const cell = 'padding:4px 12px 4px 0;font-family:Arial,sans-serif;font-size:14px;';
  const html = `<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,sans-serif;font-size:14px;color:#1a1a1a;">
<p style="margin:0 0 12px 0;">${escapeHtml(intro)}</p>
${filled
  .map(
    (s) => `<h2 style="font-size:16px;margin:16px 0 6px 0;">${escapeHtml(s.heading)}</h2>
<table role="presentation" cellpadding="0" cellspacing="0" border="0">
${s.lines
  .map((l) => `<tr><td style="${cell}">${escapeHtml(l.label)}</td><td style="${cell}text-align:right;">${escapeHtml(l.detail ?? `${l.count} st`)}</td><td style="${cell}">${l.dueOn ? `sista dag ${escapeHtml(l.dueOn)}` : ''}</td></tr>`)
  .join('\n')}
</table>`,
  )
  .join('\n')}
<p style="margin:20px 0;"><a href="${escapeHtml(link)}" style="background:#005ea5;color:#ffffff;padding:8px 14px;text-decoration:none;">Öppna Årshjul</a></p>
<p style="margin:0;color:#555555;font-size:12px;">${escapeHtml(settings.footer)}</p>
</body></html>
`;
  return { subject, text, html };
}

/** Lines per label (a control's title, a caseworker): how many, and the earliest due date. */
export function group<T>(items: T[], label: (item: T) => string, dueOn?: (item: T) => string): Line[] {
  const lines = new Map<string, Line>();
  for (const item of items) {
    const key = label(item);
    const line = lines.get(key) ?? { label: key, count: 0 };
    line.count++;
    const due = dueOn?.(item);
    if (due && (!line.dueOn || due < line.dueOn)) line.dueOn = due;
    lines.set(key, line);
  }
  return [...lines.values()].sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? '') || a.label.localeCompare(b.label, 'sv'));
}
