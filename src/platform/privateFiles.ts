// The data folder holds case data under secrecy: only its owner may read, write or enter anything
// in it. New files get the owner's bits only (a umask); files made by others' rules (the embedded
// PostgreSQL sets its own modes) are put right when the store opens and closes.
import { chmod, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** From here on, files and folders this process makes are its owner's alone. */
export function ownerOnly(): void {
  process.umask(0o077);
}

/** A folder and everything in it, its owner's alone: folders 0700, files 0600. */
export async function makePrivate(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    await chmod(path.join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600).catch((error: NodeJS.ErrnoException) => {
      // A file the database removed meanwhile needs no mending.
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

/** What in a folder (itself included) its group or others may read, write or enter. */
export async function exposedFiles(dir: string): Promise<string[]> {
  const paths = [dir, ...(await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => !e.isSymbolicLink()).map((e) => path.join(e.parentPath, e.name))];
  const exposed: string[] = [];
  for (const file of paths) {
    const mode = await stat(file).then((s) => s.mode, () => 0);
    if (mode & 0o077) exposed.push(file);
  }
  return exposed;
}
