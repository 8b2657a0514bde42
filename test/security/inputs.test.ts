// Security findings 6 and 10 of the review, replayed: an open redirect after sign-in, a sender with a
// line break in it, and CSV cells a spreadsheet would run as formulas.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaseFileBytes } from '../../src/cases/readCaseFile.js';
import { applySettings } from '../../src/notifications/settings.js';
import { csv } from '../../src/reports/format.js';
import { unitMailSettings } from '../../src/store/digests.js';
import { TaskActionError } from '../../src/tasks/lifecycle.js';
import { safeNext } from '../../src/web/signIn.js';
import { cli, run } from '../helpers/arshjul.js';
import { unit, webFixture, type WebFixture } from '../helpers/web.js';

describe('inputs an attacker controls', () => {
  let web: WebFixture;
  beforeAll(async () => {
    web = await webFixture('security-inputs', ['ss-01']);
  }, 120_000);
  afterAll(async () => {
    await web?.close();
  });

  it('after sign-in, goes only to a path of its own (finding 6)', async () => {
    const offSite = ['//evil.example/', '/\\evil.example/', '/\t/evil.example/', '/\n/evil.example', 'https://evil.example/', 'javascript:alert(1)', '/ok\\..\\x'];
    for (const nasta of offSite) {
      expect(safeNext(nasta), JSON.stringify(nasta)).toBe('/');
      const response = await web.signIn('ss-01', { nasta });
      expect([response.statusCode, response.headers.location], JSON.stringify(nasta)).toEqual([302, '/']);
    }
    expect(safeNext('/uppgifter/x?klart=1')).toBe('/uppgifter/x?klart=1');
    expect((await web.signIn('ss-01', { nasta: '/kalender' })).headers.location).toBe('/kalender');
  });

  it('refuses a sender or subject with a line break, and keeps the last good settings (finding 10)', async () => {
    await applySettings(web.db, { kind: 'mail', unitId: unit.unit.id, sender: 'Årshjul <arshjul@kommun.example.se>' });
    for (const sender of ['arshjul@kommun.example.se\r\nBcc: spy@evil.example', 'a@kommun.example.se, b@evil.example', 'inte en adress']) {
      await expect(applySettings(web.db, { kind: 'mail', unitId: unit.unit.id, sender }), JSON.stringify(sender)).rejects.toThrow(TaskActionError);
    }
    await expect(applySettings(web.db, { kind: 'mail', unitId: unit.unit.id, subjectPrefix: '[Årshjul]\r\nBcc: spy@evil.example' })).rejects.toThrow(/ämnesraden/);
    expect(await unitMailSettings(web.db, unit.unit.id)).toMatchObject({ sender: 'Årshjul <arshjul@kommun.example.se>', subjectPrefix: null });
  });

  it('writes CSV cells that would start a formula as text, and figures as figures (finding 10)', () => {
    expect(csv([['=HYPERLINK("https://evil.example","x")', '+46 8 123', '-2+3', '@SUM(A1)', '\tx', '-3,5', '-1', '12,5 %', 'Kontroll']])).toBe(
      `"'=HYPERLINK(""https://evil.example"",""x"")";'+46 8 123;'-2+3;'@SUM(A1);'\tx;-3,5;-1;12,5 %;Kontroll\n`,
    );
  });
});

describe('a case file (finding 10: an import size limit)', () => {
  it('refuses a file larger than any export, and a missing one, with a clear message and no stack', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'arshjul-big-'));
    const big = path.join(dir, 'stor.json');
    await writeFile(big, Buffer.alloc(2 * 1024 * 1024, 32));
    await expect(readCaseFileBytes(big, 1024 * 1024)).rejects.toThrow(/stor\.json:1 filen: filen är 2 MB; störst tillåtet är 1 MB: exportera en enhet i taget/);
    const missing = run(process.execPath, [cli, 'plan', '--cases', path.join(dir, 'finns-inte.json'), '--from', '2027-01']);
    await expect(missing).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^Fel: 1 fel i ärendefilen[^]*finns-inte\.json:1 filen: filen finns inte: kontrollera sökvägen\n$/) as unknown });
  });
});
