import { addWorkingHours, atLocalTime, parseDay, shanghaiDay, WorkingCalendar } from './working-calendar';

const cal = new WorkingCalendar();

describe('WorkingCalendar (Asia/Shanghai, chinese-days)', () => {
  it('2017 Qingming: 2-4 April off, Saturday 1 April a make-up working day', () => {
    expect(cal.isWorkday('2017-04-01')).toBe(true);
    for (const d of ['2017-04-02', '2017-04-03', '2017-04-04']) expect(cal.isWorkday(d)).toBe(false);
    expect(cal.addWorkdays('2017-03-31', 1)).toBe('2017-04-01');
    expect(cal.addWorkdays('2017-04-01', 1)).toBe('2017-04-05');
  });

  it('2017 Dragon Boat: 28-30 May off, Saturday 27 May worked', () => {
    expect(cal.addWorkdays('2017-05-26', 1)).toBe('2017-05-27');
    expect(cal.addWorkdays('2017-05-27', 1)).toBe('2017-05-31');
    expect(cal.describe('2017-05-27').reason).toBe('端午调休上班');
  });

  it('2017 National Day: 1-8 October off, Saturday 30 September worked', () => {
    expect(cal.isWorkday('2017-09-30')).toBe(true);
    for (let d = 1; d <= 8; d++) expect(cal.isWorkday(`2017-10-0${d}`)).toBe(false);
    expect(cal.addWorkdays('2017-09-29', 2)).toBe('2017-10-09');
    expect(cal.workdaysBetween('2017-09-29', '2017-10-09')).toBe(2);
  });

  it('2020 Spring Festival as extended: off until 2 February, so 31 January is not a working day', () => {
    expect(cal.isWorkday('2020-01-31')).toBe(false);
    expect(cal.isWorkday('2020-02-02')).toBe(false);
    expect(cal.addWorkdays('2020-01-23', 1)).toBe('2020-02-03');
  });

  it('counts backwards for reminders before a deadline', () => {
    expect(cal.addWorkdays('2017-10-09', -1)).toBe('2017-09-30');
    expect(cal.addWorkdays('2017-10-09', -3)).toBe('2017-09-28');
  });

  it('local overrides win over the national calendar', () => {
    const local = new WorkingCalendar(
      new Map([
        ['2017-05-26', 'HOLIDAY'],
        ['2017-05-28', 'WORKDAY'],
      ] as const),
    );
    expect(local.isWorkday('2017-05-26')).toBe(false);
    expect(local.addWorkdays('2017-05-25', 1)).toBe('2017-05-27');
    expect(local.addWorkdays('2017-05-27', 1)).toBe('2017-05-28');
  });

  it('computes instants in Asia/Shanghai', () => {
    expect(atLocalTime('2017-01-17', '09:00').toISOString()).toBe('2017-01-17T01:00:00.000Z');
    expect(shanghaiDay(new Date('2017-01-16T16:30:00Z'))).toBe('2017-01-17');
    expect(cal.deadlineAfter(new Date('2017-05-26T03:00:00Z'), 1, '17:30').toISOString()).toBe('2017-05-27T09:30:00.000Z');
  });

  it('refuses impossible dates with a Chinese reason', () => {
    expect(() => parseDay('2017-02-30')).toThrow('日期“2017-02-30”无效');
    expect(() => parseDay('2017/05/26')).toThrow('YYYY-MM-DD');
    expect(parseDay(' 2017-05-26 ')).toBe('2017-05-26');
  });

  it('counts working hours in office hours on working days only', () => {
    // Friday 2017-05-26 16:00 + 8 working hours: 1 h on Friday, then Saturday 27 May is a make-up working day.
    expect(addWorkingHours(cal, atLocalTime('2017-05-26', '16:00'), 8).toISOString()).toBe(atLocalTime('2017-05-27', '16:00').toISOString());
    // Saturday 27 May 16:00 + 2 h: the Dragon Boat holiday (28–30 May) is skipped.
    expect(addWorkingHours(cal, atLocalTime('2017-05-27', '16:00'), 2).toISOString()).toBe(atLocalTime('2017-05-31', '10:00').toISOString());
    // Before opening time counts from 09:00.
    expect(addWorkingHours(cal, atLocalTime('2017-05-31', '07:00'), 1).toISOString()).toBe(atLocalTime('2017-05-31', '10:00').toISOString());
  });
});
