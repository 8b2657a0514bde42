// `arshjul report`: a tertial report or the annual report made again from the store as it was when
// a stored version was made (task events carry their times), compared with that version; the
// årshjul's figures held to an independent recount from the task events; written out as HTML, CSV
// and PDF.
import { csvFile } from '../reports/format.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, type Config } from '../platform/config.js';
import { recountFromEvents } from '../reports/eventRecount.js';
import type { ReportFigures } from '../reports/figures.js';
import { parseReportPeriod } from '../reports/period.js';
import { compareWithRecount, describeDifference, type RecountedControl } from '../reports/recount.js';
import { renderReport, storedReports } from '../reports/tertialReport.js';
import { withStore } from '../store/open.js';

export async function reportCommand(
  config: Config,
  values: { unit?: string; period?: string; version?: string; out?: string; 'as-of'?: string },
): Promise<{ ok: boolean; output: string }> {
  if (!values.unit || !values.period) throw new ConfigError('ange --unit ENHET --period ÅÅÅÅ-T1|ÅÅÅÅ-T2|ÅÅÅÅ-VB');
  const period = parseReportPeriod(values.period);
  const unitId = values.unit;
  return withStore(config, async (db) => {
    const versions = await storedReports(db, unitId, period.id);
    const stored = values.version ? versions.find((v) => v.version === Number(values.version)) : versions.at(-1);
    if (values.version && !stored) throw new ConfigError(`${period.id} för ${unitId} har ingen version ${values.version} (sparade: ${versions.map((v) => v.version).join(', ') || 'inga'})`);
    const asOf = values['as-of'] ? new Date(values['as-of']).toISOString() : (stored?.asOf ?? new Date().toISOString());
    const version = stored?.version ?? 0;
    const made = await renderReport(db, { unitId, period, asOf, version, analysis: stored?.analysis ?? undefined });

    const out = values.out ?? `rapport-${unitId}-${period.id}${version ? `-v${version}` : ''}`;
    await mkdir(out, { recursive: true });
    const written = [path.join(out, 'rapport.html'), path.join(out, 'rapport.csv')];
    await writeFile(written[0]!, made.html);
    await writeFile(written[1]!, csvFile(made.csv));
    if (made.pdf) {
      written.push(path.join(out, 'rapport.pdf'));
      await writeFile(written[2]!, made.pdf);
    }
    const lines = [`${period.title} för ${unitId}${stored ? `, version ${version}` : ' (ingen sparad version)'}, underlag per ${asOf}.`];
    let ok = true;
    if (stored && !values['as-of']) {
      if (made.csv === stored.csv) lines.push('Samma siffror som den sparade versionen.');
      else {
        ok = false;
        const before = new Set(stored.csv.split('\n'));
        const after = new Set(made.csv.split('\n'));
        lines.push('ANDRA siffror än den sparade versionen:', ...[...before].filter((l) => !after.has(l)).map((l) => `  sparad:  ${l}`), ...[...after].filter((l) => !before.has(l)).map((l) => `  omräknad: ${l}`));
      }
    }
    // The årshjul's figures against the events replayed to the same moment: the stored version's
    // (unless another moment was asked for) and the one made now.
    const recounted = await recountFromEvents(db, { unitId, period, asOf });
    const checked: [string, ReportFigures][] = stored && !values['as-of'] ? [['den sparade versionen', stored.figures]] : [];
    if (made.csv !== stored?.csv || checked.length === 0) checked.push(['den omgjorda rapporten', made.figures]);
    for (const [which, figures] of checked) {
      const check = checkAgainstEvents(which, figures, recounted);
      ok &&= check.ok;
      lines.push(...check.lines);
    }
    if (made.pdfError) lines.push(made.pdfError);
    lines.push(`Skrev ${written.join(', ')}.`);
    return { ok, output: lines.join('\n') };
  });
}

/** One report's årshjul against the recount, in words: agrees, or each figure that differs. */
function checkAgainstEvents(which: string, figures: ReportFigures, recounted: RecountedControl[]): { ok: boolean; lines: string[] } {
  const differences = compareWithRecount(figures.completion, recounted);
  if (differences.length === 0) {
    const tasks = recounted.reduce((sum, c) => sum + c.total, 0);
    const done = recounted.reduce((sum, c) => sum + c.done, 0);
    return { ok: true, lines: [`Årshjulets siffror i ${which} stämmer med en omräkning ur uppgifternas händelser (${done} klara av ${tasks} ${tasks === 1 ? 'uppgift' : 'uppgifter'}).`] };
  }
  const shown = differences.slice(0, 20).map((d) => `  ${describeDifference(d)}`);
  const more = differences.length > shown.length ? [`  … och ${differences.length - shown.length} siffror till`] : [];
  return { ok: false, lines: [`ANDRA siffror för årshjulet i ${which} än en omräkning ur uppgifternas händelser:`, ...shown, ...more] };
}
