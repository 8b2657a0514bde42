import { ApplicationFailure } from '@temporalio/activity';
import { ReportError } from '../src/reports/tertialReport.js';
import { TaskActionError } from '../src/tasks/lifecycle.js';

/** Runs fn; a refusal by the task rules (wrong role, outcome, note…) or a report the rule pack cannot make is final, not retried. */
export async function refusalsFinal<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TaskActionError) throw ApplicationFailure.nonRetryable(error.message, 'TaskActionError');
    if (error instanceof ReportError) throw ApplicationFailure.nonRetryable(error.message, 'ReportError');
    throw error;
  }
}
