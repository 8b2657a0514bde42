// Finds or builds the outside tools Årshjul runs: the Temporal CLI (dev server) and the Java
// time-skipping test server. Nothing is downloaded but through Go's and Maven's own registries.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { toolsBinDir, toolsDir } from './paths.js';
import { temporalCli, temporalServer, temporalTestServer, temporalUi } from './versions.js';

const run = promisify(execFile);

export class ToolError extends Error {}

async function output(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(cmd, args, { env, timeout: 30_000 });
    return stdout + stderr;
  } catch {
    return undefined;
  }
}

/** Runs a long build step with its output shown on stderr, so a first setup is not silent. */
function build(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new ToolError(`${cmd} ${args.join(' ')} avslutades med kod ${code}`)),
    );
  });
}

/** The version a `temporal` binary reports; a `go install` build says 0.0.0-DEV, so ask its module info. */
async function temporalVersion(binary: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const reported = await output(binary, ['--version'], env);
  if (!reported) return undefined;
  const match = /temporal version (\S+)/.exec(reported);
  if (match && match[1] !== '0.0.0-DEV') return match[1];
  const info = await output('go', ['version', '-m', binary], env);
  return info ? /\bmod\s+github\.com\/temporalio\/cli\s+v(\S+)/.exec(info)?.[1] : undefined;
}

/** Path of a `temporal` of the pinned version: the project's own, one on PATH, or one built now. */
export async function ensureTemporalCli({
  binDir = toolsBinDir,
  env = process.env,
  log = console.error,
}: { binDir?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<string> {
  const own = path.join(binDir, 'temporal');
  const stamp = path.join(binDir, 'temporal.version');
  if (existsSync(own) && existsSync(stamp) && (await readFile(stamp, 'utf8')).trim() === temporalCli.version) {
    return own;
  }
  if ((await temporalVersion('temporal', env)) === temporalCli.version) {
    return 'temporal';
  }
  if (!(await output('go', ['version'], env))) {
    throw new ToolError(
      `Temporal CLI ${temporalCli.version} saknas och Go finns inte för att bygga den.\n` +
        `Installera Go 1.23 eller senare (Debian: apt-get install golang-go, eller https://go.dev/dl/) och kör npm install igen,\n` +
        `eller lägg temporal ${temporalCli.version} på PATH, eller sätt TEMPORAL_ADDRESS till en befintlig Temporal-server.`,
    );
  }
  log(`Bygger Temporal CLI ${temporalCli.version} med go install (första gången tar det några minuter) ...`);
  await mkdir(binDir, { recursive: true });
  await build('go', ['install', `${temporalCli.module}@v${temporalCli.version}`], { env: { ...env, GOBIN: binDir } });
  await writeFile(stamp, `${temporalCli.version}\n`);
  return own;
}

export interface TemporalServerTools {
  server: string;
  sqlTool: string;
  /** The server module's `schema/postgresql/v12` folder: the versioned schemas the SQL tool applies. */
  postgresSchema: string;
}

/**
 * Temporal's server and `temporal-sql-tool` at the pinned version, with the PostgreSQL schemas of the
 * same module: ours from an earlier build, or built now with `go install` (a few minutes, once).
 */
export async function ensureTemporalServer({ binDir = toolsBinDir, env = process.env, log = console.error }: { binDir?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<TemporalServerTools> {
  const own = { server: path.join(binDir, 'temporal-server'), sqlTool: path.join(binDir, 'temporal-sql-tool'), postgresSchema: path.join(toolsDir, 'temporal-server-schema', 'postgresql', 'v12') };
  const stamp = path.join(binDir, 'temporal-server.version');
  if (existsSync(own.server) && existsSync(own.sqlTool) && existsSync(own.postgresSchema) && existsSync(stamp) && (await readFile(stamp, 'utf8')).trim() === temporalServer.version) {
    return own;
  }
  if (!(await output('go', ['version'], env))) {
    throw new ToolError(
      `Temporal-servern ${temporalServer.version} saknas och Go finns inte för att bygga den.\n` +
        'Installera Go 1.23 eller senare (Debian: apt-get install golang-go) och försök igen, eller använd en befintlig Temporal-kluster med TEMPORAL_ADDRESS.',
    );
  }
  log(`Bygger Temporal-servern ${temporalServer.version} och temporal-sql-tool med go install (första gången tar det några minuter) ...`);
  const gobin = path.join(binDir, '.temporal-server-build');
  await mkdir(gobin, { recursive: true });
  const at = `@v${temporalServer.version}`;
  await build('go', ['install', `${temporalServer.module}/cmd/server${at}`, `${temporalServer.module}/cmd/tools/sql${at}`], { env: { ...env, GOBIN: gobin } });
  await rename(path.join(gobin, 'server'), own.server);
  await rename(path.join(gobin, 'sql'), own.sqlTool);
  await rm(gobin, { recursive: true, force: true });
  // The schemas come with the module go install has just fetched.
  const modDir = JSON.parse((await run('go', ['mod', 'download', '-json', `${temporalServer.module}${at}`], { env })).stdout) as { Dir: string };
  await rm(own.postgresSchema, { recursive: true, force: true });
  await cp(path.join(modDir.Dir, 'schema', 'postgresql', 'v12'), own.postgresSchema, { recursive: true });
  // The module cache is read-only; our copy need not be.
  await run('chmod', ['-R', 'u+w', own.postgresSchema]);
  await writeFile(stamp, `${temporalServer.version}\n`);
  return own;
}

/** Temporal's Web UI server at the pinned version, for the cluster shape: ours from an earlier build, or built now with `go install` (a minute, once). */
export async function ensureTemporalUi({ binDir = toolsBinDir, env = process.env, log = console.error }: { binDir?: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {}): Promise<string> {
  const own = path.join(binDir, 'temporal-ui-server');
  const stamp = path.join(binDir, 'temporal-ui-server.version');
  if (existsSync(own) && existsSync(stamp) && (await readFile(stamp, 'utf8')).trim() === temporalUi.version) return own;
  if (!(await output('go', ['version'], env))) {
    throw new ToolError(`Temporals webbgränssnitt ${temporalUi.version} saknas och Go finns inte för att bygga det.\nInstallera Go 1.24 eller senare (Debian: apt-get install golang-go) och försök igen.`);
  }
  log(`Bygger Temporals webbgränssnitt ${temporalUi.version} med go install (första gången tar det någon minut) ...`);
  const gobin = path.join(binDir, '.temporal-ui-build');
  await mkdir(gobin, { recursive: true });
  await build('go', ['install', `${temporalUi.module}/cmd/server@v${temporalUi.version}`], { env: { ...env, GOBIN: gobin } });
  await rename(path.join(gobin, 'server'), own);
  await rm(gobin, { recursive: true, force: true });
  await writeFile(stamp, `${temporalUi.version}\n`);
  return own;
}

const testServerDir = path.join(toolsDir, 'temporal-test-server');
/** The wrapper @temporalio/testing launches as an `existing-path` executable. */
export const testServerWrapper = path.join(toolsBinDir, 'temporal-test-server');

/** Resolves the Java test server and its dependencies from Maven Central into the tools folder. */
export async function ensureTestServer(log: (line: string) => void = console.error): Promise<string> {
  const libDir = path.join(testServerDir, 'lib');
  const jar = `${temporalTestServer.artifactId}-${temporalTestServer.version}.jar`;
  if (existsSync(testServerWrapper) && existsSync(path.join(libDir, jar))) return testServerWrapper;
  for (const tool of ['java', 'mvn']) {
    if (!(await output(tool, ['-version']))) {
      throw new ToolError(
        `${tool} saknas: Temporals tidshoppande testserver körs på Java och hämtas med Maven.\n` +
          `Installera dem (Debian: apt-get install openjdk-17-jre-headless maven) och kör npm install igen.`,
      );
    }
  }
  log(`Hämtar ${temporalTestServer.artifactId} ${temporalTestServer.version} från Maven Central ...`);
  await mkdir(libDir, { recursive: true });
  const { groupId, artifactId, version } = temporalTestServer;
  await writeFile(
    path.join(testServerDir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>se.arshjul</groupId><artifactId>arshjul-test-server</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>
  </dependencies>
</project>
`,
  );
  await build('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:copy-dependencies', `-DoutputDirectory=${libDir}`], { cwd: testServerDir });
  await mkdir(toolsBinDir, { recursive: true });
  // sdk-core gives the server 5 s to open its port: C1 only, serial GC and class-data sharing keep start-up near 1 s.
  await writeFile(
    testServerWrapper,
    `#!/bin/sh
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp '${libDir}/*' ${temporalTestServer.mainClass} "$@"
`,
  );
  await chmod(testServerWrapper, 0o755);
  return testServerWrapper;
}
