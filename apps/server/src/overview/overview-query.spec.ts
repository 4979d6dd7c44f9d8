import { DomainError } from '../common/errors/domain-error';
import { gradeRank, parseSort, parseYear, rate, sortRows, thisYear } from './overview-query';

const NOW = new Date('2026-12-31T16:30:00Z'); // 2027-01-01 00:30 in Asia/Shanghai

describe('overview query', () => {
  it('takes this year in Asia/Shanghai when no year is asked for', () => {
    expect(thisYear(NOW)).toBe(2027);
    expect(parseYear(undefined, NOW)).toBe(2027);
    expect(parseYear('', NOW)).toBe(2027);
    expect(parseYear('2025', NOW)).toBe(2025);
    expect(parseYear(['2024', '2023'], NOW)).toBe(2024);
  });

  it.each(['20x6', '1999', '2101', '26', '2026.5'])('refuses year %s with a 400 naming 年度', (raw) => {
    let err: unknown;
    try {
      parseYear(raw, NOW);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('VALIDATION');
    expect((err as DomainError).message).toBe(`提交的数据有误：年度应为 2000 至 2100 之间的四位年份（如 2027），现为“${raw}”`);
  });

  it('sorts by a known column in a known direction, and refuses others naming 排序列 / 排序方向', () => {
    expect(parseSort(undefined, undefined)).toEqual({ key: 'name', dir: 'asc' });
    expect(parseSort('grade', 'desc')).toEqual({ key: 'grade', dir: 'desc' });
    expect(() => parseSort('score', 'asc')).toThrow(/排序列应为：支部、按时报送率/);
    expect(() => parseSort('grade', 'up')).toThrow('排序方向应为升序或降序');
    // Found by the fuzz test: a name every object has (`in` looked up the prototype) passed as a column.
    for (const inherited of ['__proto__', 'toString', 'constructor']) expect(() => parseSort(inherited, 'asc')).toThrow(/排序列应为/);
  });

  it('rates with two decimals, none when nothing is counted; grades from 好 down, none last', () => {
    expect(rate(2, 3)).toBe(66.67);
    expect(rate(0, 0)).toBeNull();
    expect(['POOR', null, 'GOOD', 'FAIRLY_GOOD'].map(gradeRank)).toEqual([3, 4, 0, 1]);
  });

  it('puts rows without a value last in either direction, ties in the committee’s order', () => {
    const rows = [
      { name: '丙', sortOrder: 3, v: 50 },
      { name: '甲', sortOrder: 1, v: null },
      { name: '乙', sortOrder: 2, v: 50 },
      { name: '丁', sortOrder: 4, v: 100 },
    ];
    const by = (dir: 'asc' | 'desc') => sortRows(rows, { key: 'onTimeRate', dir }, (r) => r.v).map((r) => r.name);
    expect(by('asc')).toEqual(['乙', '丙', '丁', '甲']);
    expect(by('desc')).toEqual(['丁', '乙', '丙', '甲']);
  });
});
