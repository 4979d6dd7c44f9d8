import type { FieldError } from '../common/errors/domain-error';

/** 搜索词 of a list (支部 name contains): at most 100 characters, no line breaks; the problem in Chinese, or none. */
export function searchProblem(q: string): FieldError | undefined {
  if (q.length > 100) return { field: 'q', message: '搜索词不能超过 100 个字' };
  if (/\p{Cc}/u.test(q)) return { field: 'q', message: '搜索词不能含有换行或其他控制字符' };
  return undefined;
}

/** Whether a branch's name holds the search words (letters in any case). */
export const nameMatches = (name: string, q: string) => !q || name.toLowerCase().includes(q.toLowerCase());
