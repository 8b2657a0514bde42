// Swedish personnummer (YYYYMMDD-NNNN): the last digit is a Luhn check over the last ten digits.

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return sum;
}

export function isValidPersonnummer(value: string): boolean {
  const match = /^(\d{8})-?(\d{4})$/.exec(value);
  if (!match) return false;
  return luhnSum(`${match[1]!.slice(2)}${match[2]}`) % 10 === 0;
}

/** A personnummer for a birth date (YYYY-MM-DD) and a three-digit serial, with its check digit. */
export function personnummer(birthDate: string, serial: number): string {
  const base = `${birthDate.replaceAll('-', '').slice(2)}${String(serial % 1000).padStart(3, '0')}`;
  const check = (10 - (luhnSum(`${base}0`) % 10)) % 10;
  return `${birthDate.replaceAll('-', '')}-${base.slice(6)}${check}`;
}
