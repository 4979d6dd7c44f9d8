import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../calendar/working-calendar';

/**
 * The 公示期 of `workdays` working days from the day it is issued: it starts that day when it is a working day, else
 * on the next working day, and ends on the last of those working days (holidays and weekends skipped, 调休 working
 * days counted). Objections received on or before the last day are in time; the period is over at 00:00 after it.
 */
export function noticePeriod(cal: WorkingCalendar, issuedOn: string, workdays: number): { startsOn: string; endsOn: string; endsAt: Date } {
  const startsOn = cal.addWorkdays(issuedOn, 0);
  const endsOn = workdays > 1 ? cal.addWorkdays(startsOn, workdays - 1) : startsOn;
  return { startsOn, endsOn, endsAt: DateTime.fromISO(endsOn, { zone: 'Asia/Shanghai' }).plus({ days: 1 }).toJSDate() };
}

/** 2026年10月9日 */
export const cnDate = (day: string) => DateTime.fromISO(day).toFormat('yyyy年M月d日');
