import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SystemActivities } from './activities';
import { ackUpdate, PingInput, PingResult, pingStatusQuery } from './ping.definitions';

const { systemEcho } = proxyActivities<SystemActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 5 } });

/** The smallest full round trip: server → workflow → activity (a Nest provider on the DB) → update → result. */
export async function pingWorkflow(input: PingInput): Promise<PingResult> {
  let ackBy: string | null = null;
  let status: 'waiting' | 'acknowledged' | 'done' = 'waiting';
  setHandler(pingStatusQuery, () => status);
  setHandler(
    ackUpdate,
    (update) => {
      ackBy = update.by;
      status = 'acknowledged';
      return { accepted: true as const, by: update.by };
    },
    {
      validator: (update) => {
        if (!update?.by?.trim()) throw new Error('确认人不能为空');
      },
    },
  );
  const { echo, organizations } = await systemEcho(input.message, Math.min(Math.max(input.holdMs ?? 0, 0), 10_000));
  await condition(() => ackBy !== null, input.ackTimeoutMs ?? 60_000);
  await condition(allHandlersFinished);
  status = 'done';
  return { echo, organizations, ackBy };
}
