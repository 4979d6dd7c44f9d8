import { ActivityFailure, ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkflowUpdateHandle } from '@temporalio/client';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { runUpdate, UPDATE_PENDING_MESSAGE, UPDATE_UNCONFIRMED_MESSAGE } from './update-errors';

/** A handle whose acceptance and result come when the test says. */
function handle<T>(result: Promise<T>): WorkflowUpdateHandle<T> {
  return { result: () => result } as unknown as WorkflowUpdateHandle<T>;
}
const never = <T>() => new Promise<T>(() => undefined);
const failed = (p: Promise<unknown>) =>
  p.then(
    () => undefined as unknown as DomainError,
    (err: DomainError) => err,
  );

describe('runUpdate', () => {
  it('returns the result that comes within the wait', async () => {
    await expect(runUpdate(async () => handle(Promise.resolve({ accepted: true })), 1000)).resolves.toEqual({ accepted: true });
  });

  it('says an accepted action not finished within the wait is being completed (202), and does not wait for it', async () => {
    const started = Date.now();
    const err = await failed(runUpdate(async () => handle(never()), 50));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toBeInstanceOf(DomainError);
    expect([err.code, err.message]).toEqual([ErrorCode.PENDING, UPDATE_PENDING_MESSAGE]);
  });

  it('says it is not known whether an action not even accepted within the wait was (503)', async () => {
    const err = await failed(runUpdate(() => never(), 50));
    expect([err.code, err.message]).toEqual([ErrorCode.UNAVAILABLE, UPDATE_UNCONFIRMED_MESSAGE]);
  });

  it("answers the workflow's refusal with its Chinese reason (409)", async () => {
    const refused = new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.nonRetryable('该步骤已经办理过', 'Refused'));
    const err = await failed(runUpdate(async () => handle(Promise.reject(refused)), 1000));
    expect([err.code, err.message]).toEqual([ErrorCode.CONFLICT, '该步骤已经办理过']);
  });

  it('never shows an activity failure in English: it says the action could not be completed (503)', async () => {
    const activity = new ActivityFailure('Activity task failed', 'recordDecision', '1', 'NON_RETRYABLE_FAILURE', 'worker', new Error('boom'));
    const err = await failed(runUpdate(async () => handle(Promise.reject(new WorkflowUpdateFailedError('Workflow Update failed', activity))), 1000));
    expect([err.code, err.message]).toEqual([ErrorCode.UNAVAILABLE, '办理未能完成，请稍后重试，已保存的内容不受影响']);
  });

  it('keeps a late failure out of the unhandled rejections', async () => {
    let reject!: (e: unknown) => void;
    const late = new Promise<never>((_, r) => (reject = r));
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      await failed(runUpdate(async () => handle(late), 20));
      reject(new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.nonRetryable('该步骤已经办理过', 'Refused')));
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
