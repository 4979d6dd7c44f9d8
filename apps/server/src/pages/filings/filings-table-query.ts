import type { FieldError } from '../../common/errors/domain-error';
import { searchProblem } from '../list-search';

/**
 * The committee's 填报情况 table (issue 17, point 8): searched by 支部 name (q), one status chip (show) and sorted by a
 * column (sort, dir) — all in the query, so the page works without script and every link keeps the others.
 */

/** The status chips: the label, and which rows each keeps. */
export const SUMMARY_FILTERS: { value: string; label: string; test: (r: { status: string; late: boolean }) => boolean }[] = [
  { value: '', label: '全部', test: () => true },
  { value: 'open', label: '未报', test: (r) => r.status === 'OPEN' },
  { value: 'submitted', label: '待审核', test: (r) => r.status === 'SUBMITTED' },
  { value: 'returned', label: '退回修改', test: (r) => r.status === 'RETURNED' },
  { value: 'accepted', label: '已通过', test: (r) => r.status === 'ACCEPTED' },
  { value: 'overdue', label: '逾期', test: (r) => r.late },
];

/** The columns that sort, with their headers; 支部 (the branches' own order) when none is asked for. */
export const SUMMARY_SORTS = { org: '支部', status: '状态', deadline: '期限', submitted: '提交时间' } as const;
export type SummarySort = keyof typeof SUMMARY_SORTS;

export interface SummaryQuery {
  q: string;
  show: string;
  sort: { by: SummarySort; desc: boolean };
}

const KEYS = ['q', 'show', 'sort', 'dir'] as const;
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '');

/**
 * The table's query. A wrong value is a problem naming the field in Chinese (the page answers 400 with it) and that
 * part falls back to its default, so the page still shows the branches.
 */
export function summaryQuery(query: Record<string, unknown>): SummaryQuery & { problems: FieldError[] } {
  const problems: FieldError[] = [];
  let q = text(query.q);
  const bad = searchProblem(q);
  if (bad) {
    problems.push(bad);
    q = '';
  }
  let show = text(query.show);
  if (!SUMMARY_FILTERS.some((f) => f.value === show)) {
    problems.push({ field: 'show', message: `状态筛选应为：${SUMMARY_FILTERS.map((f) => f.label).join('、')}之一` });
    show = '';
  }
  let by = text(query.sort) || 'org';
  if (!Object.hasOwn(SUMMARY_SORTS, by)) {
    problems.push({ field: 'sort', message: `排序列应为：${Object.values(SUMMARY_SORTS).join('、')}之一` });
    by = 'org';
  }
  const dir = text(query.dir);
  if (dir && dir !== 'asc' && dir !== 'desc') problems.push({ field: 'dir', message: '排序方向应为升序或降序' });
  return { q, show, sort: { by: by as SummarySort, desc: dir === 'desc' }, problems };
}

/** "q=…&show=…" of the table's own parameters, `over` replacing some (empty removes); the default sort left out. */
export function summaryParams(from: SummaryQuery, over: Partial<Record<(typeof KEYS)[number], string>> = {}): string {
  const own: Record<(typeof KEYS)[number], string> = {
    q: from.q,
    show: from.show,
    sort: from.sort.by === 'org' && !from.sort.desc ? '' : from.sort.by,
    dir: from.sort.desc ? 'desc' : '',
  };
  const out = new URLSearchParams();
  for (const k of KEYS) {
    const v = k in over ? over[k] : own[k];
    if (v) out.set(k, v);
  }
  return out.toString();
}

/** A filing's status in the order the work goes: 待填报, 退回修改, 待审核, 已通过, 已关闭. */
const STATUS_RANK: Record<string, number> = { OPEN: 0, RETURNED: 1, SUBMITTED: 2, ACCEPTED: 3, CLOSED: 4 };

/**
 * The rows (already in the branches' own order) sorted by a column; ties keep that order, and a branch that has not
 * submitted goes last by 提交时间 either way. A new array; one pass of the sort, no lookups per row.
 */
export function sortSummary<T extends { status: string; deadlineAt: Date; submittedAt: Date | null }>(
  rows: T[],
  sort: { by: SummarySort; desc: boolean },
): T[] {
  const sign = sort.desc ? -1 : 1;
  if (sort.by === 'org') return sort.desc ? [...rows].reverse() : [...rows];
  const value = (r: T): number | null =>
    sort.by === 'status' ? (STATUS_RANK[r.status] ?? 9) : sort.by === 'deadline' ? r.deadlineAt.getTime() : (r.submittedAt?.getTime() ?? null);
  // Array#sort is stable: equal values stay in the branches' order.
  return rows
    .map((r, i) => ({ r, i, v: value(r) }))
    .sort((a, b) => {
      if (a.v === b.v) return a.i - b.i;
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      return sign * (a.v - b.v) || a.i - b.i;
    })
    .map((x) => x.r);
}
