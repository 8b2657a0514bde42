// The command table: help and dispatch come from the same rows, and each row's flags are its own.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commands, findCommand, usage } from '../../src/cli/commands.js';
import { cli } from '../helpers/arshjul.js';

const run = promisify(execFile);

describe('the command table', () => {
  it('lists every command in the help, each once', () => {
    const help = usage();
    // The whole line, words and usage: one command's name may begin another's (log, log verify).
    for (const command of commands) expect(help.split('\n').filter((line) => line === `  ${[command.name, command.usage].filter(Boolean).join(' ')}`)).toHaveLength(1);
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
  });

  it('finds the command by its longest matching words and leaves the rest as its arguments', () => {
    expect(findCommand(['ik', 'corrective', 'close', 'R-1', '--by', 'ss-1'])).toMatchObject({ command: { name: 'ik corrective close' }, rest: ['R-1', '--by', 'ss-1'] });
    expect(findCommand(['rules', 'validate', 'rules'])).toMatchObject({ command: { name: 'rules validate' }, rest: ['rules'] });
    expect(findCommand(['tasks'])).toBeUndefined();
    expect(findCommand(['tasks', '--unit', 'x'])).toBeUndefined();
  });

  it('refuses a flag the command does not take, naming it and the command', async () => {
    const refused = run(process.execPath, [cli, 'calendar', '--year', '2027', '--unit', 'x']);
    await expect(refused).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('Fel: flaggan --unit passar inte till arshjul calendar: calendar --year ÅÅÅÅ [--json]') as unknown });
  });
});
