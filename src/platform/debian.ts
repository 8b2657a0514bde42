// Debian's packages for the real parts the project runs beside itself (Chromium for the reports'
// PDFs; PostgreSQL and poppler in the tests): installed with apt-get when missing, as root only.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const isRoot = process.getuid?.() === 0;

let updated = false;

/**
 * Installs a package unless `present()` says it is there; returns whether it is there after.
 * Without root (or apt-get) nothing is installed: the caller says what to install.
 */
export function ensureDebianPackage(pkg: string, present: () => boolean): boolean {
  if (present()) return true;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) return false;
  console.error(`Installerar Debians paket ${pkg} (apt-get) ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  updated = true;
  execFileSync('apt-get', ['install', '-y', '-q', pkg], { stdio: 'inherit', env });
  return present();
}
