/**
 * 述职评议计分公式 第 1 版: from anonymous ballots, rater-group weights and the 日常考核 score to a total, a grade and a
 * rank per secretary. Pure: no Nest, no database, no I/O, so the server, the ballot page and the `aggregate` CLI all run
 * the same code, and a round exported to a file can be recounted by anyone.
 *
 * All arithmetic is exact: every number is taken at the decimal value it is written with (8.5 is 17/2, not the nearest
 * binary double) and kept as a fraction until the total is rounded, half up, to 2 decimals. Shuffling the ballots or
 * reordering groups therefore never moves a total by 0.01, and 89.995 rounds to 90.00 as a person would round it.
 */

export const FORMULA_VERSION = 1 as const;
export const FORMULA_LABEL = '述职评议计分公式 第 1 版';

export type GradeKey = 'GOOD' | 'FAIRLY_GOOD' | 'AVERAGE' | 'POOR';
/** From the top grade down. */
export const GRADE_ORDER: readonly GradeKey[] = ['GOOD', 'FAIRLY_GOOD', 'AVERAGE', 'POOR'];
export const GRADE_LABELS: Record<GradeKey, string> = { GOOD: '好', FAIRLY_GOOD: '较好', AVERAGE: '一般', POOR: '差' };

/** A rubric item scored 0..max on an ITEMS ballot; the weights of all items sum to 100. */
export interface RubricItem {
  key: string;
  name: string;
  weight: number;
  max: number;
}

export type BallotKind = 'ITEMS' | 'GRADE';
export const BALLOT_KIND_LABELS: Record<BallotKind, string> = { ITEMS: '逐项打分', GRADE: '评定等次' };

/** A rater group (上级党委班子成员, 党员代表, 群众代表 …); the weights of all groups sum to 100. */
export interface RaterGroupConfig {
  key: string;
  name: string;
  weight: number;
  ballotKind: BallotKind;
}

export interface FormulaSettings {
  /** Drop one highest and one lowest ballot when a group has at least this many valid ballots for a subject. */
  trimAtLeast: number;
  /** A group's mean is shown only from this many valid ballots on (it counts in the total either way). */
  minBallotsToShow: number;
  /** Points of a GRADE ballot. */
  gradePoints: Record<GradeKey, number>;
  /** Lower bounds of the grades, highest first; a total below all of them gets the lowest grade (差). */
  thresholds: { grade: GradeKey; min: number }[];
  /** Percent of the total that comes from 日常考核 (0..100); the ballots give the rest. */
  dailyWeight: number;
  /** Per rater: at most this percent of the people they score may get the top grade (see topGradeCap). */
  topGradeCapPercent: number;
}

export const DEFAULT_SETTINGS: FormulaSettings = deepFreeze({
  trimAtLeast: 5,
  minBallotsToShow: 3,
  gradePoints: { GOOD: 100, FAIRLY_GOOD: 80, AVERAGE: 60, POOR: 40 },
  thresholds: [
    { grade: 'GOOD', min: 90 },
    { grade: 'FAIRLY_GOOD', min: 80 },
    { grade: 'AVERAGE', min: 60 },
  ],
  dailyWeight: 30,
  topGradeCapPercent: 20,
});

/** No rater id: ballots are anonymous. A GRADE group's ballots carry `grade`, an ITEMS group's carry `items`. */
export interface Ballot {
  groupKey: string;
  subjectId: string;
  abstain?: boolean;
  grade?: GradeKey;
  items?: Record<string, number>;
}

export interface Subject {
  subjectId: string;
  name: string;
  orgName?: string;
  /** 日常考核 0..100; null = no record (the total then comes from the ballots alone). */
  daily: number | null;
  /** Why this person cannot be graded 好 this year (诫勉, 组织调整), e.g. '2026年受到诫勉'; null or absent = no bar. */
  topGradeBar?: string | null;
}

export interface FormulaInput {
  settings: FormulaSettings;
  items: RubricItem[];
  groups: RaterGroupConfig[];
  subjects: Subject[];
  ballots: Ballot[];
}

export interface ItemMean {
  key: string;
  name: string;
  /** Plain mean of the item's scores (0..max, no trimming), 2 decimals; null when hidden or no ITEMS ballots. */
  mean: number | null;
}

export interface GroupResult {
  key: string;
  name: string;
  weight: number;
  ballotKind: BallotKind;
  valid: number;
  abstentions: number;
  trimmed: boolean;
  /** 2 decimals; null when the group has no valid ballots or is not shown (fewer than minBallotsToShow). */
  mean: number | null;
  shown: boolean;
  /** Per rubric item, for ITEMS groups; empty for GRADE groups. */
  items: ItemMean[];
}

export interface SubjectResult {
  subjectId: string;
  name: string;
  orgName: string | null;
  /** In the order of the configured groups. */
  groups: GroupResult[];
  /** Per rubric item over all ITEMS ballots of all groups (a plain mean, not weighted by group). */
  items: ItemMean[];
  /** Keys of the groups without valid ballots: they do not count (never as zero). */
  missingGroups: string[];
  /** Weighted mean of the group means, 2 decimals; null when no group has valid ballots. */
  ballotPart: number | null;
  daily: number | null;
  /** False when there is no 日常考核 record (its weight then goes to the ballots) or no valid ballots. */
  dailyCounted: boolean;
  /** 2 decimals, half up; null = 无有效票. */
  total: number | null;
  grade: GradeKey | null;
  /** 'GOOD' when the grade was lowered by topGradeBar. */
  cappedFrom: GradeKey | null;
  capReason: string | null;
  /** Competition ranking (1, 2, 2, 4) by total; null when there is no total. */
  rank: number | null;
  /** The other subjects with the same (rounded) total. */
  tiedWith: string[];
}

export interface AggregateResult {
  version: typeof FORMULA_VERSION;
  results: SubjectResult[];
}

/** The input cannot be counted; `problems` lists every reason in Chinese. */
export class FormulaInputError extends Error {
  constructor(readonly problems: string[]) {
    const shown = problems.slice(0, 20).join('；');
    super(problems.length > 20 ? `${shown}……共 ${problems.length} 处问题` : shown);
    this.name = 'FormulaInputError';
  }
}

/**
 * How many of the people one rater scores may get the top grade: floor(count × percent / 100), but at least 1 when
 * there is anyone to score — otherwise a rater scoring fewer than 5 people (20 %) could never give 好 at all.
 */
export function topGradeCap(subjectCount: number, percent: number): number {
  if (!Number.isSafeInteger(subjectCount) || subjectCount < 0) throw new FormulaInputError([`评议人数应为非负整数，现为 ${subjectCount}`]);
  if (!isNumberIn(percent, 0, 100)) throw new FormulaInputError([`“好”等次比例上限应为 0 到 100 之间的数，现为 ${percent}`]);
  if (subjectCount === 0) return 0;
  const cap = Number(floor(div(mul(exact(subjectCount), exact(percent)), exact(100))));
  return Math.max(1, cap);
}

/** Everything wrong with the rubric, the groups and the settings, in plain Chinese; empty when usable. */
export function validateConfig(items: RubricItem[], groups: RaterGroupConfig[], settings: FormulaSettings): string[] {
  const problems: string[] = [];
  const say = (m: string) => problems.push(m);

  const usesItems = groups.some((g) => g.ballotKind === 'ITEMS');
  if (usesItems && items.length === 0) say('有评分组逐项打分，但没有评分细则');
  checkWeighted(items, '评分细则', say, (item, label) => {
    if (!isNumber(item.max) || item.max <= 0) say(`${label}的满分应大于 0，现为 ${show(item.max)}`);
  });

  if (groups.length === 0) say('至少要有一个评分组');
  checkWeighted(groups, '评分组', say, (group, label) => {
    if (!Object.hasOwn(BALLOT_KIND_LABELS, group.ballotKind)) say(`${label}的计票方式应为“逐项打分”或“评定等次”，现为 ${show(group.ballotKind)}`);
  });

  const s = settings;
  if (!Number.isSafeInteger(s.trimAtLeast) || s.trimAtLeast < 3) say(`去掉最高分和最低分所需的最少有效票数应为不小于 3 的整数，现为 ${show(s.trimAtLeast)}`);
  if (!Number.isSafeInteger(s.minBallotsToShow) || s.minBallotsToShow < 1)
    say(`显示某组平均分所需的最少有效票数应为不小于 1 的整数，现为 ${show(s.minBallotsToShow)}`);
  if (!isNumberIn(s.dailyWeight, 0, 100)) say(`日常考核所占比例应为 0 到 100 之间的数，现为 ${show(s.dailyWeight)}`);
  if (!isNumberIn(s.topGradeCapPercent, 0, 100)) say(`“好”等次比例上限应为 0 到 100 之间的数，现为 ${show(s.topGradeCapPercent)}`);

  const points = s.gradePoints ?? ({} as Record<GradeKey, number>);
  GRADE_ORDER.forEach((g, i) => {
    if (!isNumberIn(points[g], 0, 100)) say(`等次“${GRADE_LABELS[g]}”的折算分应为 0 到 100 之间的数，现为 ${show(points[g])}`);
    else if (i > 0 && isNumber(points[GRADE_ORDER[i - 1]]) && points[g] > points[GRADE_ORDER[i - 1]])
      say(`等次“${GRADE_LABELS[g]}”的折算分（${show(points[g])}）不应高于“${GRADE_LABELS[GRADE_ORDER[i - 1]]}”（${show(points[GRADE_ORDER[i - 1]])}）`);
  });

  const thresholds = s.thresholds ?? [];
  if (thresholds.length === 0) say('至少要有一条分数线（如“好”90 分）');
  thresholds.forEach((t, i) => {
    const label = GRADE_ORDER.includes(t.grade) ? `“${GRADE_LABELS[t.grade]}”的分数线` : `第 ${i + 1} 条分数线`;
    if (!GRADE_ORDER.includes(t.grade)) say(`${label}的等次应为好、较好、一般或差，现为 ${show(t.grade)}`);
    if (!isNumberIn(t.min, 0, 100)) say(`${label}应为 0 到 100 之间的数，现为 ${show(t.min)}`);
    const prev = thresholds[i - 1];
    if (prev && GRADE_ORDER.includes(t.grade) && GRADE_ORDER.includes(prev.grade) && isNumber(t.min) && isNumber(prev.min)) {
      if (GRADE_ORDER.indexOf(t.grade) <= GRADE_ORDER.indexOf(prev.grade) || t.min >= prev.min)
        say(
          `分数线应按等次从高到低、分数从高到低排列：“${GRADE_LABELS[t.grade]}”（${show(t.min)}）排在了“${GRADE_LABELS[prev.grade]}”（${show(prev.min)}）之后`,
        );
    }
  });
  return problems;
}

/** Every reason `aggregate` would refuse the input (configuration, subjects, ballots); empty when it can be counted. */
export function checkInput(input: FormulaInput): string[] {
  const problems = validateConfig(input.items, input.groups, input.settings);
  const say = (m: string) => problems.push(m);

  const subjectIds = new Map<string, number>();
  input.subjects.forEach((subject, i) => {
    const label = `第 ${i + 1} 位评议对象${isText(subject.name) ? `（${subject.name}）` : ''}`;
    if (!isText(subject.subjectId)) say(`${label}缺少编号`);
    else if (subjectIds.has(subject.subjectId)) say(`${label}的编号（${subject.subjectId}）与第 ${subjectIds.get(subject.subjectId)! + 1} 位重复`);
    else subjectIds.set(subject.subjectId, i);
    if (!isText(subject.name)) say(`${label}缺少姓名`);
    if (subject.daily !== null && !isNumberIn(subject.daily, 0, 100))
      say(`${label}的“日常考核”应为 0 到 100 之间的数，没有记录时为空，现为 ${show(subject.daily)}`);
    const bar = subject.topGradeBar;
    if (bar !== undefined && bar !== null && typeof bar !== 'string') say(`${label}的不得评为“好”的原因应为文字`);
  });

  const groups = new Map(input.groups.map((g) => [g.key, g]));
  input.ballots.forEach((ballot, i) => {
    const label = `第 ${i + 1} 张选票`;
    const group = groups.get(ballot.groupKey);
    if (!group) say(`${label}的“评分组”（${ballot.groupKey ?? '空'}）未在评分组中定义`);
    if (!subjectIds.has(ballot.subjectId)) say(`${label}的“评议对象”（${ballot.subjectId ?? '空'}）不在评议对象名单中`);
    if (group) problems.push(...ballotProblems(ballot, label, group.ballotKind, input.items, group.name));
  });
  return problems;
}

/**
 * The points of one valid ballot, 0..100: a GRADE ballot's grade converted by gradePoints, an ITEMS ballot's
 * Σ score ÷ max × weight over the rubric. Throws FormulaInputError for an abstention or an incomplete ballot.
 */
export function ballotPoints(ballot: Ballot, items: RubricItem[], settings: FormulaSettings): number {
  const kind: BallotKind = ballot.grade !== undefined ? 'GRADE' : 'ITEMS';
  const problems = ballotProblems(ballot, '选票', kind, items);
  if (ballot.abstain) problems.unshift('弃权票没有得分');
  if (problems.length) throw new FormulaInputError(problems);
  return toNumber(pointsOf(ballot, kind, items, settings));
}

/** Counts every subject; throws FormulaInputError (with all problems) when checkInput finds any. */
export function aggregate(input: FormulaInput): AggregateResult {
  const problems = checkInput(input);
  if (problems.length) throw new FormulaInputError(problems);
  const { settings, items, groups } = input;

  const tallies = new Map<string, Map<string, Tally>>();
  for (const s of input.subjects) tallies.set(s.subjectId, new Map(groups.map((g) => [g.key, { points: [], abstentions: 0, itemScores: new Map() }])));
  for (const ballot of input.ballots) {
    const tally = tallies.get(ballot.subjectId)!.get(ballot.groupKey)!;
    if (ballot.abstain) {
      tally.abstentions++;
      continue;
    }
    const kind = groups.find((g) => g.key === ballot.groupKey)!.ballotKind;
    tally.points.push(pointsOf(ballot, kind, items, settings));
    if (kind === 'ITEMS') for (const item of items) pushTo(tally.itemScores, item.key, exact(ballot.items![item.key]));
  }

  const thresholds = [...settings.thresholds].sort((a, b) => cmp(exact(b.min), exact(a.min)));
  const counted = input.subjects.map((subject) => countSubject(subject, tallies.get(subject.subjectId)!, input, thresholds));
  return { version: FORMULA_VERSION, results: rank(counted) };
}

// ——— counting ———

interface Tally {
  points: Q[];
  abstentions: number;
  itemScores: Map<string, Q[]>;
}

interface Counted {
  result: SubjectResult;
  /** The rounded total in hundredths, for ranking. */
  hundredths: bigint | null;
}

function countSubject(subject: Subject, tallies: Map<string, Tally>, input: FormulaInput, thresholds: FormulaSettings['thresholds']): Counted {
  const { settings, items, groups } = input;
  const allItemScores = new Map<string, Q[]>();
  let weightSum = ZERO;
  let weighted = ZERO;
  const missingGroups: string[] = [];

  const groupResults = groups.map((group): GroupResult => {
    const tally = tallies.get(group.key)!;
    const n = tally.points.length;
    const trimmed = n >= settings.trimAtLeast;
    const kept = trimmed ? [...tally.points].sort(cmp).slice(1, -1) : tally.points;
    const mean = n > 0 ? div(sum(kept), exact(kept.length)) : null;
    const shown = n > 0 && n >= settings.minBallotsToShow;
    if (mean) {
      weightSum = add(weightSum, exact(group.weight));
      weighted = add(weighted, mul(exact(group.weight), mean));
    } else missingGroups.push(group.key);
    for (const [key, scores] of tally.itemScores) for (const score of scores) pushTo(allItemScores, key, score);
    return {
      key: group.key,
      name: group.name,
      weight: group.weight,
      ballotKind: group.ballotKind,
      valid: n,
      abstentions: tally.abstentions,
      trimmed,
      mean: shown && mean ? round2(mean) : null,
      shown,
      items: group.ballotKind === 'ITEMS' ? itemMeans(items, tally.itemScores, shown ? 1 : Infinity) : [],
    };
  });

  const ballotPart = missingGroups.length < groups.length ? div(weighted, weightSum) : null;
  const dailyCounted = ballotPart !== null && subject.daily !== null;
  let total: Q | null = ballotPart;
  if (ballotPart && subject.daily !== null) {
    const dw = exact(settings.dailyWeight);
    total = div(add(mul(ballotPart, sub(exact(100), dw)), mul(exact(subject.daily), dw)), exact(100));
  }
  const hundredths = total && roundHundredths(total);

  let grade: GradeKey | null = null;
  let cappedFrom: GradeKey | null = null;
  let capReason: string | null = null;
  if (hundredths !== null) {
    const rounded = q(hundredths, 100n);
    grade = thresholds.find((t) => cmp(rounded, exact(t.min)) >= 0)?.grade ?? GRADE_ORDER[GRADE_ORDER.length - 1];
    const bar = subject.topGradeBar?.trim();
    if (grade === GRADE_ORDER[0] && bar) {
      cappedFrom = grade;
      capReason = bar;
      grade = GRADE_ORDER[1];
    }
  }

  return {
    hundredths,
    result: {
      subjectId: subject.subjectId,
      name: subject.name,
      orgName: subject.orgName ?? null,
      groups: groupResults,
      items: itemMeans(items, allItemScores, settings.minBallotsToShow),
      missingGroups,
      ballotPart: ballotPart && round2(ballotPart),
      daily: subject.daily,
      dailyCounted,
      total: hundredths === null ? null : Number(hundredths) / 100,
      grade,
      cappedFrom,
      capReason,
      rank: null,
      tiedWith: [],
    },
  };
}

/** Plain means of the item scores (no trimming); null below `minCount` scores. */
function itemMeans(items: RubricItem[], scores: Map<string, Q[]>, minCount: number): ItemMean[] {
  return items.map((item) => {
    const list = scores.get(item.key) ?? [];
    return { key: item.key, name: item.name, mean: list.length > 0 && list.length >= minCount ? round2(div(sum(list), exact(list.length))) : null };
  });
}

/** Competition ranking (1, 2, 2, 4) on the rounded totals; unranked subjects last; then by name. */
function rank(counted: Counted[]): SubjectResult[] {
  const totals = counted.map((c) => c.hundredths).filter((h): h is bigint => h !== null);
  for (const c of counted) {
    if (c.hundredths === null) continue;
    c.result.rank = 1 + totals.filter((t) => t > c.hundredths!).length;
  }
  const byName = (a: SubjectResult, b: SubjectResult) =>
    a.name.localeCompare(b.name, 'zh-Hans-CN') || (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0);
  const sorted = [...counted].sort((a, b) => (a.result.rank ?? Infinity) - (b.result.rank ?? Infinity) || byName(a.result, b.result));
  for (const c of sorted) {
    if (c.hundredths === null) continue;
    c.result.tiedWith = sorted.filter((o) => o !== c && o.hundredths === c.hundredths).map((o) => o.result.subjectId);
  }
  return sorted.map((c) => c.result);
}

function pointsOf(ballot: Ballot, kind: BallotKind, items: RubricItem[], settings: FormulaSettings): Q {
  if (kind === 'GRADE') return exact(settings.gradePoints[ballot.grade!]);
  return sum(items.map((item) => div(mul(exact(ballot.items![item.key]), exact(item.weight)), exact(item.max))));
}

/** What is wrong with one non-abstaining ballot for a group of the given kind. */
function ballotProblems(ballot: Ballot, label: string, kind: BallotKind, items: RubricItem[], groupName?: string): string[] {
  const problems: string[] = [];
  const say = (m: string) => problems.push(m);
  if (ballot.abstain !== undefined && typeof ballot.abstain !== 'boolean') say(`${label}的“弃权”应为是或否`);
  const hasItems = ballot.items !== undefined && ballot.items !== null && Object.keys(ballot.items).length > 0;
  if (ballot.abstain) {
    if (ballot.grade !== undefined || hasItems) say(`${label}是弃权票，却带有等次或得分`);
    return problems;
  }
  const forGroup = groupName ? `（评分组“${groupName}”${BALLOT_KIND_LABELS[kind]}）` : '';
  if (kind === 'GRADE') {
    if (hasItems) say(`${label}不应有各项得分${forGroup}`);
    if (ballot.grade === undefined) say(`${label}缺少等次${forGroup}`);
    else if (!GRADE_ORDER.includes(ballot.grade)) say(`${label}的等次应为好、较好、一般或差，现为 ${show(ballot.grade)}`);
    return problems;
  }
  if (ballot.grade !== undefined) say(`${label}不应评定等次${forGroup}`);
  if (typeof ballot.items !== 'object' || ballot.items === null) {
    say(`${label}缺少各项得分${forGroup}`);
    return problems;
  }
  const scores = ballot.items;
  for (const item of items) {
    const score = scores[item.key];
    if (score === undefined || score === null) say(`${label}缺少“${item.name}”一项的得分`);
    else if (!isNumberIn(score, 0, item.max)) say(`${label}的“${item.name}”得分应在 0 到 ${show(item.max)} 之间，现为 ${show(score)}`);
  }
  const unknown = Object.keys(scores).filter((k) => !items.some((item) => item.key === k));
  if (unknown.length) say(`${label}有评分细则中没有的项（${unknown.join('、')}）`);
  return problems;
}

function checkWeighted<T extends { key: string; name: string; weight: number }>(
  list: T[],
  what: string,
  say: (m: string) => void,
  more: (entry: T, label: string) => void,
): void {
  const seen = new Map<string, number>();
  let total = ZERO;
  list.forEach((entry, i) => {
    const label = isText(entry.name) ? `${what}“${entry.name}”` : `第 ${i + 1} 个${what}`;
    if (!isText(entry.name)) say(`${label}缺少名称`);
    if (!isText(entry.key)) say(`${label}缺少代码`);
    else if (seen.has(entry.key)) say(`${label}的代码（${entry.key}）与第 ${seen.get(entry.key)! + 1} 个${what}重复`);
    else seen.set(entry.key, i);
    if (!isNumber(entry.weight) || entry.weight <= 0) say(`${label}的权重应大于 0，现为 ${show(entry.weight)}`);
    else total = add(total, exact(entry.weight));
    more(entry, label);
  });
  if (list.length > 0 && list.every((e) => isNumber(e.weight) && e.weight > 0) && cmp(total, exact(100)) !== 0)
    say(`${what}权重之和应为 100，现为 ${toNumber(total)}`);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumberIn = (v: unknown, min: number, max: number): v is number => isNumber(v) && v >= min && v <= max;
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const show = (v: unknown): string => (v === undefined ? '空' : typeof v === 'string' ? `“${v}”` : String(v));

// ——— exact fractions ———

/** n / d with d > 0, in lowest terms. */
interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function q(n: bigint, d = 1n): Q {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

const ZERO = q(0n);
const add = (a: Q, b: Q): Q => q(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Q, b: Q): Q => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
const sum = (xs: Q[]): Q => xs.reduce(add, ZERO);
const toNumber = (a: Q): number => Number(a.n) / Number(a.d);

function cmp(a: Q, b: Q): number {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
}

function floor(a: Q): bigint {
  const t = a.n / a.d;
  return a.n < 0n && t * a.d !== a.n ? t - 1n : t;
}

/** Half up: floor(a × 100 + ½). */
const roundHundredths = (a: Q): bigint => floor(q(a.n * 200n + a.d, a.d * 2n));
const round2 = (a: Q): number => Number(roundHundredths(a)) / 100;

/** The decimal value a number is written with: 0.1 → 1/10, 8.5 → 17/2, 1e-7 → 1/10000000. */
function exact(x: number): Q {
  let known = exactCache.get(x);
  if (known) return known;
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(String(x));
  if (!m) throw new FormulaInputError([`无法计算的数值：${x}`]);
  const digits = BigInt(m[2] + (m[3] ?? ''));
  const exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  const n = m[1] ? -digits : digits;
  known = exp >= 0 ? q(n * 10n ** BigInt(exp)) : q(n, 10n ** BigInt(-exp));
  if (exactCache.size < 100_000) exactCache.set(x, known);
  return known;
}
/** Scores, weights and grade points repeat on every ballot. */
const exactCache = new Map<number, Q>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
