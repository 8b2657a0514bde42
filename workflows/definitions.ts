// The signals and updates the workflows take, defined once: workflows set their handlers with
// them, clients and activities send through them (never by a name in a string).
import { defineSignal, defineUpdate } from '@temporalio/workflow';

/** A task of the round was created, completed, reassigned…: look again. */
export const tasksChanged = defineSignal('tasksChanged');
/** A deputy head closes the round: no more reminders or escalations. An update, so a refusal reaches the caller. */
export const closeRoundUpdate = defineUpdate<void, [{ by: string }]>('closeRound');
/** The unit head approves the year's plan; a refusal (not the unit head) reaches the caller. */
export const approvePlanUpdate = defineUpdate<void, [{ by: string }]>('approvePlan');
/** The report's analysis task was completed: look for the text now rather than at the next daily look. */
export const analysisWritten = defineSignal('analysisWritten');
