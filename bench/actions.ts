// What Temporal bills as actions, counted from a workflow's history: starts, signals, updates,
// activities and timers. Shared by the sweep benchmarks.
import type { temporal } from '@temporalio/proto';

export function actions(events: temporal.api.history.v1.IHistoryEvent[]): number {
  return events.filter(
    (e) =>
      e.workflowExecutionStartedEventAttributes ||
      e.workflowExecutionSignaledEventAttributes ||
      e.activityTaskScheduledEventAttributes ||
      e.timerStartedEventAttributes ||
      e.workflowExecutionUpdateAcceptedEventAttributes,
  ).length;
}
