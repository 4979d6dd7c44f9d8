import type { RetryPolicy } from '@temporalio/common';

/**
 * Every lifecycle activity retries until it succeeds: 1 s, 2 s, 4 s … then every 2 minutes, with no cap on attempts.
 *
 * A directive stays open a year, a case through its appeal and execution. With a cap (ten attempts, about 5½ minutes of
 * backoff) the first longer database outage failed the whole workflow: its later reminders, overdue marks, 废止 and
 * closing went with it, and the signals sent to it afterwards were dropped. Without one, an outage only delays them.
 * A refusal is decided in workflow code, before any activity, so nothing waits on an activity that cannot succeed; a
 * person waiting on an Update is answered by the server after UPDATE_WAIT_SECONDS (`runUpdate`), while the Update
 * goes on to finish.
 */
export const UNTIL_DONE: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes' };
