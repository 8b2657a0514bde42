// `arshjul doctor`: each part Årshjul needs, checked, with OK or FAIL and a hint.
import { access, constants, mkdir } from 'node:fs/promises';
import { Client, type Connection } from '@temporalio/client';
import type { Config } from '../platform/config.js';
import { outboxDir, smtpTransport } from '../platform/mail.js';
import { missingSearchAttributes } from '../platform/searchAttributes.js';
import { rulesDir } from '../platform/paths.js';
import { storeCounts } from '../store/cases.js';
import { StoreBusyError } from '../store/db.js';
import { openStore, storeDir } from '../store/open.js';
import { dataConverterFor } from '../platform/payloadCodec.js';
import { exposedFiles } from '../platform/privateFiles.js';
import { connectClient } from '../platform/temporalConnection.js';
import { workflowIds } from '../platform/workflowIds.js';
import { readRuleFiles } from '../rules/files.js';
import { formatError, loadRulePack } from '../rules/load.js';
import type { workerCheck } from '../../workflows/index.js';
import { findChromium } from '../reports/pdf.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

export async function doctor(config: Config): Promise<Check[]> {
  const checks: Check[] = [];
  const address = config.temporalAddress ?? `127.0.0.1:${config.devServerPort}`;
  const startHint = config.temporalAddress
    ? `Kontrollera TEMPORAL_ADDRESS=${config.temporalAddress} och att klustret svarar.${config.tls?.clientCert ? '' : ' Ett kluster med ömsesidig TLS (cluster up) släpper bara in den som har TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY och TEMPORAL_TLS_CA satta.'}`
    : 'Starta Årshjul med npm start (den startar Temporals dev server).';

  let connection: Connection | undefined;
  try {
    connection = await connectClient(config, address, '3s');
    const info = await connection.workflowService.getSystemInfo({});
    checks.push({ name: 'Temporal nåbar', ok: true, detail: `${address} (server ${info.serverVersion})` });
  } catch (error) {
    checks.push({ name: 'Temporal nåbar', ok: false, detail: `${address}: ${(error as Error).message}`, hint: startHint });
  }

  if (connection) {
    try {
      await connection.workflowService.describeNamespace({ namespace: config.namespace });
      checks.push({ name: 'Namespace', ok: true, detail: config.namespace });
      const missing = await missingSearchAttributes(connection, config.namespace);
      checks.push(
        missing.length === 0
          ? { name: 'Sökattribut', ok: true, detail: 'ArshjulUnit, ArshjulRule, ArshjulPeriod' }
          : { name: 'Sökattribut', ok: false, detail: `saknas: ${missing.join(', ')}`, hint: 'npm start registrerar dem.' },
      );
      checks.push(await workerAnswers(connection, config));
    } catch (error) {
      checks.push({
        name: 'Namespace',
        ok: false,
        detail: `${config.namespace}: ${(error as Error).message}`,
        hint: 'Skapa namespacet (temporal operator namespace create) eller sätt TEMPORAL_NAMESPACE.',
      });
    }
    await connection.close();
  }

  try {
    await mkdir(config.dataDir, { recursive: true });
    await access(config.dataDir, constants.W_OK);
    const exposed = await exposedFiles(config.dataDir);
    checks.push(
      exposed.length === 0
        ? { name: 'Datamapp', ok: true, detail: `${config.dataDir} (bara ägaren kommer åt den)` }
        : { name: 'Datamapp', ok: false, detail: `${exposed.length} filer eller mappar i ${config.dataDir} kan läsas av andra`, hint: `Kör chmod -R go-rwx ${config.dataDir}; Årshjul håller den så från nästa start.` },
    );
  } catch (error) {
    checks.push({ name: 'Datamapp', ok: false, detail: (error as Error).message, hint: 'Sätt ARSHJUL_DATA_DIR till en skrivbar mapp.' });
  }
  checks.push(await database(config));
  checks.push(await mailSettings(config));
  checks.push(await rulePack());
  const chromium = findChromium();
  checks.push(
    chromium
      ? { name: 'Chromium (rapporternas PDF)', ok: true, detail: chromium }
      : { name: 'Chromium (rapporternas PDF)', ok: false, detail: 'saknas: rapporterna sparas utan PDF', hint: 'apt-get install chromium (npx arshjul setup gör det som root), eller sätt ARSHJUL_CHROMIUM.' },
  );
  return checks;
}

async function database(config: Config): Promise<Check> {
  const where = config.databaseUrl ? `PostgreSQL (DATABASE_URL)` : `inbäddad i ${storeDir(config)}`;
  try {
    // The embedded store is one process's: held by a running Årshjul, it answers there.
    const db = await openStore(config);
    try {
      const row = await storeCounts(db);
      return { name: 'Databas', ok: true, detail: `${where}: ${row.units} enheter, ${row.cases} ärenden` };
    } finally {
      await db.close();
    }
  } catch (error) {
    if (error instanceof StoreBusyError) return { name: 'Databas', ok: true, detail: `${where}: öppen i Årshjul (pid ${error.pid})` };
    return {
      name: 'Databas',
      ok: false,
      detail: `${where}: ${(error as Error).message}`,
      hint: config.databaseUrl ? 'Kontrollera DATABASE_URL och att PostgreSQL svarar.' : 'Kontrollera att ARSHJUL_DATA_DIR är skrivbar.',
    };
  }
}

async function rulePack(): Promise<Check> {
  const { pack, errors } = loadRulePack(await readRuleFiles(rulesDir));
  if (errors.length === 0) return { name: 'Regelpaket', ok: true, detail: `${pack.rules.length} regler, version ${pack.hash}` };
  return {
    name: 'Regelpaket',
    ok: false,
    detail: `${errors.length} fel, först: ${formatError(errors[0]!)}`,
    hint: 'Kör npx arshjul rules validate för hela listan.',
  };
}

async function mailSettings(config: Config): Promise<Check> {
  const transport = smtpTransport(config);
  if (!transport || !config.smtp) {
    return { name: 'E-post', ok: true, detail: `ingen SMTP angiven: e-post skrivs som .eml till ${outboxDir(config)}` };
  }
  const server = `${config.smtp.host}:${config.smtp.port} (${config.smtp.security})`;
  try {
    await transport.verify();
    return { name: 'E-post', ok: true, detail: `SMTP ${server} svarar` };
  } catch (error) {
    return {
      name: 'E-post',
      ok: false,
      detail: `SMTP ${server}: ${(error as Error).message}`,
      hint: 'Kontrollera ARSHJUL_SMTP_HOST, ARSHJUL_SMTP_PORT, ARSHJUL_SMTP_SECURITY, ARSHJUL_SMTP_USER och ARSHJUL_SMTP_PASSWORD.',
    };
  } finally {
    transport.close();
  }
}

async function workerAnswers(connection: Connection, config: Config): Promise<Check> {
  const client = new Client({ connection, namespace: config.namespace, dataConverter: await dataConverterFor(config) });
  try {
    const info = await client.workflow.execute<typeof workerCheck>('workerCheck', {
      taskQueue: config.taskQueue,
      workflowId: workflowIds.workerCheck(),
      workflowExecutionTimeout: '15s',
    });
    return { name: 'Worker', ok: true, detail: `svarar på kön ${config.taskQueue} (${info.host}, pid ${info.pid}, Node ${info.node})` };
  } catch (error) {
    return {
      name: 'Worker',
      ok: false,
      detail: `ingen worker svarade på kön ${config.taskQueue} inom 15 s: ${(error as Error).message}`,
      hint: 'Starta Årshjul med npm start, eller en worker med npx arshjul worker.',
    };
  }
}

export function formatChecks(checks: Check[]): string {
  return checks
    .map((check) => `${check.ok ? 'OK  ' : 'FAIL'} ${check.name}: ${check.detail}${check.hint && !check.ok ? `\n     → ${check.hint}` : ''}`)
    .join('\n');
}
