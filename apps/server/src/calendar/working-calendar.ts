import { getDayDetail, isWorkday as officialIsWorkday } from 'chinese-days';
import { DateTime } from 'luxon';
import { DomainError } from '../common/errors/domain-error';

export const ZONE = 'Asia/Shanghai';
export type OverrideKind = 'WORKDAY' | 'HOLIDAY';

/** Parses a calendar day written YYYY-MM-DD; refuses anything that is not a real date. */
export function parseDay(input: string, field = 'date'): string {
  const text = String(input ?? '').trim();
  const dt = DateTime.fromISO(text, { zone: ZONE });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !dt.isValid) {
    throw DomainError.validation([{ field, message: `字段 ${field} 的日期“${text}”无效，应为 YYYY-MM-DD 格式的真实日期，例如 2017-04-21` }], '日期无效');
  }
  return text;
}

function shift(day: string, days: number): string {
  return DateTime.fromISO(day, { zone: ZONE }).plus({ days }).toISODate() as string;
}

/**
 * Working days in Asia/Shanghai: the State Council's public holidays and make-up working days (调休)
 * from `chinese-days`, with the administrators' local overrides on top.
 */
export class WorkingCalendar {
  constructor(private readonly overrides: ReadonlyMap<string, OverrideKind> = new Map()) {}

  isWorkday(day: string): boolean {
    const local = this.overrides.get(day);
    if (local) return local === 'WORKDAY';
    return officialIsWorkday(day);
  }

  /** What kind of day it is and why, for screens and the CLI. */
  describe(day: string): { day: string; workday: boolean; reason: string } {
    const local = this.overrides.get(day);
    if (local) return { day, workday: local === 'WORKDAY', reason: local === 'WORKDAY' ? '本地调整为工作日' : '本地休息日' };
    const detail = getDayDetail(day);
    const weekday = DateTime.fromISO(day, { zone: ZONE }).weekday;
    const weekend = weekday >= 6;
    const festival = detail.name?.split(',')[1];
    const reason = festival ? (detail.work ? `${festival}调休上班` : `${festival}放假`) : weekend ? '周末' : '工作日';
    return { day, workday: detail.work, reason };
  }

  /**
   * The day `n` working days after `day` (n < 0: before). n = 0 gives `day` itself if it is
   * a working day, else the next working day.
   */
  addWorkdays(day: string, n: number): string {
    if (!Number.isInteger(n)) throw DomainError.validation([{ field: 'n', message: `字段 n 必须是整数（当前为 ${n}）` }]);
    let cur = day;
    if (n === 0) {
      while (!this.isWorkday(cur)) cur = shift(cur, 1);
      return cur;
    }
    const step = n > 0 ? 1 : -1;
    let left = Math.abs(n);
    let guard = 0;
    while (left > 0) {
      cur = shift(cur, step);
      if (this.isWorkday(cur)) left--;
      if (++guard > 3660) throw new Error('working-day search ran past ten years');
    }
    return cur;
  }

  /** Working days strictly after `from` up to and including `to` (negative when `to` is earlier). */
  workdaysBetween(from: string, to: string): number {
    if (from === to) return 0;
    const [a, b, sign] = from < to ? [from, to, 1] : [to, from, -1];
    let count = 0;
    for (let cur = shift(a, 1); cur <= b; cur = shift(cur, 1)) if (this.isWorkday(cur)) count++;
    return sign * count;
  }

  /** The instant at local time `hhmm` on the day `n` working days after the Shanghai day of `from`. */
  deadlineAfter(from: Date, n: number, hhmm = '17:30'): Date {
    const start = DateTime.fromJSDate(from, { zone: ZONE }).toISODate() as string;
    return atLocalTime(this.addWorkdays(start, n), hhmm);
  }
}

export const OFFICE_HOURS = { start: '09:00', end: '17:00' };

/**
 * The instant `hours` working hours after `from`, counting office hours (09:00–17:00, Asia/Shanghai)
 * on working days only: a reminder "after 8 working hours" set on Friday 16:00 fires Monday 15:00.
 */
export function addWorkingHours(cal: WorkingCalendar, from: Date, hours: number): Date {
  let left = hours * 3600_000;
  let day = shanghaiDay(from);
  let cursor = from.getTime();
  for (let guard = 0; guard < 3660; guard++) {
    if (cal.isWorkday(day)) {
      const open = atLocalTime(day, OFFICE_HOURS.start).getTime();
      const close = atLocalTime(day, OFFICE_HOURS.end).getTime();
      const start = Math.max(cursor, open);
      if (start < close) {
        if (start + left <= close) return new Date(start + left);
        left -= close - start;
      }
    }
    day = DateTime.fromISO(day, { zone: ZONE }).plus({ days: 1 }).toISODate() as string;
    cursor = atLocalTime(day, '00:00').getTime();
  }
  throw new Error('working-hour search ran past ten years');
}

/** The instant of local time `hhmm` on Shanghai calendar day `day`. */
export function atLocalTime(day: string, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  return DateTime.fromISO(day, { zone: ZONE }).set({ hour: h, minute: m, second: 0, millisecond: 0 }).toJSDate();
}

/** The Shanghai calendar day of an instant. */
export function shanghaiDay(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toISODate() as string;
}

/** An instant as people read it in messages and documents: 2026年12月3日 17:30 (Asia/Shanghai). */
export function shanghaiDateTime(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toFormat('yyyy年M月d日 HH:mm');
}
