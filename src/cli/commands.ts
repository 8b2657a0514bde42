// Every `arshjul` command as one row: its words, what it takes, what it does, its flags and its
// handler. Help and dispatch both come from this table; each handler imports its command's file
// only when it runs, so a short command starts quickly.
import type { ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig } from '../platform/config.js';
import { rulesDir } from '../platform/paths.js';

type Options = NonNullable<ParseArgsConfig['options']>;
/** The flags' values as node:util's parseArgs gives them for these options. */
export type Values<O extends Options> = ReturnType<typeof import('node:util').parseArgs<{ options: O; allowPositionals: true }>>['values'];

/**
 * What a command gives back: text for standard output; or a verdict with its text (not ok: on
 * standard error, exit code 1); or a report that goes to standard output whatever it says, with
 * its exit code.
 */
export type Result = string | { ok: boolean; output: string } | { report: string; exitCode: number } | undefined;

export interface Command<O extends Options = Options> {
  /** The command's words, e.g. 'tasks complete'. */
  name: string;
  /** What follows the words, in the help's terms. */
  usage?: string;
  summary?: string;
  group: Group;
  options: O;
  run(values: Values<O>, args: string[]): Promise<Result>;
}

export type Group = 'Igång' | 'Regler och plan' | 'Genom Temporal (Årshjul ska köra)' | 'Internkontroll (direkt mot databasen)' | 'Rapporter och inställningar';

const command = <const O extends Options>(spec: Command<O>): Command => spec;

const text = { type: 'string' } as const;
const flag = { type: 'boolean', default: false } as const;
const rules = { type: 'string', default: rulesDir } as const;

/** The one positional a command needs, or a message saying what is missing. */
function required(args: string[], what: string): string {
  if (!args[0]) throw new ConfigError(`ange ${what}`);
  return args[0];
}

export const commands: Command[] = [
  command({
    name: 'start', group: 'Igång', options: {}, summary: 'startar Temporal (om TEMPORAL_ADDRESS saknas), workern och webben',
    run: async () => void (await (await import('./start.js')).start(loadConfig())),
  }),
  command({
    name: 'worker', group: 'Igång', options: {}, summary: 'startar bara en worker mot TEMPORAL_ADDRESS',
    run: async () => void (await (await import('./worker.js')).runWorker(loadConfig())),
  }),
  command({
    name: 'web', group: 'Igång', options: {}, summary: 'startar bara webben mot DATABASE_URL och TEMPORAL_ADDRESS (flera kan köras sida vid sida)',
    run: async () => void (await (await import('./web.js')).runWeb(loadConfig())),
  }),
  command({
    name: 'cluster up', group: 'Igång', usage: '[--postgres URL] [--port 7233] [--postgres-port 5433] [--shards 8] [--retention-days 30]',
    summary: 'Temporal-server på PostgreSQL (en given, eller Debians startad under datamappen) och butikens databas; skriver vad som ska sättas',
    options: { postgres: text, port: text, 'postgres-port': text, shards: text, 'retention-days': text },
    run: async (values) => (await import('./cluster.js')).clusterCommand(loadConfig(), 'up', values),
  }),
  command({
    name: 'cluster down', group: 'Igång', usage: '[--postgres URL]', summary: 'stoppar det cluster up startade (datan finns kvar)',
    options: { postgres: text },
    run: async (values) => (await import('./cluster.js')).clusterCommand(loadConfig(), 'down', values),
  }),
  command({
    name: 'doctor', group: 'Igång', options: {}, summary: 'kontrollerar Temporal, namespace, sökattribut, worker, data, e-post och regler',
    run: async () => {
      const { doctor, formatChecks } = await import('./doctor.js');
      const checks = await doctor(loadConfig());
      return { report: formatChecks(checks), exitCode: checks.every((check) => check.ok) ? 0 : 1 };
    },
  }),
  command({
    name: 'setup', group: 'Igång', options: {}, summary: 'bygger eller hittar Temporal CLI och testservern',
    run: async () => void (await (await import('../platform/setup.js')).setup()),
  }),
  command({
    name: 'plan', group: 'Regler och plan', usage: '[--cases FIL | --unit ENHET] --from ÅÅÅÅ-MM [--to ÅÅÅÅ-MM] [--rules MAPP] [--json]',
    summary: 'vilka uppgifter reglerna ger (torrkörning); utan --cases ur databasen',
    options: { cases: text, unit: text, from: text, to: text, rules, json: flag },
    run: async (values) => (await import('./plan.js')).planCommand(loadConfig(), values),
  }),
  command({
    name: 'import cases', group: 'Regler och plan', usage: 'FIL [--full] [--date ÅÅÅÅ-MM-DD] [--unit ENHET] [--by NAMN]',
    summary: 'läser in en ärendefil (JSON version 1, eller CSV till en befintlig enhet)',
    options: { full: flag, date: text, unit: text, by: text },
    run: async (values, args) => (await import('./import.js')).importCommand(loadConfig(), { ...values, file: required(args, 'ärendefilen') }),
  }),
  command({
    name: 'demo', group: 'Regler och plan', usage: '[--households N] [--seed S] [--out FIL]', summary: 'en syntetisk demoenhet i databasen (eller till en fil)',
    options: { households: text, seed: text, out: text },
    run: async (values) => (await import('./demo.js')).demoCommand(loadConfig(), values),
  }),
  command({
    name: 'calendar', group: 'Regler och plan', usage: '--year ÅÅÅÅ [--json]', summary: 'helgdagar och dagar som räknas som helgdag för tidsfrister, måndag–fredag',
    options: { year: text, json: flag },
    run: async (values) => (await import('./calendar.js')).calendarCommand(values),
  }),
  command({
    name: 'rules validate', group: 'Regler och plan', usage: '[MAPP]', summary: 'kontrollerar regelfilerna', options: { rules },
    run: async (values, args) => (await import('./rules.js')).validateCommand(args[0] ?? values.rules),
  }),
  command({
    name: 'rules test', group: 'Regler och plan', usage: '[MAPP]', summary: 'kör reglernas inbyggda exempel', options: { rules },
    run: async (values, args) => (await import('./rules.js')).testCommand(args[0] ?? values.rules),
  }),
  command({
    name: 'rules diff', group: 'Regler och plan', usage: '--base REF|MAPP --cases FIL (--month ÅÅÅÅ-MM | --from ÅÅÅÅ-MM --to ÅÅÅÅ-MM) [--rules MAPP]', summary: 'vilka uppgifter en ändring av regler eller parametrar lägger till, tar bort och flyttar',
    options: { base: text, cases: text, month: text, from: text, to: text, rules },
    run: async (values) => (await import('./rules.js')).diffCommand(values),
  }),
  command({
    name: 'why', group: 'Regler och plan', usage: '--cases FIL --case ID --rule ID --month ÅÅÅÅ-MM [--rules MAPP]', summary: 'varför en regel gav eller inte gav en uppgift',
    options: { cases: text, case: text, rule: text, month: text, rules },
    run: async (values) => (await import('./why.js')).whyCommand(values),
  }),
  command({
    name: 'tasks list', group: 'Genom Temporal (Årshjul ska köra)', usage: '[--unit ENHET] [--assignee ID] [--rule REGEL] [--period ÅÅÅÅ-MM] [--state TILLSTÅND] [--json]',
    options: { unit: text, assignee: text, rule: text, period: text, state: text, json: flag },
    run: async (values) => (await import('./cycle.js')).taskListCommand(loadConfig(), values),
  }),
  command({
    name: 'tasks complete', group: 'Genom Temporal (Årshjul ska köra)', usage: 'UPPGIFT --outcome UTFALL [--note TEXT] --by ID',
    options: { outcome: text, note: text, by: text },
    run: async (values, args) => (await import('./cycle.js')).taskActionCommand(loadConfig(), 'complete', args[0], values),
  }),
  command({
    name: 'tasks na', group: 'Genom Temporal (Årshjul ska köra)', usage: 'UPPGIFT --reason TEXT --by ID', summary: 'inte aktuell',
    options: { reason: text, by: text },
    run: async (values, args) => (await import('./cycle.js')).taskActionCommand(loadConfig(), 'na', args[0], values),
  }),
  command({
    name: 'tasks send-back', group: 'Genom Temporal (Årshjul ska köra)', usage: 'UPPGIFT [--reason TEXT] --by ID', summary: 'skickar tillbaka en uppgift som väntar på attest (en annan person än den som utförde den)',
    options: { reason: text, by: text },
    run: async (values, args) => (await import('./cycle.js')).taskActionCommand(loadConfig(), 'send-back', args[0], values),
  }),
  command({
    name: 'tasks reassign', group: 'Genom Temporal (Årshjul ska köra)', usage: 'UPPGIFT --to ID --by ID',
    options: { to: text, by: text },
    run: async (values, args) => (await import('./cycle.js')).taskActionCommand(loadConfig(), 'reassign', args[0], values),
  }),
  command({
    name: 'tasks reopen', group: 'Genom Temporal (Årshjul ska köra)', usage: 'UPPGIFT [--reason TEXT] --by ID', summary: 'enhetschef, biträdande enhetschef',
    options: { reason: text, by: text },
    run: async (values, args) => (await import('./cycle.js')).taskActionCommand(loadConfig(), 'reopen', args[0], values),
  }),
  command({
    name: 'rounds close', group: 'Genom Temporal (Årshjul ska köra)', usage: '--unit ENHET --rule REGEL --period ÅÅÅÅ-MM --by ID', summary: 'inga fler påminnelser eller eskaleringar',
    options: { unit: text, rule: text, period: text, by: text },
    run: async (values) => (await import('./cycle.js')).closeRoundCommand(loadConfig(), values),
  }),
  command({
    name: 'sweep', group: 'Genom Temporal (Årshjul ska köra)', usage: '--unit ENHET [--date ÅÅÅÅ-MM-DD]', summary: 'ett svep nu (eller för ett datum)',
    options: { unit: text, date: text },
    run: async (values) => (await import('./cycle.js')).sweepCommand(loadConfig(), values),
  }),
  command({
    name: 'backfill', group: 'Genom Temporal (Årshjul ska köra)', usage: '--unit ENHET --from ÅÅÅÅ-MM-DD --to ÅÅÅÅ-MM-DD', summary: 'kör schemats missade svep',
    options: { unit: text, from: text, to: text },
    run: async (values) => (await import('./cycle.js')).backfillCommand(loadConfig(), values),
  }),
  command({
    name: 'digest', group: 'Genom Temporal (Årshjul ska köra)', usage: '--unit ENHET [--date ÅÅÅÅ-MM-DD]', summary: 'dagens e-postutskick nu (eller för ett datum)',
    options: { unit: text, date: text },
    run: async (values) => (await import('./cycle.js')).digestCommand(loadConfig(), values),
  }),
  command({
    name: 'settings digest', group: 'Genom Temporal (Årshjul ska köra)', usage: '--unit ENHET --staff ID --digest daily|weekly', summary: 'varje bankdag, eller på måndagar',
    options: { unit: text, staff: text, digest: text },
    run: async (values) => (await import('./cycle.js')).settingsCommand(loadConfig(), 'digest', values),
  }),
  command({
    name: 'settings mail', group: 'Genom Temporal (Årshjul ska köra)', usage: '--unit ENHET [--from ADRESS] [--subject-prefix TEXT] [--footer TEXT]', summary: 'enhetens avsändare, ämnesrad och sidfot',
    options: { unit: text, from: text, 'subject-prefix': text, footer: text },
    run: async (values) => (await import('./cycle.js')).settingsCommand(loadConfig(), 'mail', values),
  }),
  command({
    name: 'ik approve', group: 'Genom Temporal (Årshjul ska köra)', usage: '--unit ENHET --year ÅÅÅÅ --by ID', summary: 'enhetschefen godkänner årets internkontrollplan',
    options: { unit: text, year: text, by: text },
    run: async (values) => (await import('./ik.js')).ikApproveCommand(loadConfig(), values),
  }),
  command({
    name: 'ik sample', group: 'Internkontroll (direkt mot databasen)', usage: '--unit ENHET --control KONTROLL --period ÅÅÅÅ-MM|ÅÅÅÅ-T1|ÅÅÅÅ [--seed FRÖ] [--dry-run] | --verify ID',
    summary: 'tar ett stickprov (en gång), eller drar om ett sparat och jämför',
    options: { unit: text, control: text, period: text, seed: text, verify: text, 'dry-run': flag },
    run: async (values) => (await import('./ik.js')).ikSampleCommand(loadConfig(), values),
  }),
  command({
    name: 'ik review', group: 'Internkontroll (direkt mot databasen)', usage: 'GRANSKNING --answer ok|befogad|na|"avvikelse: text" (en per fråga; befogad: en post i åtkomstloggen) --by ID',
    options: { answer: { type: 'string', multiple: true }, by: text },
    run: async (values, args) => (await import('./ik.js')).ikReviewCommand(loadConfig(), args[0], values),
  }),
  command({
    name: 'ik corrective close', group: 'Internkontroll (direkt mot databasen)', usage: 'RÄTTELSE --by ID [--note TEXT]',
    options: { by: text, note: text },
    run: async (values, args) => (await import('./ik.js')).ikCorrectiveCloseCommand(loadConfig(), args[0], values),
  }),
  command({
    name: 'ik status', group: 'Internkontroll (direkt mot databasen)', usage: '--unit ENHET --year ÅÅÅÅ [--csv]', summary: 'stickprov, granskningar, avvikelser, rättelser',
    options: { unit: text, year: text, csv: flag },
    run: async (values) => (await import('./ik.js')).ikStatusCommand(loadConfig(), values),
  }),
  command({
    name: 'report', group: 'Rapporter och inställningar', usage: '--unit ENHET --period ÅÅÅÅ-T1|ÅÅÅÅ-T2|ÅÅÅÅ-VB [--version N] [--as-of TIDPUNKT] [--out MAPP]',
    summary: 'gör om en sparad tertial- eller årsrapport ur databasen som den var, jämför siffrorna och skriver HTML, CSV och PDF',
    options: { unit: text, period: text, version: text, 'as-of': text, out: text },
    run: async (values) => (await import('./report.js')).reportCommand(loadConfig(), values),
  }),
  command({
    name: 'log', group: 'Rapporter och inställningar', usage: '--unit ENHET [--case ÄRENDE] [--person ID] [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD] [--json | --csv]',
    summary: 'åtkomstloggen: vem som har sett vilka ärenden, när, var och hur; sökningen loggas också',
    options: { unit: text, case: text, person: text, from: text, to: text, json: flag, csv: flag },
    run: async (values) => (await import('./log.js')).logCommand(loadConfig(), values),
  }),
  command({
    name: 'log verify', group: 'Rapporter och inställningar', usage: '[--unit ENHET]', summary: 'kontrollerar åtkomstloggens hashkedja; namnger första ändrade eller saknade post och avslutar med fel',
    options: { unit: text },
    run: async (values) => (await import('./log.js')).logVerifyCommand(loadConfig(), values),
  }),
  command({
    name: 'log reviewer', group: 'Rapporter och inställningar', usage: '--unit ENHET --staff ID [--off]', summary: 'låter en person som inte är chef granska åtkomstloggen (loggranskare), eller inte längre',
    options: { unit: text, staff: text, off: flag },
    run: async (values) => (await import('./log.js')).logReviewerCommand(loadConfig(), values),
  }),
  command({
    name: 'users password', group: 'Rapporter och inställningar', usage: '--unit ENHET --staff ID [--admin]', summary: 'sätter en persons lösenord till webben (läses från standard in)',
    options: { unit: text, staff: text, admin: flag },
    run: async (values) => (await import('./users.js')).usersPasswordCommand(loadConfig(), values),
  }),
  command({
    name: 'users admin', group: 'Rapporter och inställningar', usage: '--unit ENHET --staff ID [--off]', summary: 'gör en person till admin (regelvyn), eller med --off inte längre; gäller genast, även i öppna inloggningar',
    options: { unit: text, staff: text, off: flag },
    run: async (values) => (await import('./users.js')).usersAdminCommand(loadConfig(), values),
  }),
  command({
    name: 'users disable', group: 'Rapporter och inställningar', usage: '--unit ENHET --staff ID', summary: 'stänger av en persons inloggning (lösenord och enkel inloggning) och avslutar hens sessioner',
    options: { unit: text, staff: text },
    run: async (values) => (await import('./users.js')).usersDisableCommand(loadConfig(), values, true),
  }),
  command({
    name: 'users enable', group: 'Rapporter och inställningar', usage: '--unit ENHET --staff ID', summary: 'låter en avstängd person logga in igen',
    options: { unit: text, staff: text },
    run: async (values) => (await import('./users.js')).usersDisableCommand(loadConfig(), values, false),
  }),
];

const groups: Group[] = ['Igång', 'Regler och plan', 'Genom Temporal (Årshjul ska köra)', 'Internkontroll (direkt mot databasen)', 'Rapporter och inställningar'];

/** The help text, from the table. */
export function usage(): string {
  const lines = ['Användning: arshjul <kommando> [flaggor]'];
  for (const group of groups) {
    lines.push('', `  ${group}:`);
    for (const c of commands.filter((x) => x.group === group)) {
      lines.push(`  ${[c.name, c.usage].filter(Boolean).join(' ')}`);
      if (c.summary) lines.push(`      ${c.summary}`);
    }
  }
  lines.push('', '  help                       den här texten');
  return `${lines.join('\n')}\n`;
}

/** The command named by the leading words of argv (the longest name that matches), and the rest. */
export function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const firstFlag = argv.findIndex((a) => a.startsWith('-'));
  const words = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
  let best: Command | undefined;
  for (const c of commands) {
    const name = c.name.split(' ');
    if (name.every((word, i) => words[i] === word) && (!best || name.length > best.name.split(' ').length)) best = c;
  }
  return best && { command: best, rest: argv.slice(best.name.split(' ').length) };
}
