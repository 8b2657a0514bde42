// Dated parameters (rules/parameters/<id>.json): the thresholds rules and facts use, each with the
// values it has had and will have from given dates, as OpenFisca keeps its parameters. A month is
// planned with the values in force on its first day. Pure: files in, parameters and errors out.
import path from 'node:path';
import parameterSchema from '../../rules/schema/parameter.schema.json' with { type: 'json' };
import type { Located } from '../json/locate.js';
import { ajv, parseAgainst, type SourceFile } from '../json/schema.js';

export interface Parameter {
  id: string;
  title: string;
  description?: string;
  unit?: string;
  reference: string[];
  proposal?: string;
  values: { from: string; value: number; reference?: string[] }[];
}

export interface LoadedParameter {
  parameter: Parameter;
  file: string;
}

/** The parameters' values on one day, by id. */
export type ParameterValues = Readonly<Record<string, number>>;

/** The parameters the facts themselves read (src/rules/facts.ts): a pack must define each. */
export const factParameters = ['child-age', 'riktalder', 'holiday-job-min-age', 'holiday-job-max-age'] as const;

const validateParameter = ajv.compile<Parameter>(parameterSchema);

/** The value in force on a day: the last whose `from` is on or before it; undefined before the first. */
export function valueOn(parameter: Parameter, date: string): number | undefined {
  let value: number | undefined;
  for (const entry of parameter.values) {
    if (entry.from > date) break;
    value = entry.value;
  }
  return value;
}

/** Every parameter's value on a day; one without a value yet is left out. */
export function valuesOn(parameters: LoadedParameter[], date: string): ParameterValues {
  const values: Record<string, number> = {};
  for (const { parameter } of parameters) {
    const value = valueOn(parameter, date);
    if (value !== undefined) values[parameter.id] = value;
  }
  return values;
}

export function loadParameters(files: SourceFile[], errors: Located[]): LoadedParameter[] {
  const loaded: LoadedParameter[] = [];
  for (const file of files) {
    const parsed = parseAgainst(file, validateParameter, errors);
    if (!parsed) continue;
    const { data, locate } = parsed;
    const before = errors.length;
    if (path.basename(file.path, '.json') !== data.id) {
      errors.push(locate.error(['id'], `id "${data.id}" stämmer inte med filnamnet: döp filen till ${data.id}.json`));
    }
    data.values.forEach((entry, i) => {
      const previous = data.values[i - 1];
      if (previous && entry.from <= previous.from) {
        errors.push(locate.error(['values', i, 'from'], `${entry.from} kommer inte efter ${previous.from}: skriv värdena i datumordning, ett per datum`));
      }
    });
    const twin = loaded.find((other) => other.parameter.id === data.id);
    if (twin) errors.push(locate.error(['id'], `parametern "${data.id}" finns redan i ${twin.file}`));
    if (errors.length === before) loaded.push({ parameter: data, file: file.path });
  }
  return loaded;
}
