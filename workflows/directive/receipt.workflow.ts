import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { DirectiveActivities } from '../../apps/worker/src/activities/directive-activities';
import { acknowledgeUpdate, closeReceiptSignal, ReceiptInput } from './directive.definitions';

const acts = proxyActivities<DirectiveActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 10 } });

/**
 * One branch's 签收 task: reminders at the given instants, overdue at the deadline, done when the
 * branch acknowledges, closed when the directive is revoked. The task row already exists.
 */
export async function receiptWorkflow(input: ReceiptInput): Promise<'acknowledged' | 'closed'> {
  let acknowledged = false;
  let closed = false;
  setHandler(closeReceiptSignal, () => {
    closed = true;
  });
  setHandler(
    acknowledgeUpdate,
    async (a) => {
      await acts.acknowledgeReceipt({ taskId: input.taskId, personId: a.personId });
      acknowledged = true;
      return { acknowledged: true as const };
    },
    {
      validator: (_a) => {
        if (closed) throw ApplicationFailure.nonRetryable('该发文已废止，无需签收', 'Refused');
        if (acknowledged) throw ApplicationFailure.nonRetryable('已经签收过了', 'Refused');
      },
    },
  );

  const finished = () => acknowledged || closed;
  for (const at of input.reminders) {
    const wait = Date.parse(at) - Date.now();
    if (wait > 0 && !(await condition(finished, wait))) await acts.remindTask({ taskId: input.taskId, at });
  }
  const untilDue = Date.parse(input.dueAt) - Date.now();
  if (!finished() && !(await condition(finished, Math.max(1, untilDue)))) await acts.markOverdue({ taskId: input.taskId });
  await condition(finished);
  await condition(allHandlersFinished);
  return acknowledged ? 'acknowledged' : 'closed';
}
