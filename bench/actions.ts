// What Temporal bills as actions, counted from a workflow's history: starts, signals, updates,
// activities (local ones too: their markers) and timers. Shared by the sweep benchmarks.
import type { temporal } from '@temporalio/proto';

export function actions(events: temporal.api.history.v1.IHistoryEvent[]): number {
  return events.filter(
    (e) =>
      e.workflowExecutionStartedEventAttributes ||
      e.workflowExecutionSignaledEventAttributes ||
      e.activityTaskScheduledEventAttributes ||
      e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ||
      e.timerStartedEventAttributes ||
      e.workflowExecutionUpdateAcceptedEventAttributes,
  ).length;
}
