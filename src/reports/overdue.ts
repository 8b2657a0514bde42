// What is late now, as the deputy head's overview opens with it: the overdue tasks by control and by
// person, most first, with the total. Pure: the store gives the counts per control and assignee.

import { swedishOrder } from './format.js';

export interface OverdueCount {
  ruleId: string;
  title: string;
  assignee: string | null;
  n: number;
}

export interface OverdueLine {
  /** The rule id, or the assignee's staff id (null: nobody assigned). */
  key: string | null;
  name: string;
  n: number;
}

export interface OverdueSummary {
  total: number;
  byControl: OverdueLine[];
  byPerson: OverdueLine[];
}


function lines(counts: OverdueCount[], keyOf: (c: OverdueCount) => string | null, nameOf: (c: OverdueCount) => string): OverdueLine[] {
  const byKey = new Map<string | null, OverdueLine>();
  for (const c of counts) {
    const key = keyOf(c);
    const line = byKey.get(key) ?? { key, name: nameOf(c), n: 0 };
    line.n += c.n;
    byKey.set(key, line);
  }
  return [...byKey.values()].sort((a, b) => b.n - a.n || swedishOrder(a.name, b.name));
}

export function summarizeOverdue(counts: OverdueCount[], personName: (assignee: string | null) => string): OverdueSummary {
  return {
    total: counts.reduce((sum, c) => sum + c.n, 0),
    byControl: lines(counts, (c) => c.ruleId, (c) => c.title),
    byPerson: lines(counts, (c) => c.assignee, (c) => personName(c.assignee)),
  };
}
