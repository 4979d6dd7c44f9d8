import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { describeBar, measuresBarring, type Bar, type InfluenceTarget } from '../accountability/influence';
import { PrismaService } from '../prisma/prisma.service';
import type { SubjectResult } from '../reviews/formula/formula';
import { gradeAtLeast, gradeLabel } from './commendation-config';

/**
 * Party-discipline sanctions and their influence periods (rules-4-6, lifecycle 5): no 评优 while one runs. They are
 * dated records in the measures table like accountability measures (kind 警告 / 严重警告 / 撤销党内职务).
 */
export const SANCTION_MONTHS: Record<string, number> = { 警告: 12, 严重警告: 18, 撤销党内职务: 24 };
export type SanctionKind = '警告' | '严重警告' | '撤销党内职务';
export const SANCTION_KINDS = Object.keys(SANCTION_MONTHS) as SanctionKind[];

/** One rule that excludes a nominee, and the record that makes it apply. */
export interface EligibilityReason {
  rule: string;
  record: string;
  href: string | null;
}

export interface Eligibility {
  /** The day checked (YYYY-MM-DD, Asia/Shanghai). */
  day: string;
  /** 推荐 | 公示 | 决定 */
  stage: string;
  eligible: boolean;
  reasons: EligibilityReason[];
  /** What was looked at and did not exclude (e.g. no review grade on record). */
  notes: string[];
}

/** Who is checked, with the round's settings that apply. */
export interface EligibilityQuery {
  personId: string | null;
  orgId: string;
  year: number;
  minGrade: string;
  localBars: Bar[];
}

const cn = (day: string) => DateTime.fromISO(day).toFormat('yyyy年M月d日');
const lastDay = (from: string, months: number) => DateTime.fromISO(from).plus({ months }).minus({ days: 1 }).toISODate() as string;

/** The last day (inclusive, YYYY-MM-DD) of a sanction's influence period: effective 2026-03-10, 警告 → 2027-03-09. */
export const sanctionUntil = (kind: string, effectiveOn: string): string => lastDay(effectiveOn, SANCTION_MONTHS[kind]);
const CLOSED_CASE = ['CLOSED', 'DISMISSED'];

/**
 * 评选表扬 eligibility from the dated records, never from what someone typed: sanctions and accountability measures in
 * their influence period (accountability/influence.ts), held accountable this year, the latest review grade, an open
 * accountability case, and the committee's local bars. Checked at nomination, when the 公示 starts and at the decision.
 */
@Injectable()
export class EligibilityService {
  constructor(private readonly prisma: PrismaService) {}

  async check(q: EligibilityQuery, day: string, stage: string): Promise<Eligibility> {
    const target: InfluenceTarget = q.personId ? { personId: q.personId } : { orgId: q.orgId };
    const reasons: EligibilityReason[] = [];
    const notes: string[] = [];
    const caseHref = (caseId: string | null) => (caseId ? `/accountability/cases/${caseId}` : null);
    const whereTarget = q.personId ? { personId: q.personId } : { orgId: q.orgId, personId: null };

    // Party-discipline sanctions.
    const sanctions = await this.prisma.accountabilityMeasure.findMany({
      where: { ...whereTarget, status: 'ACTIVE', kind: { in: Object.keys(SANCTION_MONTHS) }, effectiveOn: { lte: day } },
      orderBy: { effectiveOn: 'asc' },
    });
    for (const s of sanctions) {
      const until = sanctionUntil(s.kind, s.effectiveOn);
      if (until >= day)
        reasons.push({
          rule: '党纪处分影响期内不得评优',
          record: `${cn(s.effectiveOn)}受到${s.kind}处分，影响期至${cn(until)}`,
          href: caseHref(s.caseId),
        });
    }

    // Accountability measures barring 评优 on the day (a registered sanction records its 评优 bar too: named once, above).
    const sanctionIds = new Set(sanctions.map((s) => s.id));
    const barring = (await measuresBarring(this.prisma, target, '评优', day)).filter((m) => !sanctionIds.has(m.id));
    for (const m of barring) reasons.push({ rule: '问责影响期内不得评优', record: describeBar(m, '评优'), href: caseHref(m.caseId) });

    // Held accountable this year (any measure in force that took effect this year), even when its recorded bars say less.
    const thisYear = await this.prisma.accountabilityMeasure.findMany({
      where: { ...whereTarget, status: 'ACTIVE', effectiveOn: { gte: `${q.year}-01-01`, lte: day < `${q.year}-12-31` ? day : `${q.year}-12-31` } },
      orderBy: { effectiveOn: 'asc' },
    });
    const listed = new Set([...barring.map((m) => m.id), ...sanctions.map((s) => s.id)]);
    for (const m of thisYear)
      if (!listed.has(m.id) && listed.add(m.id))
        reasons.push({
          rule: '本年度受到问责，本年度不得评优',
          record: `${cn(m.effectiveOn)}受到${m.kind}${m.detail ? `（${m.detail}）` : ''}`,
          href: caseHref(m.caseId),
        });

    // Local bars the committee added (e.g. seed 000: five years after 组织调整 — the 提拔 bar of the measure).
    for (const bar of q.localBars) {
      for (const m of await measuresBarring(this.prisma, target, bar, day)) {
        if (listed.has(m.id)) continue;
        listed.add(m.id);
        reasons.push({ rule: `本党委规定：“不得${bar}”的影响期内也不得评优`, record: describeBar(m, bar), href: caseHref(m.caseId) });
      }
    }

    // An accountability case still open.
    const endOfDay = DateTime.fromISO(day, { zone: 'Asia/Shanghai' }).plus({ days: 1 }).toJSDate();
    const cases = await this.prisma.accountabilityCase.findMany({
      where: {
        ...(q.personId ? { targetPersonId: q.personId } : { targetOrgId: q.orgId, targetPersonId: null }),
        status: { notIn: CLOSED_CASE as ('CLOSED' | 'DISMISSED')[] },
        createdAt: { lt: endOfDay },
      },
      orderBy: { createdAt: 'asc' },
    });
    for (const c of cases)
      reasons.push({
        rule: '有尚未办结的问责案件',
        record: `${c.title}（${DateTime.fromJSDate(c.createdAt).setZone('Asia/Shanghai').toFormat('yyyy年M月d日')}立案）`,
        href: caseHref(c.id),
      });

    // The latest review grade (this year's round, or last year's when this year's has not closed).
    const grade = await this.latestGrade(q, endOfDay);
    if (!grade) notes.push(`${q.year - 1}—${q.year}年度无述职评议等次记录，不作限制`);
    else if (!gradeAtLeast(grade.grade, q.minGrade))
      reasons.push({
        rule: `述职评议等次须为“${gradeLabel(q.minGrade)}”及以上`,
        record: `${grade.title}评定为“${gradeLabel(grade.grade)}”`,
        href: `/reviews/${grade.roundId}`,
      });
    else notes.push(`${grade.title}评定为“${gradeLabel(grade.grade)}”`);

    return { day, stage, eligible: reasons.length === 0, reasons, notes };
  }

  /** The grade of the most recent closed review round (this year or last) that reviewed the person (or the branch). */
  async latestGrade(q: Pick<EligibilityQuery, 'personId' | 'orgId' | 'year'>, before: Date): Promise<{ roundId: string; title: string; grade: string } | null> {
    const subjects = await this.prisma.reviewSubject.findMany({
      where: q.personId ? { personId: q.personId } : { orgId: q.orgId },
      select: { id: true, roundId: true },
    });
    if (!subjects.length) return null;
    const rounds = await this.prisma.reviewRound.findMany({
      where: {
        id: { in: subjects.map((s) => s.roundId) },
        status: { in: ['CLOSED', 'PUBLISHED'] },
        closedAt: { lt: before },
        year: { gte: q.year - 1, lte: q.year },
      },
      orderBy: [{ year: 'desc' }, { closedAt: 'desc' }],
    });
    for (const r of rounds) {
      const results = ((r.results as { results?: SubjectResult[] } | null)?.results ?? []) as SubjectResult[];
      const mine = results.find((x) => subjects.some((s) => s.id === x.subjectId && s.roundId === r.id));
      if (mine?.grade) return { roundId: r.id, title: r.title, grade: mine.grade };
    }
    return null;
  }
}
