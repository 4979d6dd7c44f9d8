import { DateTime } from 'luxon';
import type { FieldBase, FileAccept } from './form-types';

/** Filing dates are calendar days as a township office counts them. */
export const ZONE = 'Asia/Shanghai';

/** How every message names a field: by the label the user sees and the key the developer sees. */
export const fieldName = (f: Pick<FieldBase, 'label' | 'key'>): string => `字段“${f.label}”（${f.key}）`;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own properties only: a key such as `constructor` must not read Object.prototype. */
export const own = (o: Record<string, unknown>, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** Empty inputs from forms and autosave (cleared box, blank text, nothing selected) count as not filled in. */
export const isMissing = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/** A real day written YYYY-MM-DD (2017-02-30 is refused). */
export function isCalendarDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text, { zone: ZONE }).isValid;
}

/** Today's calendar day in Asia/Shanghai, for callers that bound a date field relative to now. */
export const shanghaiDay = (instant: Date = new Date()): string => DateTime.fromJSDate(instant, { zone: ZONE }).toISODate() as string;

/** Counts characters as people do: one per Chinese character or emoji, not per UTF-16 unit. */
export const charCount = (s: string): number => [...s].length;

export const withUnit = (n: number, unit?: string): string => (unit ? `${n} ${unit}` : String(n));

export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, 'GB'],
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, name] of units) {
    if (bytes >= size) return `${Math.round((bytes / size) * 10) / 10} ${name}`;
  }
  return `${bytes} 字节`;
}

const FAMILIES: [RegExp, string][] = [
  [/^application\/pdf$/, 'PDF'],
  [/^application\/(msword|vnd\.openxmlformats-officedocument\.wordprocessingml\.|vnd\.ms-word)/, 'Word'],
  [/^application\/(vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.)/, 'Excel'],
  [/^image\//, '图片'],
  [/^video\//, '视频'],
  [/^text\/plain$/, '文本文件'],
];

/** “PDF、Word、图片”: the accepted types as a branch secretary would name them. */
export function describeAccept(accept: FileAccept): string {
  const names = accept.mimeTypes.map((m) => FAMILIES.find(([re]) => re.test(m.toLowerCase()))?.[1] ?? m);
  return [...new Set(names)].join('、');
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

export function mimeAccepted(mimeType: string, accepted: readonly string[]): boolean {
  const m = mimeType.toLowerCase();
  return accepted.some((a) => (a.endsWith('/*') ? m.startsWith(a.slice(0, -1).toLowerCase()) : m === a.toLowerCase()));
}
