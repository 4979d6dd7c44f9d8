import { BALLOT_KIND_LABELS, GRADE_LABELS, GRADE_ORDER, type GradeKey, type RaterGroupConfig, type RubricItem } from './formula/formula';
import { WORK_REPORT } from '../filings/forms';
import type { FormDefinition } from '../filings/forms';

/** A rubric item as the committee sets it: scored 0..max, with what each grade of work looks like on this item. */
export interface RubricItemDef extends RubricItem {
  /** What the work looks like at each grade (好 / 较好 / 一般 / 差), shown to raters beside the score. */
  anchors: Record<GradeKey, string>;
  /** The directive's measure this item checks (e.g. “班子引领行动”), when it checks one. */
  measure?: string | null;
}

/** Weights of the 日常考核 figures, each 0..100 and summing to 100. */
export interface DailyWeights {
  /** Share of the year's filings submitted by their deadline. */
  filingsOnTime: number;
  /** Share of the spot-check items checked that passed. */
  spotCheckPassRate: number;
  /** Share of the rectifications opened that were accepted as done. */
  rectificationsClosed: number;
}

export const DAILY_LABELS: Record<keyof DailyWeights, string> = {
  filingsOnTime: '按时填报率',
  spotCheckPassRate: '督查抽查合格率',
  rectificationsClosed: '整改销号率',
};

/**
 * The rubric most township schemes use for 抓党建述职评议 (five parts of 20 points), with the 七大行动 of
 * 大滩委发〔2017〕58号 where an item checks one of them. A starting point the committee edits per round.
 */
export const DEFAULT_RUBRIC: readonly RubricItemDef[] = [
  {
    key: 'duty',
    name: '履行第一责任人职责',
    weight: 20,
    max: 20,
    measure: '班子引领行动',
    anchors: {
      GOOD: '亲自研究部署党建工作，年度计划、问题清单、整改落实全部到位',
      FAIRLY_GOOD: '研究部署及时，个别环节落实不够',
      AVERAGE: '部署一般化，抓落实不够有力',
      POOR: '没有履行第一责任人职责，工作明显滞后',
    },
  },
  {
    key: 'organisation',
    name: '基层组织建设（三会一课、主题党日）',
    weight: 20,
    max: 20,
    measure: '筑牢堡垒行动',
    anchors: {
      GOOD: '组织生活规范，记录完整，党员参与率高',
      FAIRLY_GOOD: '组织生活基本规范，个别记录不全',
      AVERAGE: '组织生活不经常，记录缺失较多',
      POOR: '组织生活长期不开展',
    },
  },
  {
    key: 'development',
    name: '党建引领发展（产业、脱贫攻坚）',
    weight: 20,
    max: 20,
    measure: '产业惠民行动',
    anchors: {
      GOOD: '村集体经济和帮扶项目有明显成效',
      FAIRLY_GOOD: '有项目有进展，成效还不突出',
      AVERAGE: '项目推进缓慢',
      POOR: '没有可见的工作成效',
    },
  },
  {
    key: 'team',
    name: '党员队伍和人才建设',
    weight: 20,
    max: 20,
    measure: '人才集聚行动',
    anchors: {
      GOOD: '发展党员、后备力量培养计划落实，党员作用发挥好',
      FAIRLY_GOOD: '计划基本落实',
      AVERAGE: '培养发展工作推进不力',
      POOR: '队伍老化断层，无培养措施',
    },
  },
  {
    key: 'conduct',
    name: '作风建设和党风廉政',
    weight: 20,
    max: 20,
    measure: '乡村治理行动',
    anchors: {
      GOOD: '严守十不准，群众满意度高，无违纪问题',
      FAIRLY_GOOD: '作风较好，群众反映个别问题已整改',
      AVERAGE: '群众反映问题较多，整改不及时',
      POOR: '存在违纪违规问题或群众反映强烈',
    },
  },
];

/** 乡党委班子成员 score item by item; the two 代表 groups give a grade (民主评议表). */
export const DEFAULT_GROUPS: readonly RaterGroupConfig[] = [
  { key: 'committee', name: '乡党委班子成员', weight: 40, ballotKind: 'ITEMS' },
  { key: 'members', name: '党员代表', weight: 30, ballotKind: 'GRADE' },
  { key: 'public', name: '群众代表', weight: 30, ballotKind: 'GRADE' },
];

export const DEFAULT_DAILY_WEIGHTS: DailyWeights = { filingsOnTime: 40, spotCheckPassRate: 30, rectificationsClosed: 30 };

/** Problems with the daily weights, in plain words. */
export function dailyWeightProblems(w: DailyWeights): string[] {
  const values = Object.values(w);
  if (values.some((v) => !Number.isFinite(v) || v < 0 || v > 100)) return ['日常考核各项权重应在 0 到 100 之间'];
  const sum = values.reduce((a, b) => a + b, 0);
  return sum === 100 ? [] : [`日常考核各项权重之和应为 100，现为 ${sum}`];
}

/** Problems with the anchors: every item describes every grade. */
export function anchorProblems(items: readonly RubricItemDef[]): string[] {
  return items.flatMap((item) =>
    GRADE_ORDER.filter((g) => !item.anchors?.[g]?.trim()).map((g) => `考核项目“${item.name}”缺少“${GRADE_LABELS[g]}”一档的评分说明`),
  );
}

/**
 * The secretary reviewed for a branch: its 支部书记 — a 第一书记 (sent from outside, with a 支部书记 capacity too) only
 * when the branch has no other. Ordered by name, so the same person is chosen every time.
 */
export function branchSecretary<T extends { role: string; post: string | null; person: { name: string } }>(memberships: T[]): T | undefined {
  const secretaries = memberships.filter((m) => m.role === 'BRANCH_SECRETARY').sort((a, b) => a.person.name.localeCompare(b.person.name, 'zh-CN'));
  return secretaries.find((m) => !m.post?.includes('第一书记')) ?? secretaries[0];
}

/**
 * A rater group as a round keeps it. `self`: the 自评 group — no roster; each secretary grades themselves in the
 * 述职报告 (自评等次), and that grade is the group's one ballot for them (a GRADE ballot like any other).
 */
export type RoundGroup = RaterGroupConfig & { self?: boolean };

export const SELF_GROUP_LABEL = '书记自评（随述职报告评定等次）';

/** How a group scores, in words. */
export const groupKindLabel = (g: RoundGroup) => (g.self ? SELF_GROUP_LABEL : BALLOT_KIND_LABELS[g.ballotKind]);

/** The 述职报告 form of a round: with a required 自评等次 when the round has a 自评 group. */
export function workReportForm(selfAssessment: boolean): FormDefinition {
  if (!selfAssessment) return WORK_REPORT;
  return {
    ...WORK_REPORT,
    fields: [
      ...WORK_REPORT.fields,
      {
        key: 'selfGrade',
        label: '自评等次',
        type: 'singleChoice',
        required: true,
        options: GRADE_ORDER.map((g) => ({ value: g, label: GRADE_LABELS[g] })),
        help: '对照考核项目，对本人本年度抓党建工作评定等次。',
      },
    ],
  } as FormDefinition;
}
