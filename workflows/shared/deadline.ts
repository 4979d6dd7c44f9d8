import { condition } from '@temporalio/workflow';

/** A task's schedule as the workflow needs it: the deadline and the reminder instants before it (ISO). */
export interface DeadlineSchedule {
  deadlineAt: string;
  reminders: string[];
  /** Already marked overdue for this deadline. */
  overdue: boolean;
}

export interface DeadlineHooks {
  /** The schedule now (it moves: a return with a new deadline, an extension). */
  schedule: () => DeadlineSchedule;
  /** The task is finished: the timer stops. */
  done: () => boolean;
  /** Nothing is due while paused (a submitted filing waits for its review). */
  paused?: () => boolean;
  /** Set by handlers when the schedule or status moved; the timer re-plans. Cleared at each plan. */
  moved?: { value: boolean };
  remind: (at: string) => Promise<void>;
  overdue: () => Promise<void>;
}

/**
 * The one deadline-and-reminder timer of every task workflow (receipts, filings, rectifications, and the lifecycles
 * that follow): waits for the next reminder or the deadline, whichever comes first; sends the reminder or marks the
 * task overdue; re-plans whenever `moved` is set, so a new deadline keeps the reminders not yet sent. Instants come
 * from activities (the working-day calendar is never computed in workflow code).
 */
export async function runDeadline(h: DeadlineHooks): Promise<void> {
  const moved = h.moved ?? { value: false };
  const wake = () => moved.value || h.done();
  while (!h.done()) {
    moved.value = false;
    if (h.paused?.()) {
      await condition(wake);
      continue;
    }
    const s = h.schedule();
    const next = s.reminders.find((r) => Date.parse(r) > Date.now());
    const target = next ?? (s.overdue ? null : s.deadlineAt);
    if (!target) {
      await condition(wake);
      continue;
    }
    if (await condition(wake, Math.max(1, Date.parse(target) - Date.now()))) continue;
    if (next) await h.remind(next);
    else await h.overdue();
  }
}
