// Custom search attributes, so what ran for a unit (its sweeps and digests, and the rounds of
// before by rule and period) can be found in the Temporal UI and with `temporal workflow list --query`.
import type { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';

const { INDEXED_VALUE_TYPE_KEYWORD } = proto.temporal.api.enums.v1.IndexedValueType;

export const searchAttributes = {
  ArshjulUnit: INDEXED_VALUE_TYPE_KEYWORD,
  ArshjulRule: INDEXED_VALUE_TYPE_KEYWORD,
  ArshjulPeriod: INDEXED_VALUE_TYPE_KEYWORD,
} as const;

/** The unit a scheduled workflow runs for: `ArshjulUnit = "demo-eb" AND TemporalScheduledStartTime > ...`. */
export const unitAttribute = defineSearchAttributeKey('ArshjulUnit', SearchAttributeType.KEYWORD);

const grpcUnimplemented = 12;

/** The project's search attributes that the namespace lacks. */
export async function missingSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return Object.keys(searchAttributes).filter((name) => !customAttributes?.[name]);
}

/** Registers whatever is missing; it runs at every start, against the dev server or any cluster. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  // Temporal's Java time-skipping test server can add search attributes but not list them.
  const missing = await missingSearchAttributes(connection, namespace).catch((error: { code?: number }) => {
    if (error.code === grpcUnimplemented) return Object.keys(searchAttributes);
    throw error;
  });
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, searchAttributes[name as keyof typeof searchAttributes]])),
  });
}
