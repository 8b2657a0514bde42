// JSON files checked against a JSON Schema, with every error placed on its line and said in
// Swedish, in words an admin can act on.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import { parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { lineAt, Locator, type Located, type Segment } from './locate.js';

export interface SourceFile {
  path: string;
  text: string;
}

// verbose: errors carry the offending value, which the messages quote.
export const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
function pointerSegments(pointer: string, data: unknown): Segment[] {
  if (!pointer) return [];
  const segments: Segment[] = [];
  let current = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(current) ? Number(key) : key;
    segments.push(segment);
    current = (current as Record<string, unknown> | undefined)?.[segment as string];
  }
  return segments;
}

function schemaMessage(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      if (missing === 'reference') {
        return 'fältet "reference" saknas: ange varifrån filen kommer, t.ex. ["KU 2015"], en lag ("SFS 2025:400"), ett förslag, eller "Årshjulets val: " och varför';
      }
      return `fältet "${missing}" saknas: lägg till det`;
    }
    case 'additionalProperties': {
      const { additionalProperty, intent } = error.params as { additionalProperty: string; intent?: string };
      return intent ? `okänt fält "${additionalProperty}": menade du "${intent}"?` : `okänt fält "${additionalProperty}": ta bort det eller rätta stavningen`;
    }
    case 'enum':
      return `okänt värde ${JSON.stringify(error.data)}: tillåtna är ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'const':
      return `måste vara ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    case 'pattern':
      return `${JSON.stringify(error.data)} har fel form (${error.parentSchema?.description ?? `mönster ${(error.params as { pattern: string }).pattern}`})`;
    case 'type':
      return `ska vara av typen ${(error.params as { type: string }).type}`;
    case 'maximum':
      return `${JSON.stringify(error.data)} är för stort: högst ${(error.params as { limit: number }).limit}`;
    case 'minimum':
      return `${JSON.stringify(error.data)} är för litet: minst ${(error.params as { limit: number }).limit}`;
    case 'exclusiveMinimum':
      return `${JSON.stringify(error.data)} är för litet: mer än ${(error.params as { limit: number }).limit}`;
    case 'minItems':
      return `listan får inte vara tom (minst ${(error.params as { limit: number }).limit})`;
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * ajv reports every branch of a oneOf that failed. Keep what a person can act on: the errors at the
 * deepest paths, and a oneOf's own message only where nothing deeper explains it.
 */
function relevantSchemaErrors(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  // An unknown field at the top of a file (whose shape is no choice) is its own place: an error
  // deeper in another field does not hide it.
  const place = (e: ErrorObject) => (e.keyword === 'additionalProperties' && e.instancePath === '' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath);
  const deepest = specific.filter(
    (e) => !specific.some((other) => other !== e && other.instancePath.startsWith(place(e) + '/')),
  );
  // Within a oneOf over object shapes, the branch that got furthest names the fields it knows;
  // "missing field" errors from the other branches are noise when a deeper error exists.
  const kept = likelyIntents(deepest.length > 0 ? deepest : errors);
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath} ${schemaMessage(e)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * An unknown field that is a known one misspelt ("month" for "months") is said once, with the field
 * it likely meant; the fields that object then "misses", in every shape a oneOf allows, are left
 * out: they follow from the misspelling.
 */
function likelyIntents(errors: ErrorObject[]): ErrorObject[] {
  const at = (path: string, keyword: string) => errors.filter((e) => e.instancePath === path && e.keyword === keyword);
  // Paths where a misspelling was found, and the likely intent of each misspelt error.
  const guessed = new Set<string>();
  const intents = new Map<ErrorObject, string>();
  for (const error of errors.filter((e) => e.keyword === 'additionalProperties')) {
    const unknown = (error.params as { additionalProperty: string }).additionalProperty;
    const known = new Set([
      ...at(error.instancePath, 'additionalProperties').flatMap((e) => Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {})),
      ...at(error.instancePath, 'required').map((e) => (e.params as { missingProperty: string }).missingProperty),
    ]);
    // Not a field the object already has: "measur" beside "measure" is a field too many.
    for (const present of Object.keys((error.data as object | undefined) ?? {})) known.delete(present);
    if (known.size === 0) continue;
    const intent = closest(unknown.toLowerCase(), [...known]);
    // A slip of a key or two (a transposition is two); fewer for short names, which are all alike.
    if (distance(unknown.toLowerCase(), intent.toLowerCase()) > (intent.length <= 3 ? 1 : intent.length <= 8 ? 2 : 3)) continue;
    intents.set(error, intent);
    guessed.add(error.instancePath);
  }
  const keyOf = (e: ErrorObject) => `${e.instancePath} ${(e.params as { additionalProperty: string }).additionalProperty}`;
  const intentOf = new Map([...intents].map(([e, intent]) => [keyOf(e), intent]));
  const said = new Set<string>();
  return errors.flatMap((e) => {
    if (e.keyword === 'required' && guessed.has(e.instancePath)) return [];
    const intent = e.keyword === 'additionalProperties' ? intentOf.get(keyOf(e)) : undefined;
    if (!intent) return [e];
    if (said.has(keyOf(e))) return [];
    said.add(keyOf(e));
    return [{ ...e, params: { ...e.params, intent } }];
  });
}

/** JSON parsed and checked against a schema; every problem goes to errors with its line. */
export function parseAgainst<T>(file: SourceFile, validate: ValidateFunction<T>, errors: Located[]): { data: T; locate: Locator } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch {
    const parseErrors: ParseError[] = [];
    parseTree(file.text, parseErrors, { disallowComments: true, allowTrailingComma: false });
    const first = parseErrors[0];
    errors.push({
      file: file.path,
      path: '$',
      line: lineAt(file.text, first?.offset ?? 0),
      message: `ogiltig JSON (${first ? printParseErrorCode(first.error) : 'kan inte läsas'}): rätta syntaxen`,
    });
    return undefined;
  }
  const locate = new Locator(file.path, file.text);
  if (!validate(data)) {
    for (const error of relevantSchemaErrors(validate.errors ?? [])) {
      const segments = pointerSegments(error.instancePath, data);
      if (error.keyword === 'additionalProperties') segments.push((error.params as { additionalProperty: string }).additionalProperty);
      errors.push(locate.error(segments, schemaMessage(error)));
    }
    return undefined;
  }
  return { data, locate };
}

