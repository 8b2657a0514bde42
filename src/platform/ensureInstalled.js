// Runs before `npm start` and `npm test` so that each works as one command on a fresh clone:
// installs the locked dependencies (and, through postinstall, the tools) when they are missing or stale.
// Plain JavaScript on purpose: it runs before tsx is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const lock = path.join(root, 'package-lock.json');
const installed = path.join(root, 'node_modules', '.package-lock.json');

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.error('Installerar beroenden (npm install) ...');
  // Not `npm ci`: the registry here lacks some platforms' optional packages, which only `npm install` tolerates.
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
