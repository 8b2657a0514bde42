// `arshjul calendar`: the year's non-working weekdays, in the contract's shape.
import { nonWorkingDays } from '../calendar/businessDays.js';
import { ConfigError } from '../platform/config.js';

export function calendarCommand(options: { year?: string; json: boolean }): string {
  const year = Number(options.year);
  if (!Number.isInteger(year) || year < 1900 || year > 2200) throw new ConfigError(`--year ska vara ett årtal, fick ${JSON.stringify(options.year)}`);
  const days = nonWorkingDays(year);
  if (options.json) return JSON.stringify({ year, nonWorkingDays: days }, null, 2);
  return [`Helgdagar och dagar som räknas som helgdag för tidsfrister, måndag–fredag ${year}:`, ...days.map((d) => `  ${d.date}  ${d.name}`)].join('\n');
}
