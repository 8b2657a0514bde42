// Who gets which digest, and what it says: the pure composition, day by day.
import { describe, expect, it } from 'vitest';
import { defaultFooter } from '../../src/notifications/compose.js';
import { composeDigests } from '../../src/notifications/prepare.js';

const settings = { subjectPrefix: '[Årshjul]', footer: defaultFooter, inboxUrl: 'https://arshjul.kommun.example.se/inkorg' };
const staff = [
  { id: 'ss-1', name: 'Socialsekreterare Ett', role: 'socialsekreterare', email: 'ss-1@example.se', digest: 'daily' as const },
  { id: 'ss-2', name: 'Socialsekreterare Två', role: 'socialsekreterare', email: 'ss-2@example.se', digest: 'weekly' as const },
  { id: 'bec-1', name: 'Biträdande enhetschef Ett', role: 'bitradande-enhetschef', email: 'bec-1@example.se', digest: 'daily' as const },
  { id: 'ec-1', name: 'Enhetschef Ett', role: 'enhetschef', email: 'ec-1@example.se', digest: 'daily' as const },
];
const task = (assignee: string, title: string, create_on: string, due_on: string, escalated = false, reminded = false) => ({ assignee, title, create_on, due_on, escalated, reminded });

describe('composeDigests', () => {
  const tasks = [
    task('ss-1', 'Kontroll av Infotorg (september)', '2027-09-01', '2027-10-29'),
    task('ss-1', 'Kontroll av Infotorg (september)', '2027-09-01', '2027-10-29'),
    task('ss-1', 'Passkontroll', '2027-09-01', '2027-09-30'),
    task('ss-1', 'Nytt intyg om kosttillskott', '2026-11-02', '2026-11-30', true),
    task('ss-2', 'Passkontroll', '2027-09-01', '2027-09-30'),
  ];

  it('groups a caseworker\'s new, soon-due and overdue tasks by control, with counts and due dates', () => {
    const [digest] = composeDigests({ unitId: 'u', date: '2027-09-01', staff, tasks, completion: [], settings });
    expect(digest!.key).toBe('u:caseworker:ss-1:2027-09-01');
    expect(digest!.mail.subject).toBe('[Årshjul] Dina kontrolluppgifter 2027-09-01');
    expect(digest!.mail.text).toBe(
      [
        'Du har 4 öppna kontrolluppgifter i årshjulet.',
        '',
        'Nya uppgifter',
        '  - Passkontroll: 1 st, sista dag 2027-09-30',
        '  - Kontroll av Infotorg (september): 2 st, sista dag 2027-10-29',
        '',
        'Försenade',
        '  - Nytt intyg om kosttillskott: 1 st, sista dag 2026-11-30',
        '',
        'Öppna Årshjul: https://arshjul.kommun.example.se/inkorg',
        '',
        '--',
        defaultFooter,
        '',
      ].join('\n'),
    );
    expect(digest!.mail.html).toContain('<td style="padding:4px 12px 4px 0;font-family:Arial,sans-serif;font-size:14px;">Passkontroll</td>');
  });

  it('lists as due soon the tasks whose round has reached its reminder day, however near the due date', () => {
    const soon = [
      task('ss-1', 'Passkontroll', '2027-09-01', '2027-09-30', false, true),
      // Due in two business days, but its rule reminds one day before: not yet.
      task('ss-1', 'Bankkontoöversikt', '2027-09-01', '2027-09-30', false, false),
    ];
    const [digest] = composeDigests({ unitId: 'u', date: '2027-09-28', staff, tasks: soon, completion: [], settings });
    expect(digest!.mail.text).toContain('Sista dag snart\n  - Passkontroll: 1 st, sista dag 2027-09-30\n\n');
    expect(digest!.mail.text).not.toContain('Bankkontoöversikt: 1 st, sista dag 2027-09-30\n\nFörsenade');
    expect(digest!.mail.text.split('Sista dag snart')[1]).not.toContain('Bankkontoöversikt');
  });

  it('sends a weekly reader one digest on Monday, covering the week, and nothing on other days', () => {
    const wednesday = composeDigests({ unitId: 'u', date: '2027-09-01', staff, tasks, completion: [], settings });
    expect(wednesday.map((d) => d.recipient)).toEqual(['ss-1', 'bec-1']);
    const monday = composeDigests({ unitId: 'u', date: '2027-09-06', staff, tasks, completion: [], settings });
    const weekly = monday.find((d) => d.recipient === 'ss-2')!;
    expect(weekly.mail.text).toContain('Nya uppgifter\n  - Passkontroll: 1 st, sista dag 2027-09-30');
  });

  it('tells the deputy heads about escalated tasks per caseworker and per control', () => {
    const escalation = composeDigests({ unitId: 'u', date: '2027-09-01', staff, tasks, completion: [], settings }).find((d) => d.kind === 'escalation')!;
    expect(escalation.recipient).toBe('bec-1');
    expect(escalation.mail.text).toContain('Per handläggare\n  - Socialsekreterare Ett: 1 st, sista dag 2026-11-30');
    expect(escalation.mail.text).toContain('Per kontroll\n  - Nytt intyg om kosttillskott: 1 st, sista dag 2026-11-30');
  });

  it('gives the unit head a summary of completion on Mondays only', () => {
    const completion = [{ title: 'Passkontroll', done: 3, total: 5, overdue: 1 }];
    expect(composeDigests({ unitId: 'u', date: '2027-09-01', staff, tasks, completion, settings }).some((d) => d.kind === 'summary')).toBe(false);
    const summary = composeDigests({ unitId: 'u', date: '2027-09-06', staff, tasks, completion, settings, overviewUrl: 'https://arshjul.kommun.example.se/oversikt' }).find((d) => d.kind === 'summary')!;
    expect(summary.recipient).toBe('ec-1');
    // Each total once, and the link leads to the overview, where the unit head reads on.
    expect(summary.mail.text).toContain('Kontroller\n  - Passkontroll: 3 av 5 klara, 1 försenad\n');
    expect(summary.mail.text).toContain('Öppna Årshjul: https://arshjul.kommun.example.se/oversikt');
    expect(summary.mail.html).toContain('href="https://arshjul.kommun.example.se/oversikt"');
    expect(summary.mail.html).not.toContain('5 st');
  });

  it('adds internal control\'s reviews and corrective actions to their person\'s digest, one without tasks included', () => {
    const internalControl = [
      { person: 'bec-1', kind: 'review' as const, due_on: '2027-08-31' },
      { person: 'bec-1', kind: 'review' as const, due_on: '2027-09-15' },
      { person: 'ss-1', kind: 'corrective' as const, due_on: '2027-09-20' },
    ];
    const sent = composeDigests({ unitId: 'u', date: '2027-09-01', staff, tasks, completion: [], settings, internalControl });
    const deputy = sent.find((d) => d.key === 'u:caseworker:bec-1:2027-09-01')!;
    expect(deputy.mail.text).toContain('Du har 2 granskningar i internkontrollen.\n');
    expect(deputy.mail.text).toContain('Granskningar i internkontrollen\n  - Försenade granskningar av stickprov: 1 st, sista dag 2027-08-31\n  - Granskningar av stickprov: 1 st, sista dag 2027-09-15\n');
    const caseworker = sent.find((d) => d.key === 'u:caseworker:ss-1:2027-09-01')!;
    expect(caseworker.mail.text).toContain('Du har 4 öppna kontrolluppgifter i årshjulet och 1 rättelse efter internkontrollen.\n');
    expect(caseworker.mail.text).toContain('Rättelser efter internkontrollen\n  - Rättelser: 1 st, sista dag 2027-09-20\n');
  });

  it('sends nothing to whom there is nothing to say', () => {
    expect(composeDigests({ unitId: 'u', date: '2027-09-01', staff, tasks: [], completion: [], settings })).toEqual([]);
  });

  it('calls new only what was made since the last digest, or since the business day before when there was none', () => {
    const year = [
      task('ss-1', 'Årsbesked', '2027-01-04', '2027-01-29'),
      task('ss-1', 'Registerkontroll (september)', '2027-09-01', '2027-10-29'),
      task('ss-1', 'Passkontroll', '2027-09-02', '2027-09-30'),
      // Made a day late (a sweep that failed on its creation day): new the day it was made.
      { ...task('ss-1', 'Bankkontoöversikt', '2027-09-01', '2027-09-30'), created_at: '2027-09-02T04:00:00.000Z' },
    ];
    const newOf = (digests: ReturnType<typeof composeDigests>) => digests.find((d) => d.recipient === 'ss-1')!.mail.text.split('Nya uppgifter\n')[1]?.split('\n\n')[0] ?? '';
    // The first digest after a start (no digest before it): January's task is not new in September, nor is yesterday's.
    const first = composeDigests({ unitId: 'u', date: '2027-09-02', staff, tasks: year, completion: [], settings, lastDigest: {} });
    expect(newOf(first)).toBe('  - Bankkontoöversikt: 1 st, sista dag 2027-09-30\n  - Passkontroll: 1 st, sista dag 2027-09-30');
    expect(first.find((d) => d.recipient === 'ss-1')!.mail.text).toContain('Du har 4 öppna kontrolluppgifter i årshjulet.');
    // After a digest on 1 September: what was made on the 2nd.
    expect(newOf(composeDigests({ unitId: 'u', date: '2027-09-02', staff, tasks: year, completion: [], settings, lastDigest: { 'ss-1': '2027-09-01' } })))
      .toBe('  - Bankkontoöversikt: 1 st, sista dag 2027-09-30\n  - Passkontroll: 1 st, sista dag 2027-09-30');
    // After a digest in August (nothing to say in between): everything made since.
    expect(newOf(composeDigests({ unitId: 'u', date: '2027-09-02', staff, tasks: year, completion: [], settings, lastDigest: { 'ss-1': '2027-08-20' } })))
      .toBe('  - Bankkontoöversikt: 1 st, sista dag 2027-09-30\n  - Passkontroll: 1 st, sista dag 2027-09-30\n  - Registerkontroll (september): 1 st, sista dag 2027-10-29');
    // On a Monday after a weekend, the first digest counts what Friday's sweep made after the digest as old, the weekend's as new.
    const monday = [task('ss-1', 'Passkontroll', '2027-09-03', '2027-09-30'), { ...task('ss-1', 'Bankkontoöversikt', '2027-09-03', '2027-09-30'), created_at: '2027-09-04T10:00:00.000Z' }];
    expect(newOf(composeDigests({ unitId: 'u', date: '2027-09-06', staff, tasks: monday, completion: [], settings, lastDigest: {} }))).toBe('  - Bankkontoöversikt: 1 st, sista dag 2027-09-30');
    // A follow-up made in the afternoon of a digest's day (07:00 Stockholm, 05:00 UTC in September) is new the next
    // morning, not lost; one made before that morning's digest was in it, so it is not new again.
    const afternoon = [{ ...task('ss-1', 'Uppföljning av arbetsplanen', '2027-09-02', '2027-09-30'), created_at: '2027-09-02T12:30:00.000Z' }];
    const morning = [{ ...task('ss-1', 'Uppföljning av arbetsplanen', '2027-09-02', '2027-09-30'), created_at: '2027-09-02T04:59:00.000Z' }];
    const next = (tasks: typeof afternoon) => composeDigests({ unitId: 'u', date: '2027-09-03', staff, tasks, completion: [], settings, lastDigest: { 'ss-1': '2027-09-02' } });
    expect(newOf(next(afternoon))).toBe('  - Uppföljning av arbetsplanen: 1 st, sista dag 2027-09-30');
    // Nothing new, nothing near its day: no mail at all.
    expect(next(morning).filter((d) => d.recipient === 'ss-1')).toEqual([]);
  });

  describe('escalations', () => {
    const unit = [
      ...staff,
      { id: 'bh-1', name: 'Bidragshandläggare Ett', role: 'bidragshandlaggare', email: 'bh-1@example.se', digest: 'daily' as const },
      { id: 'bec-2', name: 'Biträdande enhetschef Två', role: 'bitradande-enhetschef', email: 'bec-2@example.se', digest: 'daily' as const },
    ];
    const late = (assignee: string | null, title: string, unitTask = false) => ({ ...task(assignee as string, title, '2027-08-02', '2027-08-31', true), unit_task: unitTask });
    const escalated = [
      late('ss-1', 'Passkontroll'),
      late('ss-1', 'Passkontroll'),
      late('bh-1', 'Slutgiltig skattsedel'),
      late('ss-2', 'Studieplan'),
      // A head's own task, the management cycle's unit task and a task not yet escalated: in no deputy's mail.
      late('ec-1', 'Ärendegenomgång'),
      late('bec-1', 'Introduktion av sommarvikarier'),
      late('ss-2', 'Budgetuppföljning', true),
      task('ss-2', 'Passkontroll', '2027-08-02', '2027-08-31'),
    ];
    const mails = (reportingLines?: Record<string, string>) =>
      Object.fromEntries(composeDigests({ unitId: 'u', date: '2027-09-08', staff: unit, tasks: escalated, completion: [], settings, reportingLines })
        .filter((d) => d.kind === 'escalation').map((d) => [d.recipient, d.mail.text]));

    it('go to every deputy head, with the caseworkers\' case tasks only, when nobody reports to one of them', () => {
      const sent = mails();
      expect(Object.keys(sent)).toEqual(['bec-1', 'bec-2']);
      for (const text of Object.values(sent)) {
        expect(text).toContain('4 kontrolluppgifter hos enhetens handläggare är försenade och har eskalerats.');
        expect(text).toContain('Per handläggare\n  - Bidragshandläggare Ett: 1 st, sista dag 2027-08-31\n  - Socialsekreterare Ett: 2 st, sista dag 2027-08-31\n  - Socialsekreterare Två: 1 st, sista dag 2027-08-31\n');
        for (const other of ['Ärendegenomgång', 'Introduktion av sommarvikarier', 'Budgetuppföljning', 'Enhetschef Ett']) expect(text).not.toContain(other);
      }
    });

    it('go to each caseworker\'s own deputy head where the case file says whom they report to, the others to both', () => {
      const sent = mails({ 'ss-1': 'bec-1', 'bh-1': 'bec-2' });
      expect(sent['bec-1']).toContain('3 kontrolluppgifter hos dina handläggare är försenade och har eskalerats.');
      expect(sent['bec-1']).toContain('Per handläggare\n  - Socialsekreterare Ett: 2 st, sista dag 2027-08-31\n  - Socialsekreterare Två: 1 st, sista dag 2027-08-31\n\n');
      expect(sent['bec-2']).toContain('2 kontrolluppgifter hos dina handläggare är försenade och har eskalerats.');
      expect(sent['bec-2']).toContain('Per handläggare\n  - Bidragshandläggare Ett: 1 st, sista dag 2027-08-31\n  - Socialsekreterare Två: 1 st, sista dag 2027-08-31\n\n');
      // One escalated task of one caseworker: singular, and nothing to the deputy with none.
      const one = composeDigests({ unitId: 'u', date: '2027-09-08', staff: unit, tasks: [late('bh-1', 'Slutgiltig skattsedel')], completion: [], settings, reportingLines: { 'ss-1': 'bec-1', 'ss-2': 'bec-1', 'bh-1': 'bec-2' } })
        .filter((d) => d.kind === 'escalation');
      expect(one.map((d) => d.recipient)).toEqual(['bec-2']);
      expect(one[0]!.mail.text).toContain('1 kontrolluppgift hos dina handläggare är försenad och har eskalerats.');
    });
  });
});

