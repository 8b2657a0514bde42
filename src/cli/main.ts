// Dispatches `arshjul <command>`; each command lives in a file of its own.
import { ConfigError, loadConfig } from '../platform/config.js';
import { setup } from '../platform/setup.js';
import { ToolError } from '../platform/tools.js';

const usage = `Användning: arshjul <kommando>

  start     startar Temporal (om TEMPORAL_ADDRESS saknas) och workern
  worker    startar bara en worker mot TEMPORAL_ADDRESS
  doctor    kontrollerar Temporal, namespace, sökattribut, worker, data och e-post
  setup     bygger eller hittar Temporal CLI och testservern
`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  switch (command) {
    case 'start': {
      const { start } = await import('./start.js');
      await start(loadConfig());
      return 0;
    }
    case 'worker': {
      const { runWorker } = await import('./worker.js');
      await runWorker(loadConfig());
      return 0;
    }
    case 'doctor': {
      const { doctor, formatChecks } = await import('./doctor.js');
      const checks = await doctor(loadConfig());
      console.log(formatChecks(checks));
      return checks.every((check) => check.ok) ? 0 : 1;
    }
    case 'setup':
      await setup();
      return 0;
    case undefined:
    case 'help':
    case '--help':
      console.log(usage);
      return command ? 0 : 2;
    default:
      console.error(`Okänt kommando: ${command}\n\n${usage}`);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError || error instanceof ToolError) {
    console.error(`Fel: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
