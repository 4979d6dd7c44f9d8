import { DateTime } from 'luxon';
import { DomainError } from '../common/errors/domain-error';
import { GRADE_ORDER, type GradeKey } from '../reviews/formula/formula';

/** The year the overview shows when none is asked for: this year in Asia/Shanghai. */
export const thisYear = (now = new Date()) => DateTime.fromJSDate(now).setZone('Asia/Shanghai').year;

/** `?year=`: four digits between 2000 and 2100, or this year when absent; anything else a 400 naming 年度. */
export function parseYear(raw: unknown, now = new Date()): number {
  if (raw === undefined || raw === '') return thisYear(now);
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string' || !/^\d{4}$/.test(text.trim()) || Number(text) < 2000 || Number(text) > 2100)
    throw DomainError.validation([
      { field: 'year', message: `年度应为 2000 至 2100 之间的四位年份（如 ${thisYear(now)}），现为“${String(text).slice(0, 20)}”` },
    ]);
  return Number(text);
}

/** The committee table's columns that sort, with their Chinese headers. */
export const SORT_KEYS = {
  name: '支部',
  onTimeRate: '按时报送率',
  late: '逾期报送',
  missing: '未报送',
  passRate: '抽查合格率',
  failed: '抽查不合格',
  rectOpen: '未完成整改',
  grade: '述职评议等次',
  commendations: '表扬',
  cases: '问责案件',
  measures: '问责措施',
} as const;
export type SortKey = keyof typeof SORT_KEYS;

export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

/** `?sort=&dir=`: a column of the table and a direction; unknown ones a 400 naming 排序列 / 排序方向. */
export function parseSort(sort: unknown, dir: unknown): Sort {
  const key = sort === undefined || sort === '' ? 'name' : sort;
  if (typeof key !== 'string' || !Object.hasOwn(SORT_KEYS, key))
    throw DomainError.validation([{ field: 'sort', message: `排序列应为：${Object.values(SORT_KEYS).join('、')}之一` }]);
  const d = dir === undefined || dir === '' ? 'asc' : dir;
  if (d !== 'asc' && d !== 'desc') throw DomainError.validation([{ field: 'dir', message: '排序方向应为升序或降序' }]);
  return { key: key as SortKey, dir: d };
}

/** A grade's place for sorting: 好 first (0) … 差 (3), none last (4). */
export const gradeRank = (g: string | null | undefined) => {
  const i = GRADE_ORDER.indexOf(g as GradeKey);
  return i < 0 ? GRADE_ORDER.length : i;
};

/** good / total × 100 with 2 decimals; null when there is nothing to count. */
export const rate = (good: number, total: number) => (total ? Math.round((good / total) * 10000) / 100 : null);

/**
 * Sorts rows by a column; rows without a value (no filings due, no grade) always go last, ties by the branch's own
 * order and then its name, so the order is the same on every load.
 */
/** One collator for every comparison (String#localeCompare with a locale builds one per call: slow over 1,000 rows). */
const zh = new Intl.Collator('zh-CN');

export function sortRows<T extends { name: string; sortOrder: number }>(rows: T[], sort: Sort, value: (row: T, key: SortKey) => number | string | null): T[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const byOrder = (a: T, b: T) => a.sortOrder - b.sortOrder || zh.compare(a.name, b.name);
  return [...rows].sort((a, b) => {
    const va = value(a, sort.key);
    const vb = value(b, sort.key);
    if (va === null && vb === null) return byOrder(a, b);
    if (va === null) return 1;
    if (vb === null) return -1;
    const c = typeof va === 'string' && typeof vb === 'string' ? zh.compare(va, vb) : (va as number) - (vb as number);
    return c ? sign * c : byOrder(a, b);
  });
}
