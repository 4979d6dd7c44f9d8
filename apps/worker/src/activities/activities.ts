import type { DirectiveFlowService } from '../../../server/src/directives/directive-flow.service';
import type { PrismaService } from '../../../server/src/prisma/prisma.service';
import { createDirectiveActivities } from './directive-activities';
import { createFilingActivities } from './filing-activities';
import { createAccountabilityActivities } from './accountability-activities';
import { createReviewActivities } from './review-activities';
import { createSpotCheckActivities } from './spot-check-activities';
import { createCommendationActivities } from './commendation-activities';
import type { CommendationFlowService } from '../../../server/src/commendations/commendation-flow.service';
import type { ReviewFlowService } from '../../../server/src/reviews/review-flow.service';
import type { SpotCheckFlowService } from '../../../server/src/spot-checks/spot-check-flow.service';
import type { FilingFlowService } from '../../../server/src/filings/filing-flow.service';
import type { AccountabilityFlowService } from '../../../server/src/accountability/accountability-flow.service';

export interface ActivityDeps {
  prisma: PrismaService;
  directives: DirectiveFlowService;
  filings: FilingFlowService;
  spotChecks: SpotCheckFlowService;
  reviews: ReviewFlowService;
  accountability: AccountabilityFlowService;
  commendations: CommendationFlowService;
}

/** Activities are a factory over injected Nest services; they call the same services as the controllers. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createDirectiveActivities(deps.directives),
    ...createFilingActivities(deps.filings),
    ...createSpotCheckActivities(deps.spotChecks),
    ...createReviewActivities(deps.reviews),
    ...createAccountabilityActivities(deps.accountability),
    ...createCommendationActivities(deps.commendations),
    async systemEcho(message: string, holdMs = 0): Promise<{ echo: string; organizations: number }> {
      if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
      const organizations = await deps.prisma.organization.count({ where: { active: true } });
      return { echo: `收到：${message}`, organizations };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
