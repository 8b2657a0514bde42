// Custom search attributes, so control rounds can be found by unit, rule and period in the
// Temporal UI and with `temporal workflow list --query`.
import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';

const { INDEXED_VALUE_TYPE_KEYWORD } = proto.temporal.api.enums.v1.IndexedValueType;

export const searchAttributes = {
  ArshjulUnit: INDEXED_VALUE_TYPE_KEYWORD,
  ArshjulRule: INDEXED_VALUE_TYPE_KEYWORD,
  ArshjulPeriod: INDEXED_VALUE_TYPE_KEYWORD,
} as const;

/** The project's search attributes that the namespace lacks. */
export async function missingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return Object.keys(searchAttributes).filter((name) => !customAttributes?.[name]);
}

/** Registers whatever is missing; it runs at every start, against the dev server or any cluster. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const missing = await missingSearchAttributes(connection, namespace);
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, searchAttributes[name as keyof typeof searchAttributes]])),
  });
}
