// A refusal by the task rules (wrong outcome, missing note, not the unit head…) comes back from
// Temporal as the workflow's or update's failure; its innermost cause holds the rule's own words.
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';

/** The refusal's message, or undefined when the error is something else. */
export function refusalMessage(error: unknown): string | undefined {
  if (!(error instanceof WorkflowFailedError || error instanceof WorkflowUpdateFailedError)) return undefined;
  let cause: Error = error;
  while (cause.cause instanceof Error) cause = cause.cause;
  return cause.message;
}
