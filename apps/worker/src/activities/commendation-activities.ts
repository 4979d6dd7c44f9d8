import type { CommendationFlowService } from '../../../server/src/commendations/commendation-flow.service';
import type { CommendationActivities } from '../../../../workflows/commendation/activities';

/** Activities of the 评选表扬 round workflow: thin calls into CommendationFlowService. */
export function createCommendationActivities(flow: CommendationFlowService): CommendationActivities {
  return {
    commendationAdvance: (roundId) => flow.advance(roundId),
  };
}
