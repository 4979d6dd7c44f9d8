import { DateTime } from 'luxon';
import type { AccountabilityMeasure } from '../prisma/client';

/**
 * Influence periods of accountability measures (问责条例 and local rules): what a measure bars, from its effective
 * day until when. Lifecycle 4 (the top-grade cap of 述职评议) and lifecycle 5 (评优 eligibility) read these records
 * through the functions below, never the measure kinds themselves.
 */
export type Bar = '评优' | '最高等次' | '提拔' | '调离';
export const BARS: readonly Bar[] = ['评优', '最高等次', '提拔', '调离'];

/** One bar of a measure: inclusive, from the measure's effective day to `until` (YYYY-MM-DD). */
export interface BarRecord {
  bar: Bar;
  until: string;
}

export type MeasureKind = '通报' | '诫勉' | '组织调整' | '检查' | '改组' | '移送纪律审查';
export const PERSON_MEASURES: readonly MeasureKind[] = ['通报', '诫勉', '组织调整', '移送纪律审查'];
export const ORG_MEASURES: readonly MeasureKind[] = ['检查', '通报', '改组'];
export const ADJUSTMENT_KINDS = ['停职检查', '调整职务', '责令辞职', '降职', '免职'] as const;

/** Settings with their defaults (rules-4-6.md: "practice" numbers are settings, never constants). */
export interface InfluenceRules {
  /** 诫勉: no promotion for this many months (问责条例 / 干部任用条例: 六个月). */
  admonitionPromotionMonths: number;
  /** 组织调整: no promotion and no transfer out for this many years (seed 000 item 2: 五年内不得提拔任用、不得调离原单位). */
  adjustmentBarYears: number;
}
export const DEFAULT_INFLUENCE_RULES: InfluenceRules = { admonitionPromotionMonths: 6, adjustmentBarYears: 5 };

const yearEnd = (day: string) => `${day.slice(0, 4)}-12-31`;
const plus = (day: string, d: { months?: number; years?: number }) => DateTime.fromISO(day).plus(d).minus({ days: 1 }).toISODate() as string;

/**
 * What a measure bars, by kind: any measure this year bars 评优 this year (rules-4-6: held accountable this year → no
 * 评优), a 诫勉 also while its period runs (an autumn 诫勉 still bars a spring round); 诫勉 and 组织调整 also bar the top grade of this year's review, and promotion for their period; 组织调整 bars
 * transfer out too. A referral to the discipline procedure bars nothing here (that procedure decides its own).
 */
export function barsFor(kind: string, effectiveOn: string, rules: InfluenceRules = DEFAULT_INFLUENCE_RULES): BarRecord[] {
  const end = yearEnd(effectiveOn);
  switch (kind) {
    case '通报':
    case '检查':
    case '改组':
      return [{ bar: '评优', until: end }];
    case '诫勉': {
      // Not under 诫勉 (rules-4-6): no 评优 for the rest of its year, and none while its period runs into the next.
      const period = plus(effectiveOn, { months: rules.admonitionPromotionMonths });
      return [
        { bar: '评优', until: period > end ? period : end },
        { bar: '最高等次', until: end },
        { bar: '提拔', until: period },
      ];
    }
    case '组织调整':
      return [
        { bar: '评优', until: end },
        { bar: '最高等次', until: end },
        { bar: '提拔', until: plus(effectiveOn, { years: rules.adjustmentBarYears }) },
        { bar: '调离', until: plus(effectiveOn, { years: rules.adjustmentBarYears }) },
      ];
    default:
      return [];
  }
}

/** The last day of any bar, or null when the measure bars nothing. */
export function influenceUntil(bars: BarRecord[]): string | null {
  return bars.reduce<string | null>((max, b) => (!max || b.until > max ? b.until : max), null);
}

type MeasureRow = Pick<AccountabilityMeasure, 'id' | 'orgId' | 'personId' | 'kind' | 'detail' | 'effectiveOn' | 'bars' | 'status' | 'caseId' | 'basis'>;

/** A measure's bars as recorded; a measure recorded before the case lifecycle (no bars) gets them from its kind. */
export function barsOf(m: Pick<MeasureRow, 'kind' | 'effectiveOn' | 'bars'>): BarRecord[] {
  const recorded = Array.isArray(m.bars) ? (m.bars as unknown as BarRecord[]) : [];
  return recorded.length ? recorded : barsFor(m.kind, m.effectiveOn);
}

/** True when the measure's `bar` covers some day of [from, to] (inclusive days). */
export function covers(m: Pick<MeasureRow, 'kind' | 'effectiveOn' | 'bars'>, bar: Bar, from: string, to = from): boolean {
  if (m.effectiveOn > to) return false;
  return barsOf(m).some((b) => b.bar === bar && b.until >= from);
}

/** A measure that bars something, in words people read: “2026年3月2日受到诫勉（至2026年12月31日不得评优）”. */
export function describeBar(m: Pick<MeasureRow, 'kind' | 'detail' | 'effectiveOn' | 'bars'>, bar?: Bar): string {
  const on = DateTime.fromISO(m.effectiveOn).toFormat('yyyy年M月d日');
  const what = `${on}受到${m.kind}${m.detail ? `（${m.detail}）` : ''}`;
  const b = bar ? barsOf(m).find((x) => x.bar === bar) : undefined;
  return b ? `${what}，${DateTime.fromISO(b.until).toFormat('yyyy年M月d日')}前不得${b.bar === '最高等次' ? '评定最高等次' : b.bar}` : what;
}

/** Who a bar is about: a person, or an organisation (its own measures: 检查、通报、改组). */
export type InfluenceTarget = { personId: string } | { orgId: string };

interface MeasureReader {
  accountabilityMeasure: { findMany(args: object): Promise<MeasureRow[]> };
}

const targetWhere = (t: InfluenceTarget) => ('personId' in t ? { personId: t.personId } : { orgId: t.orgId, personId: null });

/** The measures in force (not revoked or replaced on appeal) whose `bar` covers some day of [from, to]. */
export async function measuresBarring(db: MeasureReader, target: InfluenceTarget, bar: Bar, from: string, to = from): Promise<MeasureRow[]> {
  const rows = await db.accountabilityMeasure.findMany({
    where: { ...targetWhere(target), status: 'ACTIVE', effectiveOn: { lte: to } },
    orderBy: { effectiveOn: 'asc' },
  });
  return rows.filter((m) => covers(m, bar, from, to));
}

/** measuresBarring for many people at once (a review's roster), in effective order. */
export async function peopleBarred(db: MeasureReader, personIds: string[], bar: Bar, from: string, to = from): Promise<MeasureRow[]> {
  const rows = await db.accountabilityMeasure.findMany({
    where: { personId: { in: personIds }, status: 'ACTIVE', effectiveOn: { lte: to } },
    orderBy: { effectiveOn: 'asc' },
  });
  return rows.filter((m) => covers(m, bar, from, to));
}

/** The first measure barring `bar` on `day` (YYYY-MM-DD), or null: what lifecycles 4 and 5 ask. */
export async function barsOn(db: MeasureReader, target: InfluenceTarget, day: string, bar: Bar): Promise<MeasureRow | null> {
  return (await measuresBarring(db, target, bar, day))[0] ?? null;
}

/** Every measure in force on `day` with what it still bars then. */
export async function activeMeasures(db: MeasureReader, target: InfluenceTarget, day: string): Promise<(MeasureRow & { barring: BarRecord[] })[]> {
  const rows = await db.accountabilityMeasure.findMany({
    where: { ...targetWhere(target), status: 'ACTIVE', effectiveOn: { lte: day } },
    orderBy: { effectiveOn: 'asc' },
  });
  return rows.map((m) => ({ ...m, barring: barsOf(m).filter((b) => b.until >= day) })).filter((m) => m.barring.length);
}

/**
 * Lifecycle 5's check (评选表扬): may this person be commended on `day`? Not while a measure bars 评优 then; the
 * reasons name each measure.
 */
export async function commendationEligibility(db: MeasureReader, personId: string, day: string): Promise<{ eligible: boolean; reasons: string[] }> {
  const barring = await measuresBarring(db, { personId }, '评优', day);
  return { eligible: barring.length === 0, reasons: barring.map((m) => describeBar(m, '评优')) };
}
