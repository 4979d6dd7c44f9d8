import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { UNTIL_DONE } from '../shared/retry';
import type { AccountabilityActivities, CaseProgress } from './activities';
import { caseMovedSignal, type AccountabilityCaseInput } from './accountability.definitions';

const acts = proxyActivities<AccountabilityActivities>({ startToCloseTimeout: '2 minutes', retry: UNTIL_DONE });

/**
 * One accountability case from its opening to its close. People's steps are recorded by the server (each in one
 * transaction with its audit record) and signalled here; the workflow owns the time: it sleeps until the next instant
 * the case's schedule names (computed by the activity on the working-day calendar) or until a step moves the case,
 * then lets the activity do what has fallen due. Ends when the case is closed or dismissed.
 */
export async function accountabilityCaseWorkflow(input: AccountabilityCaseInput): Promise<'CLOSED' | 'DISMISSED'> {
  const moved = { value: false };
  setHandler(caseMovedSignal, () => {
    moved.value = true;
  });
  for (;;) {
    moved.value = false;
    const p: CaseProgress = await acts.caseAdvance(input.caseId);
    if (p.status === 'CLOSED' || p.status === 'DISMISSED') return p.status;
    if (moved.value) continue;
    // A case can stay open for a year (appeal, execution): start afresh before the history grows long. The state is
    // in the database, so the new run simply asks the activity again.
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 5000) await continueAsNew<typeof accountabilityCaseWorkflow>(input);
    if (p.nextAt === null) await condition(() => moved.value);
    else await condition(() => moved.value, Math.max(1, Date.parse(p.nextAt) - Date.now()));
  }
}
