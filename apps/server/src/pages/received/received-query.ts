import type { ReceivedFilter } from '../../directives/received-directives.service';
import { registerFilter } from '../directives/directives-register';

/**
 * 收文's search in its address (文号, 年度, 关键词), so the page works without script, a reload keeps the search, and
 * the directive opened from it links back to it (`?from=/received?…`).
 */
const KEYS = ['no', 'year', 'q'] as const;

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '');

/** The search from the query; a wrong value is a Chinese 400 naming it (the register's rules: 文号 40, 关键词 100 字). */
export function receivedFilter(query: Record<string, unknown>): ReceivedFilter {
  return registerFilter(Object.fromEntries(KEYS.map((k) => [k, text(query[k])])));
}

/** The 收文 address with the search's own values (nothing else is kept; control characters are dropped). */
export function receivedHref(query: Record<string, unknown>): string {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const v = text(query[k])
      .replace(/\p{Cc}/gu, '')
      .slice(0, 100);
    if (v) p.set(k, v);
  }
  const qs = p.toString();
  return qs ? `/received?${qs}` : '/received';
}

/**
 * The 返回收文 address of a directive opened from 收文: `from` must be this site's /received address (a path, no
 * scheme or host); its search is rebuilt from the known keys. Undefined otherwise.
 */
export function backToReceived(from: unknown): string | undefined {
  if (typeof from !== 'string' || !from.startsWith('/received') || from.startsWith('//')) return undefined;
  let url: URL;
  try {
    url = new URL(from, 'http://here.invalid');
  } catch {
    return undefined;
  }
  if (url.host !== 'here.invalid' || url.pathname !== '/received') return undefined;
  return receivedHref(Object.fromEntries(url.searchParams));
}
