// Messages of a 评选表扬 round (lifecycle 5). Only @temporalio/workflow may be imported here.
import { defineSignal } from '@temporalio/workflow';

export interface CommendationRoundInput {
  roundId: string;
}

/**
 * A step of the round was recorded (approval, a notice issued, an objection filed or resolved, the decision, a
 * cancellation): the workflow reads where the round stands and what falls due next.
 */
export const commendationMovedSignal = defineSignal('commendationMoved');

export const commendationRoundWorkflowId = (roundId: string) => `commendation-${roundId}`;
