import { describeAccept, formatBytes, isCalendarDay, shanghaiDay } from './shared';

describe('form helpers', () => {
  it('shanghaiDay names the calendar day in Asia/Shanghai, not UTC', () => {
    // 16:30 UTC on 16 January is 00:30 on 17 January in the township: the annual plan's deadline day.
    expect(shanghaiDay(new Date('2020-01-16T16:30:00Z'))).toBe('2020-01-17');
    expect(shanghaiDay(new Date('2020-01-16T15:59:59Z'))).toBe('2020-01-16');
  });

  it('isCalendarDay refuses impossible days and other formats', () => {
    expect(['2020-02-29', '2017-04-21'].map(isCalendarDay)).toEqual([true, true]);
    expect(['2019-02-29', '2020-04-31', '20200101', '2020-1-1', ' 2020-01-01'].map(isCalendarDay)).toEqual([false, false, false, false, false]);
  });

  it('describes accepted types as people name them, once each', () => {
    expect(describeAccept({ mimeTypes: ['application/pdf', 'application/msword', 'image/png', 'image/jpeg', 'text/csv'], extensions: [] })).toBe(
      'PDF、Word、图片、text/csv',
    );
  });

  it('formats sizes in binary units', () => {
    expect([500, 2048, 20 * 1024 * 1024, 1.5 * 1024 ** 3].map(formatBytes)).toEqual(['500 字节', '2 KB', '20 MB', '1.5 GB']);
  });
});
