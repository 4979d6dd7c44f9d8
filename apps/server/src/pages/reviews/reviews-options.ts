import { Injectable } from '@nestjs/common';
import type { Actor } from '../../audit/actor';
import { OrgsService } from '../../orgs/orgs.service';
import { OrgKind, Role } from '../../prisma/client';
import { branchSecretary } from '../../reviews/rubric';
import { PrismaService } from '../../prisma/prisma.service';
import type { FormulaSettings } from '../../reviews/formula/formula';

export interface BranchChoice {
  id: string;
  name: string;
  depth: number;
  /** The branch's current 支部书记 (names, when several hold the post). */
  secretary: string;
}

export interface EvaluatorChoice {
  personId: string;
  name: string;
}

/** The choices the 述职评议 form offers, and what the rater's sheet shows beside the service's answer. */
@Injectable()
export class ReviewFormOptions {
  constructor(
    private readonly prisma: PrismaService,
    private readonly orgs: OrgsService,
  ) {}

  /** The branches under the committee the actor can see, each with its current 支部书记; the committee's 评议人. */
  async load(actor: Actor): Promise<{ branches: BranchChoice[]; evaluators: EvaluatorChoice[] }> {
    const orgs = (await this.orgs.list(actor)).filter((o) => o.kind !== OrgKind.COMMITTEE && o.id !== actor.orgId);
    const [secretaries, evaluators] = await Promise.all([
      this.prisma.membership.findMany({
        where: { orgId: { in: orgs.map((o) => o.id) }, role: Role.BRANCH_SECRETARY, active: true, person: { active: true } },
        select: { orgId: true, role: true, post: true, person: { select: { name: true } } },
      }),
      this.prisma.membership.findMany({
        where: { orgId: actor.orgId, role: Role.EVALUATOR, active: true, person: { active: true } },
        select: { personId: true, person: { select: { name: true } } },
        orderBy: { person: { name: 'asc' } },
      }),
    ]);
    const depth0 = Math.min(...orgs.map((o) => o.depth), Infinity);
    return {
      branches: orgs.map((o) => ({
        id: o.id,
        name: o.name,
        depth: o.depth - (Number.isFinite(depth0) ? depth0 : 0),
        secretary: branchSecretary(secretaries.filter((m) => m.orgId === o.id))?.person.name ?? '',
      })),
      evaluators: [...new Map(evaluators.map((m) => [m.personId, { personId: m.personId, name: m.person.name }])).values()],
    };
  }

  /**
   * The grade bounds of a round, for the rater's sheet (an item-by-item sheet says from how many points a line counts
   * as 好). Asked only after BallotsService.sheet has found the caller on the round's roster.
   */
  async thresholds(roundId: string): Promise<FormulaSettings['thresholds']> {
    const round = await this.prisma.reviewRound.findUnique({ where: { id: roundId }, select: { settings: true } });
    return ((round?.settings as unknown as FormulaSettings | null)?.thresholds ?? []).map((t) => ({ grade: t.grade, min: t.min }));
  }
}
