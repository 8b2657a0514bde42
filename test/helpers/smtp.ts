// A real SMTP server in the test process, on a free port, that keeps every message it accepts
// (parsed by a real MIME parser) and can refuse connections, as a mail server that is down does.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './ports.js';

export interface TestSmtp {
  port: number;
  received: ParsedMail[];
  refused: number;
  refusing: boolean;
  /** The environment that points Årshjul at this server. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const port = await freePort();
  const state: TestSmtp = {
    port,
    received: [],
    refused: 0,
    refusing: false,
    env: { ARSHJUL_SMTP_HOST: '127.0.0.1', ARSHJUL_SMTP_PORT: String(port), ARSHJUL_SMTP_SECURITY: 'none', ARSHJUL_MAIL_FROM: 'arshjul@kommun.example.se' },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      if (!state.refusing) return callback();
      state.refused++;
      const error = new Error('Tjänsten är inte tillgänglig') as Error & { responseCode: number };
      error.responseCode = 421;
      callback(error);
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          state.received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return state;
}

const personnummerShape = /\b(19|20)?\d{6}[-+]?\d{4}\b/;

/** Every personal detail a mail must never carry: personnummer-shaped strings and the unit's case ids. */
export function personalData(text: string, caseIds: string[]): string[] {
  const found = [...(text.match(new RegExp(personnummerShape, 'g')) ?? [])];
  for (const id of caseIds) if (text.includes(id)) found.push(id);
  return found;
}
