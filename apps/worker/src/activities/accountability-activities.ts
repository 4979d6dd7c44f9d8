import type { AccountabilityFlowService } from '../../../server/src/accountability/accountability-flow.service';
import type { AccountabilityActivities } from '../../../../workflows/accountability/activities';

/** Activities of the accountability case workflow: thin calls into AccountabilityFlowService. */
export function createAccountabilityActivities(flow: AccountabilityFlowService): AccountabilityActivities {
  return {
    caseAdvance: (caseId) => flow.advance(caseId),
  };
}
