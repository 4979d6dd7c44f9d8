import { condition } from '@temporalio/workflow';

/**
 * A workflow-level mutex (samples-typescript `safe-message-handlers`): Update handlers that await an activity run
 * one at a time, so each re-checks the state left by the one before it instead of the state its validator saw.
 * Only conditions, no commands: adding it to a handler does not change the workflow's history.
 */
export class Lock {
  private held = false;

  /** No lock at all: what executions started before PATCHES.SERIALISED_UPDATES keep doing. */
  static readonly none = { run: <T>(work: () => Promise<T>): Promise<T> => work() };

  /** The lock for an execution that took the patch, or none for one started before it. */
  static forExecution(serialised: boolean): Pick<Lock, 'run'> {
    return serialised ? new Lock() : Lock.none;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    // Woken together, waiters take turns: each looks again before taking the lock.
    while (this.held) await condition(() => !this.held);
    this.held = true;
    try {
      return await work();
    } finally {
      this.held = false;
    }
  }
}
