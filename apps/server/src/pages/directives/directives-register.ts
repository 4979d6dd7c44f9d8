import { DIRECTIVE_STATUS_LABELS } from '../../directives/directive-status';
import { DomainError } from '../../common/errors/domain-error';
import { docNumberText } from '../../directives/doc-number-text';
import { DirectiveStatus, Prisma } from '../../prisma/client';
import type { PrismaService } from '../../prisma/prisma.service';

/**
 * 收发文台账: the directives list as a register, searched by 文号, 年度 and 关键词 (标题) and by status, sorted by a
 * column — all in the query, so the page works without script and its links keep the filters.
 */
export interface RegisterFilter {
  no?: string;
  year?: number;
  q?: string;
  status?: DirectiveStatus;
}
export const REGISTER_SORTS = { docNumber: '文号', title: '标题', issued: '发文日期', updated: '更新时间' } as const;
export type RegisterSort = keyof typeof REGISTER_SORTS;
const KEYS = ['no', 'year', 'q', 'status', 'sort', 'dir'] as const;
/** Rows shown at most; more asks for a narrower search. */
export const REGISTER_LIMIT = 200;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '');

/** The register's filters from the query; a wrong one is a Chinese 400 naming it. */
export function registerFilter(query: Record<string, unknown>): RegisterFilter {
  const no = text(query.no);
  const year = text(query.year);
  const q = text(query.q);
  const status = text(query.status);
  const problems: { field: string; message: string }[] = [];
  if (no.length > 40 || /\p{Cc}/u.test(no)) problems.push({ field: 'no', message: '文号最多 40 个字，不能含有换行' });
  if (year && !(/^\d{4}$/.test(year) && Number(year) >= 2000 && Number(year) <= 2100)) problems.push({ field: 'year', message: '年度须在 2000 至 2100 之间' });
  if (q.length > 100 || /\p{Cc}/u.test(q)) problems.push({ field: 'q', message: '关键词最多 100 个字，不能含有换行' });
  if (status && !Object.hasOwn(DIRECTIVE_STATUS_LABELS, status)) problems.push({ field: 'status', message: '状态选择有误，请从列表中选择' });
  if (problems.length) throw DomainError.validation(problems, '筛选条件有误');
  return {
    ...(no ? { no } : {}),
    ...(year ? { year: Number(year) } : {}),
    ...(q ? { q } : {}),
    ...(status ? { status: status as DirectiveStatus } : {}),
  };
}

export function registerSort(query: Record<string, unknown>): { by: RegisterSort; desc: boolean; given: boolean } {
  const by = text(query.sort);
  const given = Object.hasOwn(REGISTER_SORTS, by);
  // Default: the latest change first.
  return given ? { by: by as RegisterSort, desc: text(query.dir) === 'desc', given } : { by: 'updated', desc: true, given };
}

/** "q=…&year=…" of the register's own parameters, `over` replacing some (empty removes). */
export function registerQuery(from: Record<string, unknown>, over: Record<string, string> = {}): string {
  const out = new URLSearchParams();
  for (const k of KEYS) {
    const v = k in over ? over[k] : text(from[k]);
    if (v) out.set(k, v.slice(0, 200));
  }
  return out.toString();
}

/** The year's bounds in Asia/Shanghai (UTC+8, no daylight saving). */
function yearBounds(year: number): { gte: Date; lt: Date } {
  return { gte: new Date(Date.UTC(year, 0, 1) - 8 * 3600_000), lt: new Date(Date.UTC(year + 1, 0, 1) - 8 * 3600_000) };
}

export async function loadRegister(prisma: PrismaService, orgIds: string[], filter: RegisterFilter, sort: { by: RegisterSort; desc: boolean }) {
  const and: Prisma.DirectiveWhereInput[] = [{ orgId: { in: orgIds } }];
  if (filter.status) and.push({ status: filter.status });
  if (filter.q) and.push({ document: { title: { contains: filter.q, mode: 'insensitive' } } });
  if (filter.no) {
    // A bare number is the 序号 ("58" finds 〔2026〕58号, not 158号); anything else is part of the 文号.
    and.push(/^\d{1,6}$/.test(filter.no) ? { document: { serial: Number(filter.no) } } : { document: { docNumber: { contains: docNumberText(filter.no) } } });
  }
  // 年度: the year of the 文号; a directive without a number yet, the year it was drafted.
  if (filter.year) and.push({ OR: [{ document: { year: filter.year } }, { document: { year: null }, createdAt: yearBounds(filter.year) }] });
  const dir = sort.desc ? 'desc' : 'asc';
  const orderBy: Prisma.DirectiveOrderByWithRelationInput[] =
    sort.by === 'docNumber'
      ? [{ document: { year: { sort: dir, nulls: 'last' } } }, { document: { organCode: dir } }, { document: { serial: { sort: dir, nulls: 'last' } } }]
      : sort.by === 'title'
        ? [{ document: { title: dir } }]
        : sort.by === 'issued'
          ? [{ issuedAt: { sort: dir, nulls: 'last' } }]
          : [{ updatedAt: dir }];
  const rows = await prisma.directive.findMany({
    where: { AND: and },
    include: { document: { select: { title: true, docNumber: true } } },
    orderBy: [...orderBy, { createdAt: 'desc' }],
    take: REGISTER_LIMIT + 1,
  });
  return { rows: rows.slice(0, REGISTER_LIMIT), more: rows.length > REGISTER_LIMIT };
}

/** The column headers: each a link to its sort (the same column again turns the order round), keeping the filters. */
export function registerHeaders(query: Record<string, unknown>, sort: { by: RegisterSort; desc: boolean; given: boolean }) {
  return Object.fromEntries(
    (Object.keys(REGISTER_SORTS) as RegisterSort[]).map((k) => {
      const on = sort.by === k;
      const href = `/directives?${registerQuery(query, { sort: k, dir: on && !sort.desc ? 'desc' : '' })}`;
      return [k, { label: REGISTER_SORTS[k], href, mark: on ? (sort.desc ? '▼' : '▲') : '', aria: on ? (sort.desc ? 'descending' : 'ascending') : 'none' }];
    }),
  );
}
