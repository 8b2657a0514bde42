// How figures are written for people: Swedish decimals, percent with one decimal, escaped HTML and
// CSV cells as Swedish Excel opens them (semicolons).

/** Swedish order, numbers by value: Å before Ä before Ö, and "Socialsekreterare 2" before "Socialsekreterare 10". */
export const swedishOrder = new Intl.Collator('sv', { numeric: true }).compare;

export const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A cell that a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return first)
 * is written as text, with a leading apostrophe, as OWASP advises against CSV injection; figures,
 * negative ones included, stay figures.
 */
function neutralised(value: string): string {
  return /^[=+\-@\t\r]/.test(value) && !/^-?\d+(,\d+)?( %)?$/.test(value) ? `'${value}` : value;
}

const csvCell = (raw: string) => {
  const value = neutralised(raw);
  return /[";\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
};

export function csv(rows: string[][]): string {
  return rows.map((row) => row.map(csvCell).join(';')).join('\n') + '\n';
}

/**
 * A CSV as a file leaves Årshjul (a download, a file written): with a byte order mark, so Swedish
 * Excel opens it as UTF-8 with å, ä and ö intact. Not stored with it: a database driver may drop it.
 */
export const csvFile = (text: string): string => `\uFEFF${text}`;

const decimal = new Intl.NumberFormat('sv-SE', { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
const whole = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0, useGrouping: false });

/** A share (0–1) as percent with one decimal, without the sign: 0.875 → "87,5". */
export const percentNumber = (share: number) => decimal.format(share * 100).replace('\u2212', '-');

export const percent = (share: number) => `${percentNumber(share)} %`;

export const count = (n: number) => whole.format(n);

const months = ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

/** '2027-03' → 'mar'. */
export const monthName = (month: string) => months[Number(month.slice(5, 7)) - 1]!;
