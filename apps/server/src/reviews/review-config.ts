import { DomainError, type FieldError } from '../common/errors/domain-error';
import { DEFAULT_SETTINGS, GRADE_ORDER, validateConfig, type FormulaSettings, type GradeKey } from './formula/formula';
import {
  anchorProblems,
  dailyWeightProblems,
  DEFAULT_DAILY_WEIGHTS,
  DEFAULT_GROUPS,
  DEFAULT_RUBRIC,
  type DailyWeights,
  type RoundGroup,
  type RubricItemDef,
} from './rubric';

export interface ReviewConfig {
  items: RubricItemDef[];
  groups: RoundGroup[];
  settings: FormulaSettings;
  dailyWeights: DailyWeights;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN);
const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const KEY = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/**
 * The rubric, rater groups, formula settings and daily weights of a round, from what the committee sent (or the
 * defaults), checked as a whole: every problem in plain words, named by what the committee calls it.
 */
export function parseReviewConfig(input: {
  items?: unknown[];
  groups?: unknown[];
  settings?: Record<string, unknown>;
  dailyWeights?: Record<string, unknown>;
}): ReviewConfig {
  const problems: FieldError[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });

  const items: RubricItemDef[] = (input.items ?? (DEFAULT_RUBRIC as unknown[])).map((raw, i) => {
    const o = isObj(raw) ? raw : {};
    const name = text(o.name, 60) || `第 ${i + 1} 项`;
    const key = typeof o.key === 'string' && KEY.test(o.key) ? o.key : `item${i + 1}`;
    const anchors = isObj(o.anchors) ? o.anchors : {};
    if (!text(o.name, 60)) add('items', `第 ${i + 1} 个考核项目没有名称`);
    return {
      key,
      name,
      weight: num(o.weight),
      max: num(o.max),
      measure: text(o.measure, 60) || null,
      anchors: Object.fromEntries(GRADE_ORDER.map((g) => [g, text(anchors[g], 300)])) as Record<GradeKey, string>,
    };
  });
  if (!items.length) add('items', '至少设置一个考核项目');
  const keys = new Set<string>();
  for (const item of items) {
    if (keys.has(item.key)) add('items', `考核项目“${item.name}”与前面的项目重复`);
    keys.add(item.key);
  }
  for (const p of anchorProblems(items)) add('items', p);

  const groups: RoundGroup[] = (input.groups ?? (DEFAULT_GROUPS as unknown[])).map((raw, i) => {
    const o = isObj(raw) ? raw : {};
    const name = text(o.name, 40) || `第 ${i + 1} 组`;
    if (!text(o.name, 40)) add('groups', `第 ${i + 1} 个评分组没有名称`);
    // 自评: ballotKind SELF (the form's choice) or `self: true`; it is graded, in the 述职报告.
    const self = o.ballotKind === 'SELF' || o.self === true;
    const kind = self ? 'GRADE' : o.ballotKind === 'ITEMS' || o.ballotKind === 'GRADE' ? o.ballotKind : null;
    if (!kind) add('groups', `评分组“${name}”的评分方式只能是逐项打分、评定等次或书记自评`);
    const key = typeof o.key === 'string' && KEY.test(o.key) ? o.key : `group${i + 1}`;
    return { key, name, weight: num(o.weight), ballotKind: kind ?? 'GRADE', ...(self ? { self: true } : {}) };
  });
  if (!groups.length) add('groups', '至少设置一个评分组');
  if (groups.filter((g) => g.self).length > 1) add('groups', '书记自评只能设一个评分组');

  const s = input.settings ?? {};
  const points = isObj(s.gradePoints) ? s.gradePoints : {};
  const settings: FormulaSettings = {
    trimAtLeast: s.trimAtLeast === undefined ? DEFAULT_SETTINGS.trimAtLeast : num(s.trimAtLeast),
    minBallotsToShow: s.minBallotsToShow === undefined ? DEFAULT_SETTINGS.minBallotsToShow : num(s.minBallotsToShow),
    gradePoints: Object.fromEntries(GRADE_ORDER.map((g) => [g, points[g] === undefined ? DEFAULT_SETTINGS.gradePoints[g] : num(points[g])])) as Record<
      GradeKey,
      number
    >,
    thresholds: Array.isArray(s.thresholds)
      ? s.thresholds.map((t) => (isObj(t) ? { grade: t.grade as GradeKey, min: num(t.min) } : { grade: 'GOOD' as GradeKey, min: NaN }))
      : DEFAULT_SETTINGS.thresholds.map((t) => ({ ...t })),
    dailyWeight: s.dailyWeight === undefined ? DEFAULT_SETTINGS.dailyWeight : num(s.dailyWeight),
    topGradeCapPercent: s.topGradeCapPercent === undefined ? DEFAULT_SETTINGS.topGradeCapPercent : num(s.topGradeCapPercent),
  };
  if (!Number.isInteger(settings.minBallotsToShow) || settings.minBallotsToShow < 1 || settings.minBallotsToShow > 50)
    add('settings', '显示组平均分的最少票数应为 1 到 50 的整数');
  if (!(settings.topGradeCapPercent > 0 && settings.topGradeCapPercent <= 100)) add('settings', '“好”等次比例上限应在 1 到 100 之间');

  const d = input.dailyWeights ?? {};
  const dailyWeights: DailyWeights = {
    filingsOnTime: d.filingsOnTime === undefined ? DEFAULT_DAILY_WEIGHTS.filingsOnTime : num(d.filingsOnTime),
    spotCheckPassRate: d.spotCheckPassRate === undefined ? DEFAULT_DAILY_WEIGHTS.spotCheckPassRate : num(d.spotCheckPassRate),
    rectificationsClosed: d.rectificationsClosed === undefined ? DEFAULT_DAILY_WEIGHTS.rectificationsClosed : num(d.rectificationsClosed),
  };
  for (const p of dailyWeightProblems(dailyWeights)) add('dailyWeights', p);
  if (!problems.length) for (const p of validateConfig(items, groups.map(formulaGroup), settings)) add('settings', p);
  if (problems.length) throw DomainError.validation(problems, '考核设置有误');
  return { items, groups, settings, dailyWeights };
}

/** A group as the formula and the exported file know it (no 自评 flag: its ballots are ordinary GRADE ballots). */
export const formulaGroup = ({ key, name, weight, ballotKind }: RoundGroup) => ({ key, name, weight, ballotKind });
