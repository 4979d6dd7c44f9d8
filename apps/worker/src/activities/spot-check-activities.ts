import type { SpotCheckFlowService } from '../../../server/src/spot-checks/spot-check-flow.service';

/** Activities of the spot-check round workflow: thin calls into SpotCheckFlowService. */
export function createSpotCheckActivities(flow: SpotCheckFlowService) {
  return {
    spotCheckSchedule: (roundId: string) => flow.schedule(roundId),
    spotCheckWindowEnded: (roundId: string) => flow.windowEnded(roundId),
  };
}

export type SpotCheckActivities = ReturnType<typeof createSpotCheckActivities>;
