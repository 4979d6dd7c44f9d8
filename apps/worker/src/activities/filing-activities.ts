import type { FilingFlowService } from '../../../server/src/filings/filing-flow.service';
import type { FilingActivities } from '../../../../workflows/filing/activities';

/** Activities of the filing workflow: thin calls into FilingFlowService. */
export function createFilingActivities(flow: FilingFlowService): FilingActivities {
  return {
    filingSchedule: (filingId: string) => flow.filingSchedule(filingId),
    recordSubmission: (a: { filingId: string; personId: string; values: Record<string, unknown> }) => flow.recordSubmission(a),
    recordReview: (a: { filingId: string; personId: string; decision: 'ACCEPT' | 'RETURN'; comment: string; newDeadline?: string }) => flow.recordReview(a),
    recordExtensionRequest: (a: { filingId: string; personId: string; until: string; reason: string }) => flow.recordExtensionRequest(a),
    recordExtensionDecision: (a: { filingId: string; personId: string; grant: boolean; comment: string }) => flow.recordExtensionDecision(a),
    remindFiling: (a: { filingId: string; at: string }) => flow.remindFiling(a),
    markFilingOverdue: (a: { filingId: string }) => flow.markFilingOverdue(a),
  };
}
