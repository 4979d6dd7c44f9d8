import { EVERY_TYPE, VALID } from './form.fixture';
import { validateSubmission } from './form-values';

const check = (rows: unknown, partial = false) => validateSubmission(EVERY_TYPE, { ...VALID, rows }, { partial });
const errorsOf = (rows: unknown, partial = false) => {
  const r = check(rows, partial);
  return r.ok ? {} : Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
};

describe('repeating table', () => {
  it('accepts rows within bounds and normalises cells', () => {
    const r = check([
      { item: ' 办公 ', amount: 1.5 },
      { item: '培训', amount: 0, note: '' },
    ]);
    expect(r).toEqual({
      ok: true,
      values: {
        ...VALID,
        rows: [
          { item: '办公', amount: 1.5 },
          { item: '培训', amount: 0 },
        ],
      },
    });
  });

  it('addresses cells as key[i].column and says 第 i+1 行', () => {
    expect(
      errorsOf([
        { item: 'a', amount: 1 },
        { item: 'b', amount: 1 },
        { item: '', amount: 101, note: '太长的备注啊' },
      ]),
    ).toEqual({
      'rows[2].item': '字段“经费明细”（rows）第 3 行“项目”（item）必须填写',
      'rows[2].amount': '字段“经费明细”（rows）第 3 行“金额”（amount）不能大于 100 万元',
      'rows[2].note': '字段“经费明细”（rows）第 3 行“备注”（note）长度为 6 个字，超过上限 5 个字',
    });
  });

  it('enforces minRows and maxRows', () => {
    expect(errorsOf([{ item: 'a', amount: 1 }])).toEqual({ rows: '字段“经费明细”（rows）至少需要 2 行，现有 1 行' });
    const four = Array.from({ length: 4 }, () => ({ item: 'a', amount: 1 }));
    expect(errorsOf(four)).toEqual({ rows: '字段“经费明细”（rows）最多 3 行，现有 4 行' });
  });

  it('refuses a non-list, non-object rows, wrong cell types and unknown columns', () => {
    expect(errorsOf({ item: 'a' })).toEqual({ rows: '字段“经费明细”（rows）应为表格（行的列表）' });
    expect(errorsOf(['a', { item: 'b', amount: '1', colour: 'red' }])).toEqual({
      'rows[0]': '字段“经费明细”（rows）第 1 行应为一行数据（列名到取值）',
      'rows[1].amount': '字段“经费明细”（rows）第 2 行“金额”（amount）应为数字，而不是文本“1”',
      'rows[1].colour': '字段“经费明细”（rows）第 2 行含有未知列（colour），本表格没有这一列',
    });
  });
});
