import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { DomainError } from '../common/errors/domain-error';
import { PrismaService } from '../prisma/prisma.service';
import { DailyAssessmentService } from './daily-assessment';
import { BALLOT_KIND_LABELS, DEFAULT_SETTINGS, FORMULA_LABEL, FORMULA_VERSION, GRADE_LABELS } from './formula/formula';
import { ReviewResultsService, type FrozenResults } from './review-results';
import { resultsWorkbook } from './results-workbook';
import { DAILY_LABELS, DEFAULT_DAILY_WEIGHTS, DEFAULT_GROUPS, DEFAULT_RUBRIC } from './rubric';
import { ReviewsService, type RoundRow } from './reviews.service';

const safeName = (s: string) => s.replace(/[\\/:*?"<>|]/g, '_');

/** What the committee reads of a round: the defaults for a new one, 日常考核 with its evidence, the results and exports. */
@Injectable()
export class ReviewReportsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly reviews: ReviewsService,
    private readonly daily_: DailyAssessmentService,
    private readonly results_: ReviewResultsService,
  ) {}

  defaults() {
    return {
      formula: { version: FORMULA_VERSION, label: FORMULA_LABEL },
      items: DEFAULT_RUBRIC,
      groups: DEFAULT_GROUPS,
      settings: DEFAULT_SETTINGS,
      dailyWeights: DEFAULT_DAILY_WEIGHTS,
      labels: { grades: GRADE_LABELS, ballotKinds: BALLOT_KIND_LABELS, daily: DAILY_LABELS },
    };
  }

  async daily(actor: Actor, id: string) {
    const round = await this.reviews.round(actor, id);
    const subjects = await this.prisma.reviewSubject.findMany({ where: { roundId: id }, orderBy: { sortOrder: 'asc' }, select: { orgId: true } });
    const byOrg = await this.daily_.forOrgs(
      subjects.map((s) => s.orgId),
      round.year,
      round.dailyWeights,
    );
    return { year: round.year, weights: round.dailyWeights, orgs: [...byOrg.values()] };
  }

  private closed(round: RoundRow): FrozenResults {
    if (round.status !== 'CLOSED' && round.status !== 'PUBLISHED')
      throw DomainError.conflict('评分尚未结束：结果在评分结束后才能查看，评分期间任何人都看不到得分');
    return round.results as unknown as FrozenResults;
  }

  async results(actor: Actor, id: string) {
    const round = await this.reviews.round(actor, id);
    return this.closed(round);
  }

  async xlsx(actor: Actor, id: string) {
    const round = await this.reviews.round(actor, id);
    const bytes = await resultsWorkbook(round, this.closed(round));
    return { bytes, filename: safeName(`${round.title} 结果.xlsx`) };
  }

  async exportFile(actor: Actor, id: string) {
    const round = await this.reviews.round(actor, id);
    this.closed(round);
    return { file: await this.results_.exportFile(round), filename: safeName(`${round.title} 选票.json`) };
  }
}
