import type { Bar } from '../accountability/influence';
import { BARS } from '../accountability/influence';
import type { FieldError } from '../common/errors/domain-error';
import { GRADE_LABELS, type GradeKey } from '../reviews/formula/formula';
import type { CommendationRound, CommendationRoundStatus, NomineeStatus } from '../prisma/client';

/** A category of a round: 优秀第一书记 × 3, for people holding a post, or 十强支部 × 10, for branches. */
export interface CategoryConfig {
  key: string;
  name: string;
  quota: number;
  target: 'PERSON' | 'ORG';
  /** For PERSON categories: the post nominees must hold (e.g. 第一书记), matched against their membership's post. */
  post?: string | null;
}

/** A place the decision left empty: the nominee excluded at its re-check, nobody eligible left to take it. */
export interface Vacancy {
  categoryKey: string;
  nomineeId: string;
  reason: string;
  recordedOn: string;
  /** What freed the place: an upheld objection during the 公示, or the eligibility re-check (the default). */
  cause?: 'objection' | 'recheck';
}

export type RoundRow = Omit<CommendationRound, 'vacancies'> & { categories: CategoryConfig[]; vacancies: Vacancy[] };
export const typed = (r: CommendationRound): RoundRow => ({ ...r, vacancies: (r.vacancies ?? []) as unknown as Vacancy[] }) as RoundRow;

export const GRADE_ORDER: readonly GradeKey[] = ['GOOD', 'FAIRLY_GOOD', 'AVERAGE', 'POOR'];
export const DEFAULT_MIN_GRADE: GradeKey = 'FAIRLY_GOOD';
export const DEFAULT_NOTICE_WORKDAYS = 5;

export const ROUND_STATUS_LABELS: Record<CommendationRoundStatus, string> = {
  DRAFT: '草稿',
  NOMINATING: '推荐中',
  SELECTING: '推荐已截止，待审定',
  NOTICE: '公示中',
  DECIDED: '已发文表扬',
  CANCELLED: '已撤销',
};

export const NOMINEE_STATUS_LABELS: Record<NomineeStatus, string> = {
  NOMINATED: '已推荐',
  APPROVED: '党委审定拟表扬',
  NOTICE: '公示中',
  RESERVE: '未进入名额',
  REMOVED: '异议成立，已取消',
  INELIGIBLE: '不符合条件',
  COMMENDED: '已表扬',
};

/** Checks a round's categories and settings; every problem in plain words. */
export function parseCategories(input: { key: string; name: string; quota: number; target: string; post?: string | null }[]): {
  categories: CategoryConfig[];
  problems: FieldError[];
} {
  const problems: FieldError[] = [];
  const keys = new Set<string>();
  const categories: CategoryConfig[] = [];
  for (const c of input) {
    const name = c.name.trim();
    if (keys.has(c.key)) problems.push({ field: 'categories', message: `类别“${name}”的代号与其他类别重复` });
    keys.add(c.key);
    if (c.target !== 'PERSON' && c.target !== 'ORG') problems.push({ field: 'categories', message: `类别“${name}”的表扬对象只能是个人或支部` });
    categories.push({ key: c.key, name, quota: c.quota, target: c.target === 'ORG' ? 'ORG' : 'PERSON', post: c.post?.trim() || null });
  }
  return { categories, problems };
}

export function parseLocalBars(input: string[] | undefined): { bars: Bar[]; problems: FieldError[] } {
  const bars: Bar[] = [];
  const problems: FieldError[] = [];
  for (const b of input ?? []) {
    if (!(BARS as readonly string[]).includes(b))
      problems.push({ field: 'localBars', message: `附加限制“${b}”不是问责影响期中的限制（评优、最高等次、提拔、调离）` });
    else if (!bars.includes(b as Bar)) bars.push(b as Bar);
  }
  return { bars, problems };
}

export const gradeLabel = (g: string) => GRADE_LABELS[g as GradeKey] ?? g;
/** True when `grade` is at least `min` (好 ≥ 较好 ≥ 一般 ≥ 差). */
export const gradeAtLeast = (grade: string, min: string) => GRADE_ORDER.indexOf(grade as GradeKey) <= GRADE_ORDER.indexOf(min as GradeKey);
