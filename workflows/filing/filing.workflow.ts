import { allHandlersFinished, ApplicationFailure, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import { UNTIL_DONE } from '../shared/retry';
import { runDeadline } from '../shared/deadline';
import { Lock } from '../shared/lock';
import { PATCHES } from '../shared/patches';
import type { FilingActivities } from './activities';
import {
  closeFilingSignal,
  decideExtensionUpdate,
  ExtensionInput,
  FilingInput,
  FilingSchedule,
  requestExtensionUpdate,
  ReviewInput,
  reviewFilingUpdate,
  submitFilingUpdate,
} from './filing.definitions';

const acts = proxyActivities<FilingActivities>({ startToCloseTimeout: '1 minute', retry: UNTIL_DONE });
const refuse = (message: string) => ApplicationFailure.nonRetryable(message, 'Refused');

/**
 * One branch's filing: reminders before the deadline, overdue (with an accountability proposal) at it,
 * submit → accept, or return with a new deadline → resubmit …; extensions move the deadline.
 * The schedule (deadline, remaining reminders) is computed by activities from the calendar and re-read
 * whenever the deadline moves, so reminders not yet sent survive a return and a resubmission.
 * Updates run one at a time (Lock) and re-check the status the previous one left: of two submissions at the
 * same moment the second is refused, never recorded over the first.
 */
export async function filingWorkflow(input: FilingInput): Promise<'ACCEPTED' | 'CLOSED'> {
  // New executions listen before their first activity, so an Update that starts the workflow (a branch submitting
  // before its filing's workflow ran) finds its handler; the handlers wait for the schedule before they act.
  const early = patched(PATCHES.HANDLERS_BEFORE_FIRST_ACTIVITY);
  let loaded = false;
  let closedEarly = false;
  let schedule = {} as FilingSchedule;
  if (!early) {
    schedule = await acts.filingSchedule(input.filingId);
    loaded = true;
  }
  let pendingExtension = false;
  const moved = { value: false }; // the deadline or status moved: the timer re-plans
  const serialised = patched(PATCHES.SERIALISED_UPDATES);
  const lock = Lock.forExecution(serialised);
  /**
   * Under the lock, before an Update acts: the schedule is known (an early Update waits for it). Awaited only while
   * it is not, so an Update after the first activity runs exactly the commands it always ran.
   */
  const ready = () => condition(() => loaded);

  setHandler(closeFilingSignal, () => {
    if (!loaded) closedEarly = true;
    schedule = { ...schedule, status: 'CLOSED' };
    moved.value = true;
  });

  // Before the schedule is known the validators let an Update in; its handler checks again once it is.
  const maySubmit = () => {
    if (!loaded) return;
    if (schedule.status === 'SUBMITTED') throw refuse('已提交，正在审核，请等待审核结果');
    if (schedule.status === 'ACCEPTED') throw refuse('已审核通过，无需再提交');
    if (schedule.status === 'CLOSED') throw refuse('该填报已关闭');
  };
  setHandler(
    submitFilingUpdate,
    (s) =>
      lock.run(async () => {
        if (!loaded) await ready();
        if (serialised) maySubmit();
        const r = await acts.recordSubmission({ filingId: input.filingId, personId: s.personId, values: s.values });
        schedule = { ...schedule, status: 'SUBMITTED' };
        moved.value = true;
        return r;
      }),
    { validator: (_s) => maySubmit() },
  );

  const mayReview = (r: ReviewInput) => {
    if (!loaded) return;
    if (schedule.status !== 'SUBMITTED') throw refuse('当前没有待审核的提交');
    if (r.decision === 'RETURN' && !r.comment?.trim()) throw refuse('退回须填写理由');
    if (r.decision === 'RETURN' && !(r.newDeadline && Date.parse(r.newDeadline) > Date.now())) throw refuse('退回须给出晚于现在的新期限');
  };
  setHandler(
    reviewFilingUpdate,
    (r) =>
      lock.run(async () => {
        if (!loaded) await ready();
        if (serialised) mayReview(r);
        await acts.recordReview({ filingId: input.filingId, ...r });
        schedule = await acts.filingSchedule(input.filingId);
        moved.value = true;
        return { status: r.decision === 'ACCEPT' ? ('ACCEPTED' as const) : ('RETURNED' as const) };
      }),
    { validator: mayReview },
  );

  const mayRequest = (e: ExtensionInput) => {
    if (!loaded) return;
    if (schedule.status !== 'OPEN' && schedule.status !== 'RETURNED') throw refuse('只有未提交的填报可以申请延期');
    if (pendingExtension) throw refuse('已有一项延期申请在等待审批');
    if (!(Date.parse(e.until) > Date.parse(schedule.deadlineAt))) throw refuse('延期后的期限须晚于现在的期限');
    if (!e.reason?.trim()) throw refuse('申请延期须说明理由');
  };
  setHandler(
    requestExtensionUpdate,
    (e) =>
      lock.run(async () => {
        if (!loaded) await ready();
        if (serialised) mayRequest(e);
        await acts.recordExtensionRequest({ filingId: input.filingId, ...e });
        pendingExtension = true;
        return { requested: true as const };
      }),
    { validator: mayRequest },
  );

  const mayDecide = () => {
    if (!loaded) return;
    if (!pendingExtension) throw refuse('没有待审批的延期申请');
  };
  setHandler(
    decideExtensionUpdate,
    (d) =>
      lock.run(async () => {
        if (!loaded) await ready();
        if (serialised) mayDecide();
        await acts.recordExtensionDecision({ filingId: input.filingId, ...d });
        pendingExtension = false;
        schedule = await acts.filingSchedule(input.filingId);
        moved.value = true;
        return { granted: d.grant, deadlineAt: schedule.deadlineAt };
      }),
    { validator: (_d) => mayDecide() },
  );

  if (early) {
    schedule = await acts.filingSchedule(input.filingId);
    if (closedEarly) schedule = { ...schedule, status: 'CLOSED' };
    loaded = true;
  }

  const finished = () => schedule.status === 'ACCEPTED' || schedule.status === 'CLOSED';
  await runDeadline({
    schedule: () => schedule,
    done: finished,
    // Submitted: the reviewer's move; nothing is due meanwhile.
    paused: () => schedule.status === 'SUBMITTED',
    moved,
    remind: async (at) => {
      await acts.remindFiling({ filingId: input.filingId, at });
      schedule = { ...schedule, reminders: schedule.reminders.filter((r) => r !== at) };
    },
    overdue: async () => {
      await acts.markFilingOverdue({ filingId: input.filingId });
      schedule = { ...schedule, overdue: true };
    },
  });
  await condition(allHandlersFinished);
  return schedule.status as 'ACCEPTED' | 'CLOSED';
}
