// `arshjul rules validate`: every kind of mistake an admin makes is named with file, path and line.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot, rulesDir } from '../../src/platform/paths.js';
import { formatError, loadRulePack, type SourceFile } from '../../src/rules/load.js';
import { readRuleFiles } from '../../src/rules/files.js';
import { ruleFile, testRule } from '../helpers/rules.js';

const run = promisify(execFile);

/** The reference pack plus one file, validated together: the messages for that file. */
async function errorsWith(file: SourceFile): Promise<string[]> {
  const files = [...(await readRuleFiles(rulesDir)), file];
  return loadRulePack(files).errors.map(formatError);
}

function lineOf(file: SourceFile, needle: string): number {
  return file.text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('rules validate', () => {
  it('passes the reference pack', async () => {
    const { stdout } = await run('npx', ['arshjul', 'rules', 'validate'], { cwd: projectRoot });
    expect(stdout).toMatch(/^\d+ regler, \d+ nyckeltal, \d+ parametrar och 2 internkontrollplaner i .* är giltiga/);
  });

  it('rejects invalid JSON at its line', async () => {
    const file = { path: 'rules/test/broken.json', text: '{\n  "id": "broken",\n  "title": "Trasig"\n  "scope": "case"\n}\n' };
    expect(await errorsWith(file)).toEqual([`rules/test/broken.json:4 $: ogiltig JSON (CommaExpected): rätta syntaxen`]);
  });

  it('refuses a rule, parameter, calendar, indicator or plan without its reference, naming the file', async () => {
    const reference = 'fältet "reference" saknas: ange varifrån filen kommer';
    const files = await readRuleFiles(rulesDir);
    for (const folder of ['handlaggning', 'ledning', 'parameters', 'calendar', 'indicators', 'internkontroll']) {
      const file = files.find((f) => f.path.includes(`${path.sep}${folder}${path.sep}`))!;
      const { reference: _dropped, ...data } = JSON.parse(file.text) as Record<string, unknown>;
      const without = files.map((f) => (f === file ? { ...f, text: `${JSON.stringify(data, null, 2)}\n` } : f));
      const messages = loadRulePack(without).errors.map(formatError);
      expect(messages, file.path).toEqual([expect.stringMatching(new RegExp(`^${file.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1 \\$: ${reference}`))]);
    }
    // "Årshjulets val" needs its reason.
    const bare = ruleFile(testRule({ id: 'bare-choice', reference: ['Årshjulets val'] }));
    expect(await errorsWith(bare)).toEqual([`rules/test/bare-choice.json:${lineOf(bare, 'Årshjulets val')} $.reference[0]: Årshjulets val behöver sitt skäl: skriv "Årshjulets val: " och en mening om varför`]);
  });

  it('checks every parameter a condition names, and the parameters the facts read', async () => {
    const value = { fact: 'parameter' as const, params: { id: 'benefit-ceiling-childrn' } };
    const typo = ruleFile(testRule({ id: 'typo', conditions: { all: [{ fact: 'children', operator: 'greaterThanInclusive', value }] } }));
    expect(await errorsWith(typo)).toEqual([expect.stringMatching(/^rules\/test\/typo\.json:\d+ \$\.conditions: parametern "benefit-ceiling-childrn" finns inte: lägg till rules\/parameters\/benefit-ceiling-childrn\.json/)]);
    const withoutChildAge = (await readRuleFiles(rulesDir)).filter((f) => !f.path.endsWith('child-age.json'));
    expect(loadRulePack(withoutChildAge).errors.map(formatError)).toEqual([expect.stringContaining('parametern "child-age" saknas: fakta om ärendena läser den')]);
    const riktalder = (await readRuleFiles(rulesDir)).find((f) => f.path.endsWith('riktalder.json'))!;
    const unordered = { ...riktalder, text: riktalder.text.replace('"2026-01-01"', '"2022-01-01"') };
    expect(loadRulePack([...(await readRuleFiles(rulesDir)).filter((f) => f !== riktalder && !f.path.endsWith('riktalder.json')), unordered]).errors.map(formatError))
      .toEqual([expect.stringMatching(/riktalder\.json:\d+ \$\.values\[1\]\.from: 2022-01-01 kommer inte efter 2023-01-01/)]);
  });

  it('rejects a missing required field', async () => {
    const { dueOn: _dueOn, ...rule } = testRule({ id: 'no-due' });
    const file = ruleFile(rule);
    expect(await errorsWith(file)).toEqual([`rules/test/no-due.json:1 $: fältet "dueOn" saknas: lägg till det`]);
  });

  it('answers a misspelt field once, with the field it likely meant, and not with what every other shape misses', async () => {
    const { when, ...rest } = testRule({ id: 'misspelt', when: { months: [3] } });
    const misspelt = { ...rest, when: { month: (when as { months: number[] }).months }, titel: 'Stavfel' };
    const file = ruleFile(misspelt);
    // The field too many at the top is not hidden by the error deeper in "when".
    expect((await errorsWith(file)).sort()).toEqual([
      `rules/test/misspelt.json:${lineOf(file, '"month"')} $.when.month: okänt fält "month": menade du "months"?`,
      `rules/test/misspelt.json:${lineOf(file, '"titel"')} $.titel: okänt fält "titel": ta bort det eller rätta stavningen`,
    ].sort());
    // Without a title, "titel" is the likely title; beside one, a field too many; a name like no field is only unknown.
    const { title: _title, ...untitled } = testRule({ id: 'untitled' });
    const titel = { ...untitled, titel: 'Stavfel', zzz: 1 };
    const other = ruleFile(titel);
    expect(await errorsWith(other)).toEqual([
      `rules/test/untitled.json:${lineOf(other, '"titel"')} $.titel: okänt fält "titel": menade du "title"?`,
      `rules/test/untitled.json:${lineOf(other, '"zzz"')} $.zzz: okänt fält "zzz": ta bort det eller rätta stavningen`,
    ]);
    const extra = { ...testRule({ id: 'titled' }), titel: 'Stavfel' };
    const titled = ruleFile(extra);
    expect(await errorsWith(titled)).toEqual([`rules/test/titled.json:${lineOf(titled, '"titel"')} $.titel: okänt fält "titel": ta bort det eller rätta stavningen`]);
  });

  it('rejects an unknown operator, naming the allowed ones', async () => {
    const file = ruleFile(testRule({ id: 'bad-operator', conditions: { all: [{ fact: 'fSkatt', operator: 'equals' as 'equal', value: true }] } }));
    const [error, ...rest] = await errorsWith(file);
    expect(rest).toEqual([]);
    expect(error).toMatch(new RegExp(`^rules/test/bad-operator.json:${lineOf(file, '"operator"')} \\$\\.conditions\\.all\\[0\\]\\.operator: okänt värde "equals": tillåtna är equal, notEqual,`));
  });

  it('rejects an unknown fact', async () => {
    const file = ruleFile(testRule({ id: 'bad-fact', conditions: { all: [{ fact: 'age' as 'adults', operator: 'greaterThan', value: 17 }] } }));
    const [error, ...rest] = await errorsWith(file);
    expect(rest).toEqual([]);
    expect(error).toMatch(new RegExp(`^rules/test/bad-fact.json:${lineOf(file, '"fact"')} \\$\\.conditions\\.all\\[0\\]\\.fact: okänt värde "age": tillåtna är incomes,`));
  });

  it('rejects a duplicate id with overlapping validity, and allows a successor from a date', async () => {
    const file = ruleFile(testRule({ id: 'bank-overview', when: { months: [2] } }));
    expect(await errorsWith(file)).toEqual([
      `rules/test/bank-overview.json:${lineOf(file, '"id": "bank-overview"')} $.id: id "bank-overview" finns redan i ${path.relative(process.cwd(), path.join(rulesDir, 'handlaggning', 'bank-overview.json'))} med överlappande giltighet: byt id eller sätt validFrom/validTo så att de inte överlappar`,
    ]);
    const files = (await readRuleFiles(rulesDir)).map((f) =>
      f.path.endsWith('/bank-overview.json') ? { ...f, text: f.text.replace('"scope"', '"validTo": "2026-12-31",\n  "scope"') } : f,
    );
    const successor = ruleFile(testRule({ id: 'bank-overview', validFrom: '2027-01-01' }), 'bank-overview@2027-01-01');
    expect(loadRulePack([...files, successor]).errors).toEqual([]);
  });

  it('rejects a rule whose task could be due before it is created, naming the month (issue 16)', async () => {
    // Board cases 15 business days before the meeting, created on the month's first business day:
    // June 2026's meeting on the 18th would make it due on 28 May, before 1 June (the first year of
    // the calendar files that fails is named).
    const file = ruleFile(testRule({ id: 'early-board', scope: 'unit', when: { months: 'every' }, dueOn: { event: 'board-meeting', businessDaysBefore: 15 } }));
    expect(await errorsWith(file)).toEqual([
      `rules/test/early-board.json:${lineOf(file, '"dueOn"')} $.dueOn: uppgiften för 2026-06 skulle förfalla 2026-05-28, före den skapas 2026-06-01: räkna createOn bakåt från förfallodagen ({ "businessDaysBeforeDue": N }) eller flytta dueOn`,
    ]);
    // Counted back from the due day, it holds.
    expect(await errorsWith(ruleFile(testRule({ id: 'early-board', scope: 'unit', when: { months: 'every' }, createOn: { businessDaysBeforeDue: 10 }, dueOn: { event: 'board-meeting', businessDaysBefore: 15 } })))).toEqual([]);
    // A day of the anchor's can fall before the month's first business day: it must count back too.
    const anchored = ruleFile(testRule({ id: 'anchored', when: { anchor: 'monthsSinceWorkPlan', every: 3 }, dueOn: { anchorDay: true } }));
    expect(await errorsWith(anchored)).toEqual([
      `rules/test/anchored.json:1 $.createOn: uppgiften kan förfalla innan den skapas: sätt "createOn": { "businessDaysBeforeDue": N }`,
    ]);
  });

  it('rejects a follow-up to a missing rule', async () => {
    const file = ruleFile(
      testRule({
        id: 'with-follow-up',
        completion: { outcomes: [{ id: 'ok', label: 'OK' }, { id: 'more', label: 'Mer' }] },
        followUps: [{ outcome: 'more', rule: 'no-such-rule' }],
      }),
    );
    expect(await errorsWith(file)).toEqual([
      `rules/test/with-follow-up.json:${lineOf(file, '"rule": "no-such-rule"')} $.followUps[0].rule: uppföljningen pekar på regeln "no-such-rule", som inte finns`,
    ]);
  });

  it('rejects an operator given the wrong kind of value and a file named after another id', async () => {
    const file = ruleFile(testRule({ id: 'wrong-value', conditions: { all: [{ fact: 'adults', operator: 'in', value: 2 }] } }), 'other-name');
    expect(await errorsWith(file)).toEqual([
      `rules/test/other-name.json:${lineOf(file, '"id": "wrong-value"')} $.id: id "wrong-value" stämmer inte med filnamnet: döp filen till wrong-value.json (eller wrong-value@FRÅN-DATUM.json för en ny version)`,
      `rules/test/other-name.json:${lineOf(file, '"value"')} $.conditions.all[0].value: operatorn in kräver en lista som värde`,
    ]);
  });

  it('exits non-zero from the command line and lists every error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-rules-'));
    await cp(rulesDir, dir, { recursive: true });
    await writeFile(path.join(dir, 'handlaggning', 'broken.json'), '{ "id": ');
    const { dueOn: _dueOn, ...noDue } = testRule({ id: 'no-due' });
    await writeFile(path.join(dir, 'handlaggning', 'no-due.json'), JSON.stringify(noDue));
    const failure = await run('npx', ['arshjul', 'rules', 'validate', dir], { cwd: projectRoot }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failure && failure.code).toBe(1);
    expect((failure as { stderr: string }).stderr).toMatch(/broken\.json:1 \$: ogiltig JSON/);
    expect((failure as { stderr: string }).stderr).toMatch(/no-due\.json:1 \$: fältet "dueOn" saknas/);
    expect((failure as { stderr: string }).stderr).toMatch(/2 fel i /);
  });
});
