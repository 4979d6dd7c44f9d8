// Messages of a spot-check round (lifecycle 3). Only @temporalio/workflow may be imported here.
import { defineSignal } from '@temporalio/workflow';

export interface SpotCheckRoundInput {
  roundId: string;
}

export const closeRoundSignal = defineSignal('closeRound');

export const spotCheckRoundWorkflowId = (roundId: string) => `spotcheck-${roundId}`;
