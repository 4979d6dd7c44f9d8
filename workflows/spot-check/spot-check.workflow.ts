import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { UNTIL_DONE } from '../shared/retry';
import type { SpotCheckActivities } from './activities';
import { closeRoundSignal, SpotCheckRoundInput } from './spot-check.definitions';

const acts = proxyActivities<SpotCheckActivities>({ startToCloseTimeout: '1 minute', retry: UNTIL_DONE });

/**
 * A drawn round: waits for the end of its inspection window, then marks unfinished inspections overdue and tells
 * the committee which units are unchecked; it lives until the committee closes the round. Each rectification runs
 * in its own filing workflow, so this history stays small however many units are checked.
 */
export async function spotCheckRoundWorkflow(input: SpotCheckRoundInput): Promise<'CLOSED' | 'EXPIRED'> {
  let closed = false;
  setHandler(closeRoundSignal, () => {
    closed = true;
  });
  const { windowEnd } = await acts.spotCheckSchedule(input.roundId);
  const wait = Date.parse(windowEnd) - Date.now();
  if (wait > 0 && (await condition(() => closed, wait))) return 'CLOSED';
  if (!closed) await acts.spotCheckWindowEnded(input.roundId);
  return (await condition(() => closed, '365 days')) ? 'CLOSED' : 'EXPIRED';
}
