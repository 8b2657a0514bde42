// Dispatches `arshjul <command>` by the table in commands.ts: the command's own flags, parsed
// strictly, then its handler; known errors become one line in Swedish and exit code 1.
import { parseArgs } from 'node:util';
import { CaseFileError } from '../cases/readCaseFile.js';
import { ConfigError } from '../platform/config.js';
import { ownerOnly } from '../platform/privateFiles.js';
import { ToolError } from '../platform/tools.js';
import { ReportPeriodError } from '../reports/period.js';
import { RulePackError } from '../rules/files.js';
import { StoreBusyError } from '../store/db.js';
import { TaskActionError } from '../tasks/lifecycle.js';
import { findCommand, usage } from './commands.js';

async function main(argv: string[]): Promise<number> {
  // Whatever a command writes (the store, the outbox, reports) may hold case data.
  ownerOnly();
  if (argv.length === 0) {
    console.error(usage());
    return 2;
  }
  if (argv[0] === 'help' || argv[0] === '--help') {
    console.log(usage());
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    console.error(`Okänt kommando: ${argv.filter((a) => !a.startsWith('-')).join(' ')}\n\n${usage()}`);
    return 2;
  }
  const { command, rest } = found;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    const option = /option '([^']+)'/i.exec((error as Error).message)?.[1];
    throw new ConfigError(`${option ? `flaggan ${option}` : 'flaggorna'} passar inte till arshjul ${command.name}: ${[command.name, command.usage].filter(Boolean).join(' ')}`);
  }
  const result = await command.run(parsed.values, parsed.positionals);
  if (result === undefined) return 0;
  if (typeof result === 'string') {
    console.log(result);
    return 0;
  }
  if ('report' in result) {
    console.log(result.report);
    return result.exitCode;
  }
  (result.ok ? console.log : console.error)(result.output);
  return result.ok ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const known = [ConfigError, ToolError, CaseFileError, RulePackError, StoreBusyError, TaskActionError, ReportPeriodError].some((kind) => error instanceof kind);
  if (!known) throw error;
  console.error(`Fel: ${(error as Error).message}`);
  process.exitCode = 1;
}
