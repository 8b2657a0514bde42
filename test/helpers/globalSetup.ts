import { ensureTemporalCli, ensureTestServer } from '../../src/platform/tools.js';

export default async function globalSetup(): Promise<void> {
  await ensureTemporalCli();
  await ensureTestServer();
}
