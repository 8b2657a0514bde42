// Temporal servers for tests: our own dev server binary and the Java time-skipping server,
// each on a free port, never the developer's running one.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureTemporalCli, testServerWrapper } from '../../src/platform/tools.js';

export async function localEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: await ensureTemporalCli() } },
  });
}

export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerWrapper } },
  });
}
