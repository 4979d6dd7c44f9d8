import { allHandlersFinished, ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { FilingActivities } from '../../apps/worker/src/activities/filing-activities';
import {
  closeFilingSignal,
  decideExtensionUpdate,
  FilingInput,
  FilingSchedule,
  requestExtensionUpdate,
  reviewFilingUpdate,
  submitFilingUpdate,
} from './filing.definitions';

const acts = proxyActivities<FilingActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 10 } });
const refuse = (message: string) => ApplicationFailure.nonRetryable(message, 'Refused');

/**
 * One branch's filing: reminders before the deadline, overdue (with an accountability proposal) at it,
 * submit → accept, or return with a new deadline → resubmit …; extensions move the deadline.
 * The schedule (deadline, remaining reminders) is computed by activities from the calendar and re-read
 * whenever the deadline moves, so reminders not yet sent survive a return and a resubmission.
 */
export async function filingWorkflow(input: FilingInput): Promise<'ACCEPTED' | 'CLOSED'> {
  let schedule: FilingSchedule = await acts.filingSchedule(input.filingId);
  let pendingExtension = false;
  let changed = false; // the deadline or status moved: re-plan the waits

  setHandler(closeFilingSignal, () => {
    schedule = { ...schedule, status: 'CLOSED' };
    changed = true;
  });

  setHandler(
    submitFilingUpdate,
    async (s) => {
      const r = await acts.recordSubmission({ filingId: input.filingId, personId: s.personId, values: s.values });
      schedule = { ...schedule, status: 'SUBMITTED' };
      changed = true;
      return r;
    },
    {
      validator: (_s) => {
        if (schedule.status === 'SUBMITTED') throw refuse('已提交，正在审核，请等待审核结果');
        if (schedule.status === 'ACCEPTED') throw refuse('已审核通过，无需再提交');
        if (schedule.status === 'CLOSED') throw refuse('该填报已关闭');
      },
    },
  );

  setHandler(
    reviewFilingUpdate,
    async (r) => {
      await acts.recordReview({ filingId: input.filingId, ...r });
      schedule = await acts.filingSchedule(input.filingId);
      changed = true;
      return { status: r.decision === 'ACCEPT' ? ('ACCEPTED' as const) : ('RETURNED' as const) };
    },
    {
      validator: (r) => {
        if (schedule.status !== 'SUBMITTED') throw refuse('当前没有待审核的提交');
        if (r.decision === 'RETURN' && !r.comment?.trim()) throw refuse('退回须填写理由');
        if (r.decision === 'RETURN' && !(r.newDeadline && Date.parse(r.newDeadline) > Date.now())) throw refuse('退回须给出晚于现在的新期限');
      },
    },
  );

  setHandler(
    requestExtensionUpdate,
    async (e) => {
      await acts.recordExtensionRequest({ filingId: input.filingId, ...e });
      pendingExtension = true;
      return { requested: true as const };
    },
    {
      validator: (e) => {
        if (schedule.status !== 'OPEN' && schedule.status !== 'RETURNED') throw refuse('只有未提交的填报可以申请延期');
        if (pendingExtension) throw refuse('已有一项延期申请在等待审批');
        if (!(Date.parse(e.until) > Date.parse(schedule.deadlineAt))) throw refuse('延期后的期限须晚于现在的期限');
        if (!e.reason?.trim()) throw refuse('申请延期须说明理由');
      },
    },
  );

  setHandler(
    decideExtensionUpdate,
    async (d) => {
      await acts.recordExtensionDecision({ filingId: input.filingId, ...d });
      pendingExtension = false;
      schedule = await acts.filingSchedule(input.filingId);
      changed = true;
      return { granted: d.grant, deadlineAt: schedule.deadlineAt };
    },
    {
      validator: (_d) => {
        if (!pendingExtension) throw refuse('没有待审批的延期申请');
      },
    },
  );

  const finished = () => schedule.status === 'ACCEPTED' || schedule.status === 'CLOSED';
  const waiting = () => schedule.status === 'OPEN' || schedule.status === 'RETURNED';
  while (!finished()) {
    changed = false;
    if (!waiting()) {
      // Submitted: the reviewer's move; nothing is due meanwhile.
      await condition(() => changed || finished());
      continue;
    }
    const next = schedule.reminders.find((r) => Date.parse(r) > Date.now());
    const target = next ?? (schedule.overdue ? null : schedule.deadlineAt);
    if (!target) {
      await condition(() => changed || finished());
      continue;
    }
    const woke = await condition(() => changed || finished(), Math.max(1, Date.parse(target) - Date.now()));
    if (woke) continue;
    if (next) {
      await acts.remindFiling({ filingId: input.filingId, at: next });
      schedule = { ...schedule, reminders: schedule.reminders.filter((r) => r !== next) };
    } else {
      await acts.markFilingOverdue({ filingId: input.filingId });
      schedule = { ...schedule, overdue: true };
    }
  }
  await condition(allHandlersFinished);
  return schedule.status as 'ACCEPTED' | 'CLOSED';
}
