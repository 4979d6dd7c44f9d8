import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { PrismaService } from '../prisma/prisma.service';
import { DAILY_LABELS, type DailyWeights } from './rubric';

/** One record behind a 日常考核 figure, so the page can link to it. */
export interface DailyEvidence {
  type: 'filing' | 'finding' | 'rectification';
  id: string;
  /** What it is, in the committee's words (the requirement's title, the checklist item, …). */
  label: string;
  /** Whether it counts for the branch (on time, passed, closed). */
  good: boolean;
  /** Where to see it, when there is a page for it. */
  href: string | null;
}

export interface DailyFigure {
  key: keyof DailyWeights;
  label: string;
  weight: number;
  good: number;
  total: number;
  /** good / total × 100, 2 decimals; null when there is nothing to count (the weight goes to the other figures). */
  rate: number | null;
  evidence: DailyEvidence[];
}

export interface DailyAssessment {
  orgId: string;
  year: number;
  figures: DailyFigure[];
  /** Weighted over the figures that have records; null when none has. */
  score: number | null;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The year's span in Asia/Shanghai. */
function yearSpan(year: number): { from: Date; to: Date } {
  const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: 'Asia/Shanghai' });
  return { from: from.toJSDate(), to: from.plus({ years: 1 }).toJSDate() };
}

/**
 * 日常考核: computed from the record of the year, never typed in. For each branch: the directives' filings whose
 * deadline fell in the year (or that were submitted in it), on time when the first version came by the deadline; the
 * spot-check items checked at the branch, passed or not; the rectifications opened for it, closed when accepted.
 */
@Injectable()
export class DailyAssessmentService {
  constructor(private readonly prisma: PrismaService) {}

  async forOrgs(orgIds: string[], year: number, weights: DailyWeights, now = new Date()): Promise<Map<string, DailyAssessment>> {
    const { from, to } = yearSpan(year);
    const [filings, findings, rectifications] = await Promise.all([
      this.prisma.filing.findMany({
        where: {
          orgId: { in: orgIds },
          deadlineAt: { gte: from, lt: to },
          status: { not: 'CLOSED' },
          requirement: { directiveId: { not: null } },
        },
        select: {
          id: true,
          orgId: true,
          deadlineAt: true,
          requirement: { select: { title: true } },
          versions: { where: { version: 1 }, select: { submittedAt: true } },
        },
      }),
      this.prisma.spotCheckFinding.findMany({
        where: { unit: { orgId: { in: orgIds } }, recordedAt: { gte: from, lt: to } },
        select: {
          id: true,
          roundId: true,
          itemKey: true,
          passed: true,
          unit: { select: { orgId: true, label: true } },
          round: { select: { title: true, checklist: true } },
        },
      }),
      this.prisma.rectification.findMany({
        where: { orgId: { in: orgIds }, createdAt: { gte: from, lt: to } },
        select: { id: true, orgId: true, filingId: true, requirementId: true },
      }),
    ]);
    const rectFilings = new Map(
      (
        await this.prisma.filing.findMany({
          where: { id: { in: rectifications.map((r) => r.filingId) } },
          select: { id: true, status: true, requirement: { select: { title: true } } },
        })
      ).map((f) => [f.id, f]),
    );

    const out = new Map<string, DailyAssessment>();
    for (const orgId of orgIds) {
      const filingEvidence: DailyEvidence[] = filings
        .filter((f) => f.orgId === orgId)
        // A filing not yet due and not yet submitted says nothing yet.
        .filter((f) => f.versions.length || f.deadlineAt <= now)
        .map((f) => ({
          type: 'filing',
          id: f.id,
          label: f.requirement.title,
          good: !!f.versions[0] && f.versions[0].submittedAt <= f.deadlineAt,
          href: `/filings/${f.id}`,
        }));
      const findingEvidence: DailyEvidence[] = findings
        .filter((f) => f.unit.orgId === orgId)
        .map((f) => {
          const item = (f.round.checklist as { key: string; text: string }[]).find((i) => i.key === f.itemKey);
          return { type: 'finding', id: f.id, label: `${f.round.title}：${item?.text ?? f.itemKey}`, good: f.passed, href: `/spot-checks/${f.roundId}` };
        });
      const rectEvidence: DailyEvidence[] = rectifications
        .filter((r) => r.orgId === orgId)
        .map((r) => {
          const filing = rectFilings.get(r.filingId);
          return {
            type: 'rectification',
            id: r.id,
            label: filing?.requirement.title ?? '整改',
            good: filing?.status === 'ACCEPTED',
            href: `/filings/${r.filingId}`,
          };
        });
      const figures: DailyFigure[] = (
        [
          ['filingsOnTime', filingEvidence],
          ['spotCheckPassRate', findingEvidence],
          ['rectificationsClosed', rectEvidence],
        ] as const
      ).map(([key, evidence]) => {
        const good = evidence.filter((e) => e.good).length;
        return {
          key,
          label: DAILY_LABELS[key],
          weight: weights[key],
          good,
          total: evidence.length,
          rate: evidence.length ? round2((good / evidence.length) * 100) : null,
          evidence,
        };
      });
      const counted = figures.filter((f) => f.rate !== null && f.weight > 0);
      const weight = counted.reduce((a, f) => a + f.weight, 0);
      // Exact enough: at most three figures, each a rate with 2 decimals; rounded once at the end.
      const score = weight ? round2(counted.reduce((a, f) => a + (f.rate as number) * f.weight, 0) / weight) : null;
      out.set(orgId, { orgId, year, figures, score });
    }
    return out;
  }
}
