// `arshjul users password`: sets a person's web password (read from standard input, never from the
// command line, where it would land in the shell's history), and the admin flag. `users disable`
// and `users enable`: stop a person signing in by any means, or let them again. `users admin`: the
// admin flag given, or taken away with --off.
import { text } from 'node:stream/consumers';
import { ConfigError, type Config } from '../platform/config.js';
import { withStore } from '../store/open.js';
import { AccountError, disableAccount, setAdminFlag, setPassword } from '../web/accounts.js';

export async function usersPasswordCommand(config: Config, values: { unit?: string; staff?: string; admin: boolean }): Promise<string> {
  if (!values.unit || !values.staff) throw new ConfigError('ange --unit ENHET --staff ID och lösenordet på standard in (echo … | arshjul users password …)');
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  return withStore(config, async (db) => {
    try {
      await setPassword(db, { unitId: values.unit!, staffId: values.staff!, password, admin: values.admin });
    } catch (error) {
      if (error instanceof AccountError) throw new ConfigError(error.message);
      throw error;
    }
    return `Lösenordet för ${values.staff} i ${values.unit} är satt${values.admin ? ' (admin)' : ''}.`;
  });
}

export async function usersDisableCommand(config: Config, values: { unit?: string; staff?: string }, disabled: boolean): Promise<string> {
  if (!values.unit || !values.staff) throw new ConfigError(`ange --unit ENHET --staff ID (arshjul users ${disabled ? 'disable' : 'enable'} …)`);
  return withStore(config, async (db) => {
    try {
      await disableAccount(db, { unitId: values.unit!, staffId: values.staff!, disabled });
    } catch (error) {
      if (error instanceof AccountError) throw new ConfigError(error.message);
      throw error;
    }
    return disabled ? `${values.staff} i ${values.unit} kan inte längre logga in; hens sessioner är avslutade.` : `${values.staff} i ${values.unit} kan logga in igen.`;
  });
}

export async function usersAdminCommand(config: Config, values: { unit?: string; staff?: string; off: boolean }): Promise<string> {
  if (!values.unit || !values.staff) throw new ConfigError('ange --unit ENHET --staff ID (arshjul users admin … [--off])');
  return withStore(config, async (db) => {
    try {
      await setAdminFlag(db, { unitId: values.unit!, staffId: values.staff!, admin: !values.off });
    } catch (error) {
      if (error instanceof AccountError) throw new ConfigError(error.message);
      throw error;
    }
    return values.off ? `${values.staff} i ${values.unit} är inte längre admin, från och med nu (även i en inloggning som redan är öppen).` : `${values.staff} i ${values.unit} är admin.`;
  });
}
