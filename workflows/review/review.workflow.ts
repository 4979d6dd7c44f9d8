import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { UNTIL_DONE } from '../shared/retry';
import { runDeadline } from '../shared/deadline';
import type { ReviewActivities, ReviewSchedule } from './activities';
import { allVotedSignal, cancelReviewSignal, type ReviewRoundInput } from './review.definitions';

const acts = proxyActivities<ReviewActivities>({ startToCloseTimeout: '2 minutes', retry: UNTIL_DONE });

/**
 * A 述职评议 round from its start: waits for the 述职报告 deadline (each report is a filing with its own workflow,
 * reminders and overdue handling), opens scoring, reminds raters who have not voted, and closes at the window's end
 * or as soon as every rater has voted. The results are computed once, by the close activity, and frozen.
 */
export async function reviewRoundWorkflow(input: ReviewRoundInput): Promise<'CLOSED' | 'CANCELLED'> {
  let cancelled = false;
  let allVoted = false;
  let ended = false;
  const moved = { value: false };
  setHandler(cancelReviewSignal, () => {
    cancelled = true;
    moved.value = true;
  });
  setHandler(allVotedSignal, () => {
    allVoted = true;
    moved.value = true;
  });

  let schedule: ReviewSchedule = await acts.reviewSchedule(input.roundId);
  if (schedule.status === 'CANCELLED') return 'CANCELLED';
  if (schedule.status === 'REPORTING') {
    const wait = Date.parse(schedule.reportDueAt) - Date.now();
    if (wait > 0 && (await condition(() => cancelled, wait))) return 'CANCELLED';
    if (cancelled) return 'CANCELLED';
    await acts.reviewOpenScoring(input.roundId);
    schedule = await acts.reviewSchedule(input.roundId);
  }
  if (schedule.status === 'SCORING') {
    await runDeadline({
      schedule: () => ({ deadlineAt: schedule.scoringEndsAt, reminders: schedule.reminders, overdue: ended }),
      done: () => cancelled || allVoted || ended,
      moved,
      remind: async (at) => {
        await acts.reviewRemindRaters(input.roundId, at);
        schedule = { ...schedule, reminders: schedule.reminders.filter((r) => r !== at) };
      },
      overdue: async () => {
        ended = true;
      },
    });
    if (cancelled) return 'CANCELLED';
  }
  await acts.reviewClose(input.roundId);
  return 'CLOSED';
}
