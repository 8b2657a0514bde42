// docs/domain.md and docs/contracts.md against the pack and the case file's validation, so the
// project's description of its domain cannot drift from what the code does.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memberRoles, staffRoles } from '../../src/cases/validate.js';
import { factNames } from '../../src/rules/facts.js';
import { projectRoot } from '../../src/platform/paths.js';
import { referencePack } from '../helpers/rules.js';

const doc = (name: string) => readFile(path.join(projectRoot, 'docs', name), 'utf8');
const named = (text: string, id: string) => text.includes(`\`${id}\``);

describe('docs/domain.md', () => {
  it('names every rule, parameter and indicator of the reference pack, and every fact', async () => {
    const text = await doc('domain.md');
    const pack = await referencePack();
    const ids = [
      ...pack.rules.map((r) => r.rule.id),
      ...pack.parameters.map((p) => p.parameter.id),
      ...pack.indicators.map((i) => i.indicator.id),
      // Where a fact is only a case-file field under its own name, the field stands for it.
      ...factNames.filter((fact) => !['openedOn', 'closedOn'].includes(fact)),
    ];
    expect(ids.filter((id) => !named(text, id))).toEqual([]);
  });

  it('lists as withdrawn only rules the pack no longer has', async () => {
    const pack = await referencePack();
    const ids = new Set(pack.rules.map((r) => r.rule.id));
    for (const withdrawn of ['fritidspeng', 'homeless-review', 'care-files-check', 'care-files-update']) expect(ids.has(withdrawn), withdrawn).toBe(false);
  });
});

describe('docs/contracts.md', () => {
  it('gives the roles and flags the case file is validated against', async () => {
    const text = await doc('contracts.md');
    for (const id of [...staffRoles, ...memberRoles, 'fSkatt', 'kosttillskott', 'passportCheck', 'homeless']) expect(named(text, id), id).toBe(true);
  });
});
