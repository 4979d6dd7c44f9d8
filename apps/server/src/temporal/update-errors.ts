import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DomainError, ErrorCode } from '../common/errors/domain-error';

/** A refused Update carries the workflow's reason in Chinese: answer it as a 409 with that reason. */
export async function runUpdate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new DomainError(ErrorCode.CONFLICT, (err.cause as Error | undefined)?.message ?? '操作未被接受');
    }
    // Not found, or (update-with-start) already ended and not to be started again.
    if (err instanceof WorkflowNotFoundError || err instanceof WorkflowExecutionAlreadyStartedError)
      throw new DomainError(ErrorCode.CONFLICT, '该流程已结束，无法再办理');
    throw err;
  }
}
