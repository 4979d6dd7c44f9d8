import { DateTime } from 'luxon';
import { sortSummary, summaryParams, summaryQuery } from './filings-table-query';
import { shanghaiDateTime } from './filings-view';

const row = (name: string, status: string, deadline: string, submitted: string | null) => ({
  name,
  status,
  deadlineAt: new Date(deadline),
  submittedAt: submitted ? new Date(submitted) : null,
});
// In the branches' own order, as the service gives them.
const ROWS = [
  row('甲', 'SUBMITTED', '2026-03-02T09:30:00Z', '2026-02-20T01:00:00Z'),
  row('乙', 'OPEN', '2026-03-01T09:30:00Z', null),
  row('丙', 'ACCEPTED', '2026-03-02T09:30:00Z', '2026-02-10T01:00:00Z'),
  row('丁', 'RETURNED', '2026-03-05T09:30:00Z', '2026-02-15T01:00:00Z'),
];
const names = (rows: { name: string }[]) => rows.map((r) => r.name).join('');

describe('填报情况 table query', () => {
  it('reads search, chip and sort; the default sort stays out of the links', () => {
    const q = summaryQuery({ q: ' 村 ', show: 'open', sort: 'deadline', dir: 'desc' });
    expect(q).toEqual({ q: '村', show: 'open', sort: { by: 'deadline', desc: true }, problems: [] });
    expect(summaryParams(q)).toBe('q=%E6%9D%91&show=open&sort=deadline&dir=desc');
    expect(summaryParams(q, { show: '' })).toBe('q=%E6%9D%91&sort=deadline&dir=desc');
    expect(summaryParams(summaryQuery({}))).toBe('');
    expect(summaryParams(summaryQuery({}), { sort: 'org', dir: 'desc' })).toBe('sort=org&dir=desc');
  });

  it('names each wrong value in Chinese and falls back to its default', () => {
    const q = summaryQuery({ q: 'a\nb', show: 'late', sort: 'score', dir: 'up' });
    expect(q.problems.map((p) => [p.field, p.message])).toEqual([
      ['q', '搜索词不能含有换行或其他控制字符'],
      ['show', '状态筛选应为：全部、未报、待审核、退回修改、已通过、逾期之一'],
      ['sort', '排序列应为：支部、状态、期限、提交时间之一'],
      ['dir', '排序方向应为升序或降序'],
    ]);
    expect([q.q, q.show, q.sort]).toEqual(['', '', { by: 'org', desc: false }]);
    expect(summaryQuery({ q: '村'.repeat(101) }).problems[0].message).toBe('搜索词不能超过 100 个字');
  });

  it('sorts by each column, ties in the branches’ order, not submitted last either way', () => {
    expect(names(sortSummary(ROWS, { by: 'org', desc: false }))).toBe('甲乙丙丁');
    expect(names(sortSummary(ROWS, { by: 'org', desc: true }))).toBe('丁丙乙甲');
    expect(names(sortSummary(ROWS, { by: 'status', desc: false }))).toBe('乙丁甲丙');
    expect(names(sortSummary(ROWS, { by: 'deadline', desc: false }))).toBe('乙甲丙丁');
    expect(names(sortSummary(ROWS, { by: 'deadline', desc: true }))).toBe('丁甲丙乙');
    expect(names(sortSummary(ROWS, { by: 'submitted', desc: false }))).toBe('丙丁甲乙');
    expect(names(sortSummary(ROWS, { by: 'submitted', desc: true }))).toBe('甲丁丙乙');
    expect(names(ROWS)).toBe('甲乙丙丁'); // a new array
  });
});

describe('shanghaiDateTime', () => {
  it('reads as the pages’ datetime helper (luxon in Asia/Shanghai) does, across a day and a year boundary', () => {
    for (const iso of ['2026-03-01T09:30:00Z', '2025-12-31T16:05:00Z', '2026-06-30T15:59:59.999Z', '2026-01-01T00:00:00Z']) {
      const d = new Date(iso);
      expect(shanghaiDateTime(d)).toBe(DateTime.fromJSDate(d, { zone: 'Asia/Shanghai' }).toFormat('yyyy年M月d日 HH:mm'));
    }
    expect(shanghaiDateTime(new Date('2025-12-31T16:05:00Z'))).toBe('2026年1月1日 00:05');
  });
});
