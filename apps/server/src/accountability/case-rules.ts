import { DateTime } from 'luxon';
import { atLocalTime, shanghaiDay, ZONE, type WorkingCalendar } from '../calendar/working-calendar';
import { ADJUSTMENT_KINDS, ORG_MEASURES, PERSON_MEASURES, type MeasureKind } from './influence';

/** Case statuses in words (screens, 409 messages). */
export const CASE_STATUS_LABELS = {
  OPEN: '已立案',
  INVESTIGATING: '调查中',
  DEFENCE: '陈述申辩期',
  DELIBERATING: '待集体决定',
  EXECUTING: '执行中',
  CLOSED: '已结案',
  DISMISSED: '已撤案',
} as const;
export type CaseStatus = keyof typeof CASE_STATUS_LABELS;

/** A dismissed or closed case takes no step: the 409 says why. */
export function endedReason(c: { status: CaseStatus; closeReason: string | null }): string | null {
  if (c.status === 'DISMISSED') return `该问责案件已撤案（${c.closeReason ?? '未说明理由'}），不能再办理`;
  if (c.status === 'CLOSED') return `该问责案件已结案${c.closeReason ? `（${c.closeReason}）` : ''}，不能再办理`;
  return null;
}

export const TALK_KINDS = ['提醒谈话', '约谈', '诫勉谈话'] as const;
export const APPEAL_OUTCOMES = ['维持', '变更', '撤销'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

/** Settings with their defaults (working days unless named). */
export const CASE_SETTINGS = {
  /** 陈述申辩: the person concerned has this many working days (17:30 of the last). */
  defenceWorkdays: 5,
  /** 签收 of the decision within this many working days, else escalated. */
  serviceWorkdays: 3,
  /** 申诉 within one month of service; answered within one month. */
  appealMonths: 1,
  answerMonths: 1,
};

export interface Due {
  workdays?: number;
  months?: number;
}

/** What carrying out a measure asks, of whom and by when (问责条例: 组织调整 / 组织处理 within one month). */
export interface ExecutionStep {
  what: string;
  /** TARGET: the organisation (or the person) concerned files it; COMMITTEE: the case officer carries it out. */
  by: 'TARGET' | 'COMMITTEE';
  due: Due;
}

export function executionStep(kind: MeasureKind, detail: string | null, person: boolean): ExecutionStep {
  switch (kind) {
    case '组织调整':
      return { what: `落实组织调整（${detail ?? ''}）并报备`, by: 'COMMITTEE', due: { months: 1 } };
    case '诫勉':
      return { what: '进行诫勉谈话并将诫勉材料归入本人档案', by: 'COMMITTEE', due: { workdays: 10 } };
    case '通报':
      return person ? { what: '提交书面检查', by: 'TARGET', due: { workdays: 10 } } : { what: '报送整改报告', by: 'TARGET', due: { workdays: 20 } };
    case '检查':
      return { what: '提交书面检查', by: 'TARGET', due: { workdays: 10 } };
    case '改组':
      return { what: '完成领导班子改组并报备', by: 'COMMITTEE', due: { months: 1 } };
    case '移送纪律审查':
      return { what: '将问题线索移送纪检机关', by: 'COMMITTEE', due: { workdays: 5 } };
  }
}

/** Checks one measure against the target: which measures fit a person or an organisation, the kind of 组织调整. */
export function measureProblem(kind: string, detail: string | undefined, person: boolean): string | null {
  const allowed: readonly string[] = person ? PERSON_MEASURES : ORG_MEASURES;
  if (!allowed.includes(kind))
    return person
      ? `对个人的问责方式只能是${PERSON_MEASURES.join('、')}，不能是“${kind}”`
      : `对党组织的问责方式只能是${ORG_MEASURES.join('、')}，不能是“${kind}”`;
  if (kind === '组织调整' && !(ADJUSTMENT_KINDS as readonly string[]).includes(detail ?? '')) return `组织调整须选明方式：${ADJUSTMENT_KINDS.join('、')}`;
  return null;
}

/**
 * The instants of a case's schedule. Working days come from the calendar (17:30 of the last day); months are calendar
 * months, ending at 23:59:59 of the same day of the month. In a drill every working day is `drill` seconds and a month
 * three of them, so a test watches a month pass.
 */
export class CaseClock {
  constructor(
    private readonly cal: WorkingCalendar,
    private readonly drill?: number,
  ) {}

  after(from: Date, due: Due): Date {
    if (this.drill) return new Date(from.getTime() + ((due.workdays ?? 0) + (due.months ?? 0) * 3) * this.drill * 1000);
    if (due.months) return DateTime.fromJSDate(from, { zone: ZONE }).plus({ months: due.months }).endOf('day').set({ millisecond: 0 }).toJSDate();
    return this.cal.deadlineAfter(from, due.workdays ?? 0, '17:30');
  }

  /** The defence reminder: 09:00 of the last working day (a drill: one step before). */
  reminderBefore(deadline: Date): Date {
    if (this.drill) return new Date(deadline.getTime() - this.drill * 1000);
    return atLocalTime(shanghaiDay(deadline), '09:00');
  }
}

/** The target of a proposal or a case, as a grouping key: the person if one is named, else the organisation. */
export const targetKey = (t: { orgId: string; personId: string | null }) => (t.personId ? `person:${t.personId}` : `org:${t.orgId}`);

/** Proposals grouped by target, oldest first within a group, groups in order of their oldest proposal. */
export function groupProposals<P extends { orgId: string; personId: string | null; createdAt: Date }>(proposals: P[]): { key: string; proposals: P[] }[] {
  const groups = new Map<string, P[]>();
  for (const p of [...proposals].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const k = targetKey(p);
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  return [...groups].map(([key, list]) => ({ key, proposals: list }));
}

export const shanghaiText = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat('yyyy年M月d日 HH:mm');
export const dayText = (day: string) => DateTime.fromISO(day).toFormat('yyyy年M月d日');
export const today = () => DateTime.now().setZone(ZONE).toISODate() as string;
