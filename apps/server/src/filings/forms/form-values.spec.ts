import { EVERY_TYPE, VALID, file } from './form.fixture';
import { validateSubmission } from './form-values';

/** The errors of a submission that must fail, keyed by path. */
function errorsOf(values: unknown, partial = false): Record<string, string> {
  const result = validateSubmission(EVERY_TYPE, values, { partial });
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.values)}`);
  return Object.fromEntries(result.errors.map((e) => [e.field, e.message]));
}

function valuesOf(values: unknown, partial = false) {
  const result = validateSubmission(EVERY_TYPE, values, { partial });
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.values;
}

describe('validateSubmission', () => {
  it('accepts a valid submission and normalises it', () => {
    expect(valuesOf({ ...VALID, name: '  一村党支部 ', summary: 'a\r\nb', actions: ['c', 'a'], phone: null, budget: '' })).toEqual({
      ...VALID,
      summary: 'a\nb',
      actions: ['a', 'c'],
    });
  });

  it('leaves the submitted object untouched (the saved draft stays as the branch wrote it)', () => {
    const values = { ...VALID, name: ' 一村 ', actions: ['c', 'a'], rows: [{ item: ' x ', amount: 1 }] };
    const before = JSON.stringify(values);
    validateSubmission(EVERY_TYPE, values);
    expect(JSON.stringify(values)).toBe(before);
  });

  it('refuses values that are not an object', () => {
    for (const bad of [null, [], 'x', 3]) expect(errorsOf(bad)).toEqual({ '': '提交内容应为一个对象（字段名到取值）' });
  });

  it('reports every missing required field, naming label and key; blank text counts as missing', () => {
    expect(errorsOf({ name: '   ', trainees: null })).toEqual({
      name: '字段“支部名称”（name）必须填写',
      trainees: '字段“培训人数”（trainees）必须填写',
      deadline: '字段“计划完成时间”（deadline）必须填写',
    });
  });

  it('refuses unknown fields, including ones that shadow Object.prototype', () => {
    const values = JSON.parse(`{"name":"x","trainees":1,"deadline":"2020-01-01","budjet":3,"__proto__":{},"constructor":1}`) as unknown;
    expect(errorsOf(values)).toEqual({
      budjet: '未知字段（budjet），本表单没有这个字段',
      ['__proto__']: '未知字段（__proto__），本表单没有这个字段',
      constructor: '未知字段（constructor），本表单没有这个字段',
    });
  });

  it('a field keyed like an Object.prototype member reads only what was submitted', () => {
    const def = { title: 't', fields: [{ key: 'constructor', label: '构造', type: 'shortText' as const, required: true, maxLength: 5 }] };
    expect(validateSubmission(def, {})).toEqual({ ok: false, errors: [{ field: 'constructor', message: '字段“构造”（constructor）必须填写' }] });
    expect(validateSubmission(def, { constructor: 'x' })).toEqual({ ok: true, values: { constructor: 'x' } });
  });

  describe('short and long text', () => {
    it.each([
      [{ name: 5 }, 'name', '字段“支部名称”（name）应为文本'],
      [{ name: '一二三四五六七八九十一' }, 'name', '字段“支部名称”（name）长度为 11 个字，超过上限 10 个字'],
      [{ name: '一\n二' }, 'name', '字段“支部名称”（name）不能换行'],
      [{ phone: '1391234567' }, 'phone', '字段“联系电话”（phone）格式不正确，应为：11 位手机号'],
      [{ phone: 'x13912345678' }, 'phone', '字段“联系电话”（phone）格式不正确，应为：11 位手机号'],
      [{ summary: '字'.repeat(21) }, 'summary', '字段“工作总结”（summary）长度为 21 个字，超过上限 20 个字'],
      [{ summary: ['a'] }, 'summary', '字段“工作总结”（summary）应为文本'],
    ])('%j', (patch, field, message) => {
      expect(errorsOf({ ...VALID, ...patch })).toEqual({ [field]: message });
    });

    it('counts characters, not UTF-16 units, and accepts a matching pattern', () => {
      expect(valuesOf({ ...VALID, name: '😀'.repeat(10), phone: '13912345678' })).toMatchObject({ name: '😀'.repeat(10), phone: '13912345678' });
    });

    it('checks a catastrophic committee pattern against a long value promptly (autosave and submission)', () => {
      const def = {
        ...EVERY_TYPE,
        fields: [
          {
            key: 'code',
            label: '编码',
            type: 'shortText' as const,
            required: true,
            maxLength: 100,
            pattern: { regex: '(a+)+b', description: '若干个 a 后接 b' },
          },
        ],
      };
      const started = performance.now();
      for (const partial of [true, false]) {
        expect(validateSubmission(def, { code: 'a'.repeat(31) }, { partial })).toEqual({
          ok: false,
          errors: [{ field: 'code', message: '字段“编码”（code）格式不正确，应为：若干个 a 后接 b' }],
        });
        expect(validateSubmission(def, { code: 'a'.repeat(99) + 'b' }, { partial })).toMatchObject({ ok: true });
      }
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('refuses, rather than crashes on, a stored pattern the engine cannot run', () => {
      const def = {
        ...EVERY_TYPE,
        fields: [{ key: 'code', label: '编码', type: 'shortText' as const, required: true, maxLength: 10, pattern: { regex: '(a)\\1', description: 'aa' } }],
      };
      expect(validateSubmission(def, { code: 'aa' })).toEqual({
        ok: false,
        errors: [{ field: 'code', message: '字段“编码”（code）的格式规则无法使用（不支持反向引用（如 \\1、\\k<名称>）），请联系党委修改表单' }],
      });
    });
  });

  describe('numbers with units', () => {
    it.each([
      [{ trainees: '120' }, 'trainees', '字段“培训人数”（trainees）应为数字，而不是文本“120”'],
      [{ trainees: true }, 'trainees', '字段“培训人数”（trainees）应为数字'],
      [{ trainees: Number.NaN }, 'trainees', '字段“培训人数”（trainees）应为数字'],
      [{ trainees: Infinity }, 'trainees', '字段“培训人数”（trainees）应为数字'],
      [{ trainees: 1.5 }, 'trainees', '字段“培训人数”（trainees）应为整数'],
      [{ trainees: 501 }, 'trainees', '字段“培训人数”（trainees）不能大于 500 人'],
      [{ trainees: -1 }, 'trainees', '字段“培训人数”（trainees）不能小于 0 人'],
      [{ budget: 0.4 }, 'budget', '字段“经费预算”（budget）不能小于 0.5 万元'],
    ])('%j', (patch, field, message) => {
      expect(errorsOf({ ...VALID, ...patch })).toEqual({ [field]: message });
    });

    it('accepts the bounds themselves and decimals where integers are not required', () => {
      expect(valuesOf({ ...VALID, trainees: 500, budget: 3.25 })).toMatchObject({ trainees: 500, budget: 3.25 });
      expect(valuesOf({ ...VALID, trainees: 0 })).toMatchObject({ trainees: 0 });
    });
  });

  describe('dates (Asia/Shanghai calendar days)', () => {
    it.each([
      ['2020-02-30', '日期无效，应为 YYYY-MM-DD'],
      ['2020-6-30', '日期无效，应为 YYYY-MM-DD'],
      ['2020-06-29T16:00:00.000Z', '日期无效，应为 YYYY-MM-DD'],
      [20200630, '日期无效，应为 YYYY-MM-DD'],
      ['2019-12-31', '不能早于 2020-01-01'],
      ['2021-01-01', '不能晚于 2020-12-31'],
    ])('%j', (deadline, reason) => {
      expect(errorsOf({ ...VALID, deadline })).toEqual({ deadline: `字段“计划完成时间”（deadline）${reason}` });
    });

    it('accepts a leap day and the inclusive bounds', () => {
      for (const deadline of ['2020-02-29', '2020-01-01', '2020-12-31']) expect(valuesOf({ ...VALID, deadline })).toMatchObject({ deadline });
    });
  });

  describe('choices', () => {
    it('single choice: a known value only (not the label)', () => {
      expect(valuesOf({ ...VALID, status: 'done' })).toMatchObject({ status: 'done' });
      expect(errorsOf({ ...VALID, status: '已完成' })).toEqual({
        status: '字段“完成情况”（status）的选项“已完成”不在可选范围内，可选：已完成（done）、未完成（notDone）',
      });
      expect(errorsOf({ ...VALID, status: ['done'] })).toEqual({ status: '字段“完成情况”（status）应为一个选项' });
    });

    it.each([
      ['b', '应为选项列表'],
      [['a', 1], '应为选项列表，每项是一个选项值'],
      [['a', 'x'], '的选项“x”不在可选范围内，可选：甲（a）、乙（b）、丙（c）、丁（d）'],
      [['a', 'a'], '的选项“甲”重复选择'],
      [['a', 'b', 'c', 'd'], '最多选择 3 项，现选了 4 项'],
      [['a'], '至少选择 2 项，现选了 1 项'],
    ])('multiple choice %j', (actions, reason) => {
      expect(errorsOf({ ...VALID, actions })).toEqual({ actions: `字段“对应行动”（actions）${reason}` });
    });
  });

  it('lists each problem of a submission with many, one per field (fails if any rule is dropped)', () => {
    const errors = errorsOf({
      name: '一二三四五六七八九十一',
      phone: '12345',
      summary: 42,
      trainees: 1.5,
      budget: 'lots',
      deadline: '2020-13-01',
      status: 'maybe',
      actions: ['a'],
      rows: [{ item: 'x', amount: 101 }],
      files: [file('计划.exe', { mimeType: 'application/x-msdownload' })],
      extra: 1,
    });
    expect(Object.keys(errors).sort()).toEqual(
      ['name', 'phone', 'summary', 'trainees', 'budget', 'deadline', 'status', 'actions', 'rows', 'rows[0].amount', 'files[0]', 'extra'].sort(),
    );
    expect(Object.values(errors).every((m) => /（[A-Za-z_][A-Za-z0-9_]*）/.test(m))).toBe(true);
  });

  describe('partial (autosaved drafts)', () => {
    it('allows missing required fields, minimum selections, minimum rows and required cells', () => {
      expect(valuesOf({}, true)).toEqual({});
      expect(valuesOf({ actions: ['a'], rows: [{ amount: 5 }] }, true)).toEqual({ actions: ['a'], rows: [{ amount: 5 }] });
    });

    it('still refuses what is present but wrong, maxima and unknown fields', () => {
      expect(errorsOf({ trainees: '12', actions: ['a', 'b', 'c', 'd'], rows: [{}, {}, {}, {}], files: 'x', nope: 1 }, true)).toEqual({
        trainees: '字段“培训人数”（trainees）应为数字，而不是文本“12”',
        actions: '字段“对应行动”（actions）最多选择 3 项，现选了 4 项',
        rows: '字段“经费明细”（rows）最多 3 行，现有 4 行',
        files: '字段“附件”（files）应为文件列表',
        nope: '未知字段（nope），本表单没有这个字段',
      });
    });
  });
});
