// The rule pack versions a sweep used, and each rule as it was: a task is judged by its own version.
import { RulePackError } from '../rules/files.js';
import { formatError, loadRulePack, packHash, type RulePack, type SourceFile } from '../rules/load.js';
import type { Rule } from '../rules/rule.js';
import type { Db, Queryable } from './db.js';

/** Records a pack version and its rules; recording the same version again changes nothing. */
export async function recordPack(tx: Queryable, pack: RulePack): Promise<void> {
  await tx.query('INSERT INTO rule_pack_versions (hash, rule_count, files) VALUES ($1, $2, $3::jsonb) ON CONFLICT (hash) DO NOTHING', [
    pack.hash,
    pack.rules.length,
    JSON.stringify(pack.files),
  ]);
  await tx.query(
    `INSERT INTO rule_versions (rule_version, rule_id, definition, first_pack)
     SELECT t.v, t.id, t.def::jsonb, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(v, id, def)
     ON CONFLICT (rule_version) DO NOTHING`,
    [pack.rules.map((r) => r.version), pack.rules.map((r) => r.rule.id), pack.rules.map((r) => JSON.stringify(r.rule)), pack.hash],
  );
}

// A recorded pack never changes: each is loaded from its files once per process.
const loaded = new Map<string, RulePack>();

/** A recorded pack, loaded again from its own files. */
export async function recordedPack(db: Queryable, hash: string): Promise<RulePack> {
  const known = loaded.get(hash);
  if (known) return known;
  const [row] = await db.query<{ files: SourceFile[] }>('SELECT files FROM rule_pack_versions WHERE hash = $1', [hash]);
  if (!row) throw new Error(`regelpaketet ${hash} finns inte i databasen`);
  const { pack, errors } = loadRulePack(row.files);
  if (errors.length > 0 || pack.hash !== hash) throw new Error(`regelpaketet ${hash} kan inte läsas in igen`);
  loaded.set(hash, pack);
  return pack;
}

/** The pack most recently recorded (the last good one), if any. */
export async function latestRecordedPack(db: Queryable): Promise<RulePack | undefined> {
  const [row] = await db.query<{ hash: string }>('SELECT hash FROM rule_pack_versions ORDER BY loaded_at DESC LIMIT 1');
  return row ? recordedPack(db, row.hash) : undefined;
}

export async function ruleVersion(db: Queryable, version: string): Promise<Rule> {
  const [row] = await db.query<{ definition: Rule }>('SELECT definition FROM rule_versions WHERE rule_version = $1', [version]);
  if (!row) throw new Error(`regelversionen ${version} finns inte i databasen`);
  return row.definition;
}

/** The pack last recorded at or before a moment (the one a report of then was made with), else the latest. */
export async function packAt(db: Queryable, at: string): Promise<RulePack> {
  const [row] = await db.query<{ hash: string }>(
    `SELECT hash FROM rule_pack_versions ORDER BY (loaded_at <= $1::timestamptz) DESC, CASE WHEN loaded_at <= $1::timestamptz THEN loaded_at END DESC NULLS LAST, loaded_at DESC LIMIT 1`,
    [at],
  );
  if (!row) throw new Error('inget regelpaket är registrerat än: kör ett svep (arshjul sweep) eller starta Årshjul');
  return recordedPack(db, row.hash);
}

/**
 * The pack to work with: the files' pack, recorded, when it is valid; else the last recorded good
 * one, with what is broken (file:line messages), so a bad edit stops nothing. The first pack must be valid.
 */
export function usablePack(db: Db, files: SourceFile[]): Promise<{ pack: RulePack; broken?: string[] }> {
  // Every unit's sweep and report asks at the same minute: one parse of the same files serves them
  // all, and a good pack is parsed and recorded once per process. A broken one is looked at again.
  let known = parsed.get(db);
  if (!known) parsed.set(db, (known = new Map<string, Promise<Usable>>()));
  const hash = packHash(files);
  let result = known.get(hash);
  if (!result) {
    known.set(hash, (result = parseAndRecord(db, files)));
    result.then((r) => r.broken && known.delete(hash), () => known.delete(hash));
  }
  return result;
}

type Usable = { pack: RulePack; broken?: string[] };
const parsed = new WeakMap<Db, Map<string, Promise<Usable>>>();

async function parseAndRecord(db: Db, files: SourceFile[]): Promise<{ pack: RulePack; broken?: string[] }> {
  const { pack, errors } = loadRulePack(files);
  if (errors.length === 0) {
    await db.transaction((tx) => recordPack(tx, pack));
    return { pack };
  }
  const last = await latestRecordedPack(db);
  if (!last) throw new RulePackError(errors.map(formatError));
  return { pack: last, broken: errors.map(formatError) };
}

/** The latest recorded pack other than this one (the one an admin's edit is compared with). */
export async function previousPack(db: Queryable, hash: string): Promise<RulePack | undefined> {
  const [row] = await db.query<{ hash: string }>('SELECT hash FROM rule_pack_versions WHERE hash <> $1 ORDER BY loaded_at DESC LIMIT 1', [hash]);
  return row ? recordedPack(db, row.hash) : undefined;
}
