// The demo unit's internal control so far, where the rules hold a plan for the year: the plan sent
// for approval on the first business day of January and approved by the unit head, each control
// sampled on its day, each sampled case (or access-log record) reviewed by its reviewer within a few
// weeks (a deviation now and then, whose corrective action the caseworker, or for a record the unit
// head, mostly closes), an analysis after each
// finished round, and the follow-up and compilation reports, all in time order and through the
// same functions as the workflow, the web app and the CLI. Seeded, so it is the same every time.
import { addBusinessDays, firstBusinessDay, stockholmIso, subtractBusinessDays } from '../calendar/businessDays.js';
import { finishedRounds, writeAnalysis } from '../internkontroll/analyses.js';
import type { Plan } from '../internkontroll/plan.js';
import { answerReview, closeCorrective, type Answer } from '../internkontroll/reviews.js';
import { findControl, takeControlSample } from '../internkontroll/samples.js';
import { approvePlan, requestApproval, storeReport, yearSteps } from '../internkontroll/year.js';
import type { Db } from '../store/db.js';
import { correctiveOwner, findReview } from '../store/internalControl.js';
import { staffOf } from '../store/staff.js';
import { chance } from './chance.js';

export interface PastInternalControl {
  samples: number;
  reviews: number;
  deviations: number;
  closed: number;
  analyses: number;
  reports: number;
}

const deviationNote = 'Underlaget saknades i akten när granskningen gjordes.';
const unjustifiedAccess = 'Personen hade inget ärende eller uppdrag som krävde uppgifterna den dagen.';
const followedUp = { cases: 'Underlaget är inhämtat och journalfört.', 'access-records': 'Samtal med medarbetaren; åtkomsten gällde en förväxlad uppgift och är dokumenterad.' };
/** The unit head's analysis of a round, as its reviews came out. */
const analysisText = (title: string, reviews: number, deviations: number) =>
  deviations === 0
    ? `${title}: ${reviews} granskade ärenden, alla utan anmärkning. Rutinen fungerar; vi behåller stickprovets storlek.`
    : `${title}: ${reviews} granskade ärenden, ${deviations} med avvikelse. Avvikelserna gällde underlag som saknades i akten och rättas genom ` +
      `rättelserna; vi tar upp dokumentationen på nästa arbetsplatsträff.`;

/** Runs the year's internal control up to the day before `until`; nothing where the plan's year has not begun. */
export async function backfillInternalControl(db: Db, input: { unitId: string; plan: Plan; until: string }): Promise<PastInternalControl> {
  const { unitId, plan, until } = input;
  const result: PastInternalControl = { samples: 0, reviews: 0, deviations: 0, closed: 0, analyses: 0, reports: 0 };
  const requested = firstBusinessDay(plan.year, 1);
  if (requested >= until) return result;
  const [head] = await staffOf(db, unitId, ['enhetschef']);
  await requestApproval(db, { unitId, year: plan.year, at: stockholmIso(requested, 6, 30) });
  await approvePlan(db, { unitId, year: plan.year, by: head!.id, at: stockholmIso(requested, 10) });

  // What people do later than the step that made it (a review, closing a corrective action), by when.
  const later: { at: string; act: () => Promise<void> }[] = [];
  const runUntil = async (moment: string) => {
    while (later.length > 0) {
      later.sort((a, b) => a.at.localeCompare(b.at));
      if (later[0]!.at >= moment) return;
      await later.shift()!.act();
    }
  };

  for (const step of yearSteps(plan)) {
    if (step.date >= until) break;
    const at = new Date(step.at).toISOString();
    await runUntil(at);
    if (step.kind === 'report') {
      // A round whose reviews are all done gets its analysis before the report is written: the
      // afternoon before, after the last review (they are done 10–15).
      for (const round of await finishedRounds(db, unitId, plan)) {
        if (round.analysis) continue;
        await writeAnalysis(db, { unitId, plan, sampleId: round.sampleId, text: analysisText(round.title, round.reviews, round.deviations), by: head!.id, at: stockholmIso(subtractBusinessDays(step.date, 1), 16, 30) });
        result.analyses++;
      }
      await storeReport(db, { unitId, plan, report: step.report, date: step.date, at });
      result.reports++;
      continue;
    }
    const { sample } = await takeControlSample(db, { unitId, plan, controlId: step.controlId, period: step.period, seed: `demo:${step.controlId}:${step.period}`, takenOn: step.date, takenAt: at });
    result.samples++;
    const { checklist } = findControl(plan, step.controlId);
    const reviewIds = sample.subject === 'cases' ? sample.cases.map((caseId) => `${sample.id}:${caseId}`) : sample.records.map((seq) => `${sample.id}:post-${seq}`);
    for (const reviewId of reviewIds) {
      const reviewedOn = addBusinessDays(step.date, 1 + Math.floor(chance(`review:${reviewId}`) * 15));
      const reviewedAt = stockholmIso(reviewedOn, 10 + Math.floor(chance(`hour:${reviewId}`) * 6));
      // A record of the access log is less often a deviation than a case file.
      const deviating = chance(`deviation:${reviewId}`) < (sample.subject === 'cases' ? 0.08 : 0.03) ? Math.floor(chance(`question:${reviewId}`) * checklist.length) : -1;
      later.push({
        at: reviewedAt,
        act: async () => {
          const reviewer = (await findReview(db, reviewId))!.reviewer!;
          const answers: Answer[] = checklist.map((_, i) => (i === deviating ? { verdict: 'deviation', note: sample.subject === 'cases' ? deviationNote : unjustifiedAccess } : { verdict: 'ok' }));
          const { corrective } = await answerReview(db, { reviewId, answers, by: reviewer, at: reviewedAt, checklist });
          result.reviews++;
          if (!corrective) return;
          result.deviations++;
          // Most are put right within two weeks; one in five is still open.
          if (chance(`left:${corrective}`) < 0.2) return;
          const closedOn = addBusinessDays(reviewedOn, 2 + Math.floor(chance(`fix:${corrective}`) * 8));
          later.push({ at: stockholmIso(closedOn, 14), act: async () => {
            await closeCorrective(db, { id: corrective, by: (await correctiveOwner(db, corrective))!.assignee, at: stockholmIso(closedOn, 14), note: followedUp[sample.subject] });
            result.closed++;
          } });
        },
      });
    }
  }
  // What would come after today is left undone: reviews still open, corrective actions still to close.
  await runUntil(stockholmIso(until, 0));
  return result;
}
