// The setup step: run by `npm install` (postinstall) and again on first use. A second run only
// checks what is there and finishes in seconds.
import { findChromium } from '../reports/pdf.js';
import { ensureDebianPackage } from './debian.js';
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
  ensureChromium();
}

/** Chromium prints the reports' PDFs; without it they are stored as HTML and CSV only. */
export function ensureChromium(): void {
  try {
    ensureDebianPackage('chromium', () => Boolean(findChromium()));
  } catch (error) {
    console.error(`Varning: Chromium kunde inte installeras (${(error as Error).message.split('\n')[0]}).`);
  }
  if (!findChromium()) console.error('Varning: Chromium saknas, så rapporterna sparas utan PDF. Installera paketet chromium eller sätt ARSHJUL_CHROMIUM.');
}
