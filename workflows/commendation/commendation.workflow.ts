import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { UNTIL_DONE } from '../shared/retry';
import type { CommendationActivities, CommendationProgress } from './activities';
import { commendationMovedSignal, type CommendationRoundInput } from './commendation.definitions';

const acts = proxyActivities<CommendationActivities>({ startToCloseTimeout: '2 minutes', retry: UNTIL_DONE });

/**
 * One 评选表扬 round from its start to the decision: nominations until their deadline, then the committee's ranking
 * and approval, the 公示 periods (the first and any replacement's) with objections to resolve, and the decision.
 * People's steps are recorded by the server and signalled here; the workflow owns the time: it sleeps until the next
 * instant the round's schedule names (computed by the activity on the working-day calendar) or until a step moves the
 * round, then lets the activity do what has fallen due. Ends when the round is decided or cancelled.
 */
export async function commendationRoundWorkflow(input: CommendationRoundInput): Promise<'DECIDED' | 'CANCELLED'> {
  const moved = { value: false };
  setHandler(commendationMovedSignal, () => {
    moved.value = true;
  });
  for (;;) {
    moved.value = false;
    const p: CommendationProgress = await acts.commendationAdvance(input.roundId);
    if (p.status === 'DECIDED' || p.status === 'CANCELLED') return p.status;
    if (moved.value) continue;
    if (p.nextAt === null) await condition(() => moved.value);
    else await condition(() => moved.value, Math.max(1, Date.parse(p.nextAt) - Date.now()));
  }
}
