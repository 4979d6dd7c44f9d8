import type { SpotCheckFlowService } from '../../../server/src/spot-checks/spot-check-flow.service';
import type { SpotCheckActivities } from '../../../../workflows/spot-check/activities';

/** Activities of the spot-check round workflow: thin calls into SpotCheckFlowService. */
export function createSpotCheckActivities(flow: SpotCheckFlowService): SpotCheckActivities {
  return {
    spotCheckSchedule: (roundId: string) => flow.schedule(roundId),
    spotCheckWindowEnded: (roundId: string) => flow.windowEnded(roundId),
  };
}
