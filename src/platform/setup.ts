// The setup step: run by `npm install` (postinstall) and again on first use. A second run only
// checks what is there and finishes in seconds.
import { ensureTemporalCli, ensureTestServer, ToolError } from './tools.js';

export async function setup(): Promise<void> {
  if (process.env.TEMPORAL_ADDRESS) {
    console.error('TEMPORAL_ADDRESS är satt: ingen egen Temporal CLI behövs för att köra.');
  } else {
    const temporal = await ensureTemporalCli();
    console.error(`Temporal CLI: ${temporal}`);
  }
  try {
    console.error(`Testserver: ${await ensureTestServer()}`);
  } catch (error) {
    // Only the test suite needs the Java test server; a production install may lack Java.
    if (!(error instanceof ToolError)) throw error;
    console.error(`Varning: ${error.message}`);
  }
}
