// What a sweep takes and answers, today's and those begun before alike.
import type { StepCounts } from '../src/cycle/steps.js';

export interface SweepInput {
  unitId: string;
  /** The day to plan (YYYY-MM-DD); a scheduled sweep plans the day it was scheduled for. */
  date?: string;
  /** Cases per chunk activity. */
  chunkSize?: number;
}

export interface SweepSummary {
  date: string;
  skipped: boolean;
  packHash: string;
  planned: number;
  created: number;
  cancelled: number;
  /** The reminder, due and escalation steps taken, by kind. */
  steps?: StepCounts;
  /** Sweeps begun before the steps were theirs: the rounds they started. */
  rounds?: number;
}
