import { isUUID } from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import { Role } from '../prisma/client';
import { PEOPLE_SORTS, PeopleFilter, PeopleSort } from './people.service';

const text = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

/**
 * The people list's query (page and API): orgId (组织), role (角色), q (搜索), includeInactive ("1" or "true").
 * An empty value is no filter; a wrong one is a Chinese 400 naming the filter.
 */
export function peopleFilter(query: Record<string, unknown>): PeopleFilter {
  const orgId = text(query.orgId).trim();
  const role = text(query.role).trim();
  const q = text(query.q).trim();
  const problems: { field: string; message: string }[] = [];
  if (orgId && !isUUID(orgId)) problems.push({ field: 'orgId', message: '组织选择有误，请从列表中选择' });
  if (role && !Object.hasOwn(Role, role)) problems.push({ field: 'role', message: '角色选择有误，请从列表中选择' });
  if (q.length > 100) problems.push({ field: 'q', message: '搜索词不能超过 100 个字' });
  if (/\p{Cc}/u.test(q)) problems.push({ field: 'q', message: '搜索词不能含有换行或其他控制字符' });
  if (problems.length) throw DomainError.validation(problems, '筛选条件有误');
  const inactive = text(query.includeInactive);
  return {
    ...(orgId ? { orgId } : {}),
    ...(role ? { role: role as Role } : {}),
    ...(q ? { q } : {}),
    includeInactive: inactive === '1' || inactive === 'true',
  };
}

/** sort=name|username|org|post and dir=desc; anything else is the default order (username). */
export function peopleSort(query: Record<string, unknown>): { by: PeopleSort; desc: boolean } {
  const by = text(query.sort);
  return { by: (PEOPLE_SORTS as readonly string[]).includes(by) ? (by as PeopleSort) : 'username', desc: text(query.dir) === 'desc' };
}
