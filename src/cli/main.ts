// Dispatches `arshjul <command>`; each command lives in a file of its own.
import { parseArgs } from 'node:util';
import { CaseFileError } from '../cases/readCaseFile.js';
import { ConfigError, loadConfig } from '../platform/config.js';
import { rulesDir } from '../platform/paths.js';
import { setup } from '../platform/setup.js';
import { ToolError } from '../platform/tools.js';
import { ReportPeriodError } from '../reports/period.js';
import { RulePackError } from '../rules/files.js';
import { StoreBusyError } from '../store/db.js';
import { TaskActionError } from '../tasks/lifecycle.js';

const usage = `Användning: arshjul <kommando> [flaggor]

  start                      startar Temporal (om TEMPORAL_ADDRESS saknas) och workern
  worker                     startar bara en worker mot TEMPORAL_ADDRESS
  doctor                     kontrollerar Temporal, namespace, sökattribut, worker, data, e-post och regler
  setup                      bygger eller hittar Temporal CLI och testservern

  plan [--cases FIL | --unit ENHET] --from ÅÅÅÅ-MM [--to ÅÅÅÅ-MM] [--rules MAPP] [--json]
                             vilka uppgifter reglerna ger (torrkörning); utan --cases ur databasen
  import cases FIL [--full] [--date ÅÅÅÅ-MM-DD] [--unit ENHET] [--by NAMN]
                             läser in en ärendefil (JSON version 1, eller CSV till en befintlig enhet)
  demo [--households N] [--seed S] [--out FIL]
                             en syntetisk demoenhet i databasen (eller till en fil)
  calendar --year ÅÅÅÅ [--json]
                             helgdagar och deadlinefria dagar måndag–fredag
  rules validate [MAPP]      kontrollerar regelfilerna
  rules test [MAPP]          kör reglernas inbyggda exempel
  rules diff --base REF|MAPP --cases FIL --month ÅÅÅÅ-MM [--rules MAPP]
                             vilka uppgifter en regeländring lägger till och tar bort
  why --cases FIL --case ID --rule ID --month ÅÅÅÅ-MM [--rules MAPP]
                             varför en regel gav eller inte gav en uppgift

  Genom Temporal (Årshjul ska köra):
  tasks list [--unit ENHET] [--assignee ID] [--rule REGEL] [--period ÅÅÅÅ-MM] [--state TILLSTÅND] [--json]
  tasks complete UPPGIFT --outcome UTFALL [--note TEXT] --by ID
  tasks na UPPGIFT --reason TEXT --by ID          inte aktuell
  tasks reassign UPPGIFT --to ID --by ID
  tasks reopen UPPGIFT [--reason TEXT] --by ID    (enhetschef, biträdande enhetschef)
  rounds close --unit ENHET --rule REGEL --period ÅÅÅÅ-MM --by ID
  sweep --unit ENHET [--date ÅÅÅÅ-MM-DD]          ett svep nu (eller för ett datum)
  digest --unit ENHET [--date ÅÅÅÅ-MM-DD]         dagens e-postutskick nu (eller för ett datum)

  Internkontroll (direkt mot databasen):
  ik sample --unit ENHET --control KONTROLL --period ÅÅÅÅ-MM|ÅÅÅÅ-T1|ÅÅÅÅ [--seed FRÖ] [--dry-run]
  ik sample --verify ID                           drar om ett sparat stickprov och jämför
  ik review GRANSKNING --answer ok|na|"avvikelse: text" (en per fråga) --by ID
  ik corrective close RÄTTELSE --by ID [--note TEXT]
  ik status --unit ENHET --year ÅÅÅÅ [--csv]      stickprov, granskningar, avvikelser, rättelser
  ik approve --unit ENHET --year ÅÅÅÅ --by ID     enhetschefen godkänner årets plan (genom Temporal)
  Rapporter (direkt mot databasen):
  report --unit ENHET --period ÅÅÅÅ-T1|ÅÅÅÅ-T2|ÅÅÅÅ-VB [--version N] [--as-of TIDPUNKT] [--out MAPP]
                             gör om en sparad tertialrapport (eller årsrapport) ur databasen som den var,
                             jämför siffrorna och skriver HTML, CSV och PDF
  users password --unit ENHET --staff ID [--admin]
                             sätter en persons lösenord till webben (läses från standard in)
  settings digest --unit ENHET --staff ID --digest daily|weekly
  settings mail --unit ENHET [--from ADRESS] [--subject-prefix TEXT] [--footer TEXT]
  backfill --unit ENHET --from ÅÅÅÅ-MM-DD --to ÅÅÅÅ-MM-DD
                             kör schemats missade svep
`;

const flags = {
  cases: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  month: { type: 'string' },
  year: { type: 'string' },
  rules: { type: 'string', default: rulesDir },
  base: { type: 'string' },
  case: { type: 'string' },
  rule: { type: 'string' },
  json: { type: 'boolean', default: false },
  unit: { type: 'string' },
  full: { type: 'boolean', default: false },
  date: { type: 'string' },
  by: { type: 'string' },
  households: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  assignee: { type: 'string' },
  period: { type: 'string' },
  state: { type: 'string' },
  outcome: { type: 'string' },
  note: { type: 'string' },
  reason: { type: 'string' },
  staff: { type: 'string' },
  digest: { type: 'string' },
  'subject-prefix': { type: 'string' },
  footer: { type: 'string' },
  control: { type: 'string' },
  verify: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  answer: { type: 'string', multiple: true },
  csv: { type: 'boolean', default: false },
  version: { type: 'string' },
  'as-of': { type: 'string' },
  admin: { type: 'boolean', default: false },
} as const;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, options: flags, allowPositionals: true });
  const [command, sub, dir] = positionals;
  const print = (text: string) => console.log(text);
  switch (command) {
    case 'start': {
      const { start } = await import('./start.js');
      await start(loadConfig());
      return 0;
    }
    case 'worker': {
      const { runWorker } = await import('./worker.js');
      await runWorker(loadConfig());
      return 0;
    }
    case 'doctor': {
      const { doctor, formatChecks } = await import('./doctor.js');
      const checks = await doctor(loadConfig());
      print(formatChecks(checks));
      return checks.every((check) => check.ok) ? 0 : 1;
    }
    case 'setup':
      await setup();
      return 0;
    case 'plan': {
      const { planCommand } = await import('./plan.js');
      print(await planCommand(loadConfig(), values));
      return 0;
    }
    case 'import': {
      if (sub !== 'cases' || !dir) break;
      const { importCommand } = await import('./import.js');
      print(await importCommand(loadConfig(), { ...values, file: dir }));
      return 0;
    }
    case 'tasks': {
      const cycle = await import('./cycle.js');
      print(sub === 'list' ? await cycle.taskListCommand(loadConfig(), values) : await cycle.taskActionCommand(loadConfig(), sub ?? '', dir, values));
      return 0;
    }
    case 'rounds': {
      if (sub !== 'close') break;
      const { closeRoundCommand } = await import('./cycle.js');
      print(await closeRoundCommand(loadConfig(), values));
      return 0;
    }
    case 'sweep': {
      const { sweepCommand } = await import('./cycle.js');
      print(await sweepCommand(loadConfig(), values));
      return 0;
    }
    case 'digest': {
      const { digestCommand } = await import('./cycle.js');
      print(await digestCommand(loadConfig(), values));
      return 0;
    }
    case 'ik': {
      const ik = await import('./ik.js');
      if (sub === 'sample') {
        const outcome = await ik.ikSampleCommand(loadConfig(), values);
        (outcome.ok ? console.log : console.error)(outcome.output);
        return outcome.ok ? 0 : 1;
      }
      if (sub === 'review') print(await ik.ikReviewCommand(loadConfig(), dir, values));
      else if (sub === 'corrective' && dir === 'close') print(await ik.ikCorrectiveCloseCommand(loadConfig(), positionals[3], values));
      else if (sub === 'status') print(await ik.ikStatusCommand(loadConfig(), values));
      else if (sub === 'approve') print(await ik.ikApproveCommand(loadConfig(), values));
      else break;
      return 0;
    }
    case 'report': {
      const { reportCommand } = await import('./report.js');
      const outcome = await reportCommand(loadConfig(), values);
      (outcome.ok ? console.log : console.error)(outcome.output);
      return outcome.ok ? 0 : 1;
    }
    case 'users': {
      if (sub !== 'password') break;
      const { usersPasswordCommand } = await import('./users.js');
      print(await usersPasswordCommand(loadConfig(), values));
      return 0;
    }
    case 'settings': {
      const { settingsCommand } = await import('./cycle.js');
      print(await settingsCommand(loadConfig(), sub, values));
      return 0;
    }
    case 'backfill': {
      const { backfillCommand } = await import('./cycle.js');
      print(await backfillCommand(loadConfig(), values));
      return 0;
    }
    case 'demo': {
      const { demoCommand } = await import('./demo.js');
      print(await demoCommand(loadConfig(), values));
      return 0;
    }
    case 'calendar': {
      const { calendarCommand } = await import('./calendar.js');
      print(calendarCommand(values));
      return 0;
    }
    case 'why': {
      const { whyCommand } = await import('./why.js');
      print(await whyCommand(values));
      return 0;
    }
    case 'rules': {
      const rules = await import('./rules.js');
      if (sub === 'diff') {
        print(await rules.diffCommand(values));
        return 0;
      }
      if (sub !== 'validate' && sub !== 'test') break;
      const outcome = await (sub === 'validate' ? rules.validateCommand : rules.testCommand)(dir ?? values.rules);
      (outcome.ok ? console.log : console.error)(outcome.output);
      return outcome.ok ? 0 : 1;
    }
    case undefined:
      console.error(usage);
      return 2;
    case 'help':
      print(usage);
      return 0;
  }
  console.error(`Okänt kommando: ${positionals.join(' ')}\n\n${usage}`);
  return 2;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const known = [ConfigError, ToolError, CaseFileError, RulePackError, StoreBusyError, TaskActionError, ReportPeriodError].some((kind) => error instanceof kind);
  const message = (error as Error).message;
  if (!known && !(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw error;
  console.error(`Fel: ${message}`);
  process.exitCode = 1;
}
