import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureDebianPackage } from '../../src/platform/debian.js';
import { findChromium } from '../../src/reports/pdf.js';
import { ensureTemporalCli, ensureTemporalServer, ensureTemporalUi, ensureTestServer } from '../../src/platform/tools.js';
import { freePort } from './ports.js';
import { startPostgres, type Postgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server for the store tests; empty only where none could start outside CI. */
    postgresUrl: string;
  }
}

export default async function globalSetup(project: TestProject): Promise<() => void> {
  await ensureTemporalCli();
  await ensureTestServer();
  // Temporal's own server, SQL tool and Web UI for the cluster tests (a few minutes' go install, once).
  await ensureTemporalServer();
  await ensureTemporalUi();
  // Chromium prints the reports' PDFs (and drives the web tests); poppler reads the PDFs back.
  for (const [pkg, present] of [['chromium', () => Boolean(findChromium())], ['poppler-utils', () => existsSync('/usr/bin/pdftoppm')]] as const) {
    if (!ensureDebianPackage(pkg, present)) throw new Error(`Debians paket ${pkg} saknas och kan inte installeras här: installera det (apt-get install ${pkg}) och kör testerna igen`);
  }
  let postgres: Postgres | undefined;
  try {
    postgres = startPostgres(await freePort());
  } catch (error) {
    if (process.env.CI) throw error;
    console.error(`\n*** PostgreSQL kunde inte startas: butikstesterna körs BARA mot den inbäddade databasen. ***\n${(error as Error).message}\n`);
  }
  project.provide('postgresUrl', postgres?.url ?? '');
  return () => postgres?.stop();
}
