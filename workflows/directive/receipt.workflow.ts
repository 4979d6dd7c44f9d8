import { allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import { UNTIL_DONE } from '../shared/retry';
import { runDeadline } from '../shared/deadline';
import { Lock } from '../shared/lock';
import { PATCHES } from '../shared/patches';
import type { ReceiptActivities } from './activities';
import { acknowledgeUpdate, closeReceiptSignal, ReceiptInput } from './directive.definitions';

const acts = proxyActivities<ReceiptActivities>({ startToCloseTimeout: '1 minute', retry: UNTIL_DONE });
const refuse = (message: string) => ApplicationFailure.nonRetryable(message, 'Refused');

/**
 * One branch's 签收 task: reminders at the given instants, overdue at the deadline (the shared deadline timer), done
 * when the branch acknowledges, closed when the directive is revoked. The task row already exists.
 */
export async function receiptWorkflow(input: ReceiptInput): Promise<'acknowledged' | 'closed'> {
  let acknowledged = false;
  let closed = false;
  let overdue = false;
  const serialised = patched(PATCHES.SERIALISED_UPDATES);
  const lock = Lock.forExecution(serialised);
  setHandler(closeReceiptSignal, () => {
    closed = true;
  });
  const mayAcknowledge = () => {
    if (closed) throw refuse('该发文已废止，无需签收');
    if (acknowledged) throw refuse('已经签收过了');
  };
  setHandler(
    acknowledgeUpdate,
    (a) =>
      lock.run(async () => {
        if (serialised) mayAcknowledge();
        await acts.acknowledgeReceipt({ taskId: input.taskId, personId: a.personId });
        acknowledged = true;
        return { acknowledged: true as const };
      }),
    { validator: (_a) => mayAcknowledge() },
  );

  const finished = () => acknowledged || closed;
  await runDeadline({
    schedule: () => ({ deadlineAt: input.dueAt, reminders: input.reminders, overdue }),
    done: finished,
    remind: (at) => acts.remindTask({ taskId: input.taskId, at }),
    overdue: async () => {
      await acts.markOverdue({ taskId: input.taskId });
      overdue = true;
    },
  });
  await condition(allHandlersFinished);
  return acknowledged ? 'acknowledged' : 'closed';
}
