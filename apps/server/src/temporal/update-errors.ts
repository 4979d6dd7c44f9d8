import { Logger } from '@nestjs/common';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkflowUpdateHandle } from '@temporalio/client';
import { DomainError, ErrorCode } from '../common/errors/domain-error';

const logger = new Logger('Updates');
const LATE = Symbol('late');

/** Said when the workflow accepted the action but has not finished it within the wait: it will, later. */
export const UPDATE_PENDING_MESSAGE = '系统繁忙：您的办理已受理，正在完成，稍后刷新页面即可看到结果，请勿重复办理';
/** Said when the workflow has not even answered whether it accepts the action within the wait. */
export const UPDATE_UNCONFIRMED_MESSAGE = '系统繁忙，暂未确认是否受理：请稍后刷新页面查看，未生效的再办理一次';

/**
 * Runs one Update a person waits on. `start` sends it and returns once the workflow has accepted it (its validator
 * passed: `startUpdate(…, { waitForStage: 'ACCEPTED' })`); then its result is awaited for at most `waitMs`.
 *
 * - A refused Update carries the workflow's reason in Chinese: a 409 with that reason.
 * - Not finished within the wait (its activity retrying through a database outage — activities retry until they
 *   succeed, workflows/shared/retry.ts): a 202 saying it was accepted and is being completed. The Update goes on and
 *   finishes in the workflow; the person is never left waiting on a request for minutes, and the workflow never
 *   half-applies an action because the person stopped waiting.
 * - Not even accepted within the wait (no worker answering): a 503 saying it is not known whether it was.
 */
export async function runUpdate<T>(start: () => Promise<WorkflowUpdateHandle<T>>, waitMs: number): Promise<T> {
  let accepted = false;
  const work = (async () => {
    const handle = await start();
    accepted = true;
    return handle.result();
  })();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), waitMs);
  });
  let first: T | typeof LATE;
  try {
    first = await Promise.race([work, late]);
  } catch (err) {
    throw updateError(err);
  } finally {
    clearTimeout(timer);
  }
  if (first !== LATE) return first;
  // Nobody awaits it any more: its outcome goes to the log, never to an unhandled rejection.
  work.then(
    () => logger.log('an Update answered late (202) has finished'),
    (err) => logger.warn({ err: updateError(err) }, 'an Update answered late (202 or 503) failed'),
  );
  throw accepted ? new DomainError(ErrorCode.PENDING, UPDATE_PENDING_MESSAGE) : new DomainError(ErrorCode.UNAVAILABLE, UPDATE_UNCONFIRMED_MESSAGE);
}

function updateError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    // The workflow's refusal (ApplicationFailure 'Refused', in Chinese). Anything else (an activity that failed for
    // good) is no reason a person can act on.
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type === 'Refused') return new DomainError(ErrorCode.CONFLICT, cause.message);
    return new DomainError(ErrorCode.UNAVAILABLE, '办理未能完成，请稍后重试，已保存的内容不受影响');
  }
  // Not found, or (update-with-start) already ended and not to be started again.
  if (err instanceof WorkflowNotFoundError || err instanceof WorkflowExecutionAlreadyStartedError)
    return new DomainError(ErrorCode.CONFLICT, '该流程已结束，无法再办理');
  return err;
}
