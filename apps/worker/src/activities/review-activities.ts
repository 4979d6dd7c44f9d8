import type { ReviewFlowService } from '../../../server/src/reviews/review-flow.service';
import type { ReviewActivities } from '../../../../workflows/review/activities';

/** Activities of the 述职评议 round workflow: thin calls into ReviewFlowService. */
export function createReviewActivities(flow: ReviewFlowService): ReviewActivities {
  return {
    reviewSchedule: (roundId) => flow.schedule(roundId),
    reviewOpenScoring: (roundId) => flow.openScoring(roundId),
    reviewRemindRaters: (roundId, at) => flow.remindRaters(roundId, at),
    reviewClose: (roundId) => flow.close(roundId),
  };
}
