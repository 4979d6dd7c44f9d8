import type { INestApplication } from '@nestjs/common';
import { TemporalClientService } from '../../apps/server/src/temporal/temporal-client.service';

/**
 * What Temporal says of one workflow, for a test's failure message: its status and each pending activity's attempt,
 * state and last failure — the difference between "the workflow never ran the step" and "the step keeps failing".
 */
export async function workflowState(app: INestApplication, workflowId: string) {
  const client = await app.get(TemporalClientService).client();
  const d = await client.workflow.getHandle(workflowId).describe();
  return {
    status: d.status.name,
    historyLength: d.historyLength,
    pendingActivities: (d.raw.pendingActivities ?? []).map((a) => ({
      type: a.activityType?.name,
      state: a.state,
      attempt: a.attempt,
      lastFailure: a.lastFailure?.message,
      lastStarted: a.lastStartedTime?.seconds?.toString(),
      worker: a.lastWorkerIdentity,
    })),
  };
}
