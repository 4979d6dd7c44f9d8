import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma/prisma.service';
import { DailyAssessmentService, type DailyFigure } from '../reviews/daily-assessment';
import { DEFAULT_DAILY_WEIGHTS } from '../reviews/rubric';
import { gradeLabel } from './commendation-config';
import { EligibilityService } from './eligibility';

/** What the record says about a nominee, each figure with links to the records behind it. */
export interface NomineeRecord {
  year: number;
  /** Filings on time, spot-check items passed, rectifications closed: the organisation's year (日常考核's figures). */
  figures: Pick<DailyFigure, 'key' | 'label' | 'good' | 'total' | 'rate' | 'evidence'>[];
  review: { roundId: string; title: string; grade: string; gradeLabel: string; href: string } | null;
  commendations: { id: string; year: number; title: string; docNumber: string; href: string }[];
}

/** The evidence shown beside each nominee, read from the records of lifecycles 2–5 (never typed by the nominator). */
@Injectable()
export class NomineeRecordService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly daily: DailyAssessmentService,
    private readonly eligibility: EligibilityService,
  ) {}

  async of(target: { personId: string | null; orgId: string }, year: number, now = new Date()): Promise<NomineeRecord> {
    const assessment = (await this.daily.forOrgs([target.orgId], year, DEFAULT_DAILY_WEIGHTS, now)).get(target.orgId);
    const review = await this.eligibility.latestGrade({ ...target, year }, now);
    const earlier = await this.prisma.commendation.findMany({
      where: target.personId ? { personId: target.personId } : { orgId: target.orgId, personId: null },
      orderBy: [{ year: 'desc' }, { createdAt: 'desc' }],
    });
    return {
      year,
      figures: (assessment?.figures ?? []).map((f) => ({ key: f.key, label: f.label, good: f.good, total: f.total, rate: f.rate, evidence: f.evidence })),
      review: review ? { ...review, gradeLabel: gradeLabel(review.grade), href: `/reviews/${review.roundId}` } : null,
      commendations: earlier.map((c) => ({ id: c.id, year: c.year, title: c.title, docNumber: c.docNumber, href: `/documents/${c.documentId}` })),
    };
  }
}
