// Messages of a 述职评议 round (lifecycle 4). Only @temporalio/workflow may be imported here.
import { defineSignal } from '@temporalio/workflow';

export interface ReviewRoundInput {
  roundId: string;
}

/** Every rater on the roster has cast their sheet: close now rather than at the window's end. */
export const allVotedSignal = defineSignal('allVoted');
/** The committee cancelled the round (before it closed). */
export const cancelReviewSignal = defineSignal('cancelReview');

export const reviewRoundWorkflowId = (roundId: string) => `review-${roundId}`;
