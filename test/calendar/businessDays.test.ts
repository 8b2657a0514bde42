// The calendar against an independent derivation of the business days in docs/domain.md: Easter by
// the Gregorian computus, the fixed holidays, the moving Saturdays, and the three deadline-free eves.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { addBusinessDays, firstBusinessDay, isBusinessDay, lastBusinessDay, nonWorkingDays, rollToBusinessDay } from '../../src/calendar/businessDays.js';
import { projectRoot } from '../../src/platform/paths.js';

const run = promisify(execFile);

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function easter(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

function plus(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** The Saturday between the given dates (midsommardagen, alla helgons dag). */
function saturdayBetween(year: number, month: number, fromDay: number): Date {
  let date = new Date(Date.UTC(year, month - 1, fromDay));
  while (date.getUTCDay() !== 6) date = plus(date, 1);
  return date;
}

function expectedNonWorkingWeekdays(year: number): string[] {
  const e = easter(year);
  const midsommardagen = saturdayBetween(year, 6, 20);
  const days = [
    new Date(Date.UTC(year, 0, 1)), // nyårsdagen
    new Date(Date.UTC(year, 0, 6)), // trettondedag jul
    plus(e, -2), // långfredagen
    plus(e, 1), // annandag påsk
    new Date(Date.UTC(year, 4, 1)), // första maj
    plus(e, 39), // Kristi himmelsfärdsdag
    new Date(Date.UTC(year, 5, 6)), // nationaldagen
    plus(midsommardagen, -1), // midsommarafton
    new Date(Date.UTC(year, 11, 24)), // julafton
    new Date(Date.UTC(year, 11, 25)), // juldagen
    new Date(Date.UTC(year, 11, 26)), // annandag jul
    new Date(Date.UTC(year, 11, 31)), // nyårsafton
  ];
  // Påskdagen, pingstdagen, midsommardagen and alla helgons dag are always Saturday or Sunday.
  return [...new Set(days.filter((d) => d.getUTCDay() >= 1 && d.getUTCDay() <= 5).map(iso))].sort();
}

describe('Swedish business days', () => {
  for (let year = 2024; year <= 2032; year++) {
    it(`lists the non-working weekdays of ${year}`, () => {
      expect(nonWorkingDays(year).map((d) => d.date)).toEqual(expectedNonWorkingWeekdays(year));
    });
  }

  it('answers `arshjul calendar --year Y --json` in the contract shape', async () => {
    for (const year of [2024, 2032]) {
      const { stdout } = await run('npx', ['arshjul', 'calendar', '--year', String(year), '--json'], { cwd: projectRoot });
      const calendar = JSON.parse(stdout) as { year: number; nonWorkingDays: { date: string; name: string }[] };
      expect(calendar.year).toBe(year);
      expect(calendar.nonWorkingDays.map((d) => d.date)).toEqual(expectedNonWorkingWeekdays(year));
      expect(calendar.nonWorkingDays[0]).toEqual({ date: `${year}-01-01`, name: 'Nyårsdagen' });
    }
  });

  it('knows annandag pingst is no holiday since 2005, and midsommarafton is', () => {
    expect(isBusinessDay('2027-05-17')).toBe(true);
    expect(isBusinessDay('2027-06-25')).toBe(false);
    expect(nonWorkingDays(2027).find((d) => d.date === '2027-06-25')?.name).toBe('Midsommarafton');
  });

  it('finds first and last business days around holidays', () => {
    expect(firstBusinessDay(2027, 1)).toBe('2027-01-04');
    expect(firstBusinessDay(2027, 5)).toBe('2027-05-03');
    expect(lastBusinessDay(2027, 10)).toBe('2027-10-29');
    expect(lastBusinessDay(2027, 12)).toBe('2027-12-30');
    expect(lastBusinessDay(2026, 12)).toBe('2026-12-30');
    expect(lastBusinessDay(2027, 4)).toBe('2027-04-30');
  });

  it('counts business days over Easter and rolls deadlines forward (lag 1930:173)', () => {
    // Thursday before Easter 2027 (25 March): långfredagen and annandag påsk are skipped.
    expect(addBusinessDays('2027-03-25', 1)).toBe('2027-03-30');
    expect(addBusinessDays('2027-03-27', 0)).toBe('2027-03-30');
    expect(addBusinessDays('2027-12-23', 2)).toBe('2027-12-28');
    expect(rollToBusinessDay('2027-05-02', 'next')).toBe('2027-05-03');
    expect(rollToBusinessDay('2027-05-02', 'previous')).toBe('2027-04-30');
  });
});
