import { backToReceived, receivedFilter, receivedHref } from './received-query';
import { filingState, receiptState } from './received-view';

describe('收文 search and its way back', () => {
  it('keeps only the search in the address', () => {
    expect(receivedHref({ no: ' 58 ', year: '2026', q: '学习', sort: 'x', from: '/admin' })).toBe('/received?no=58&year=2026&q=%E5%AD%A6%E4%B9%A0');
    expect(receivedHref({})).toBe('/received');
  });

  it('leads back only to 收文 on this site, rebuilt from its search', () => {
    expect(backToReceived('/received?q=学习&evil=1')).toBe('/received?q=%E5%AD%A6%E4%B9%A0');
    expect(backToReceived('/received')).toBe('/received');
    for (const from of ['//evil.example/received', 'https://evil.example/received', '/received/../admin', '/receivedx', '/inbox', 'javascript:alert(1)', 42])
      expect(backToReceived(from)).toBeUndefined();
  });

  it('says in Chinese which search value is wrong', () => {
    expect(receivedFilter({ no: '58', year: '2026', q: '学习' })).toEqual({ no: '58', year: 2026, q: '学习' });
    expect(() => receivedFilter({ year: '26' })).toThrow('筛选条件有误');
  });
});

describe('收文 row states', () => {
  const at = new Date('2026-03-02T02:00:00Z');
  it('签收: 已签收 with its time, 待签收, 逾期, and 无需签收 once revoked', () => {
    expect(receiptState({ status: 'DONE', overdue: false, completedAt: at, dueAt: at })).toEqual({ label: '已签收', key: 'done', at });
    expect(receiptState({ status: 'OPEN', overdue: false, completedAt: null, dueAt: at })).toEqual({ label: '待签收', key: 'open', dueAt: at });
    expect(receiptState({ status: 'OPEN', overdue: true, completedAt: null, dueAt: at }).label).toBe('逾期');
    expect(receiptState({ status: 'CANCELLED', overdue: false, completedAt: null, dueAt: at }).label).toBe('无需签收');
  });

  it('填报: the branch’s filing status, late when overdue and still to do', () => {
    const f = (status: 'OPEN' | 'SUBMITTED' | 'ACCEPTED', overdue: boolean) =>
      filingState({ id: 'r', title: '学习情况', filing: { id: 'f', status, overdue, deadlineAt: at } });
    expect(f('OPEN', false)).toMatchObject({ label: '待填报', href: '/filings/f', deadlineAt: at });
    expect(f('OPEN', true).label).toBe('待填报（逾期）');
    expect(f('SUBMITTED', true).label).toBe('待审核');
    expect(f('ACCEPTED', false)).toMatchObject({ label: '已通过', deadlineAt: undefined });
  });
});
