import { EVERY_TYPE } from './form.fixture';
import { parseFormDefinition, validateFormDefinition } from './form-definition';

/** EVERY_TYPE with one field replaced (or extended) by `patch`; returns the problems by path. */
function problems(key: string, patch: Record<string, unknown>): Record<string, string> {
  const fields = EVERY_TYPE.fields.map((f) => (f.key === key ? { ...f, ...patch } : f));
  return Object.fromEntries(validateFormDefinition({ ...EVERY_TYPE, fields }).map((e) => [e.field, e.message]));
}

const index = (key: string) => EVERY_TYPE.fields.findIndex((f) => f.key === key);

describe('validateFormDefinition', () => {
  it('accepts a definition using every field type', () => {
    expect(validateFormDefinition(EVERY_TYPE)).toEqual([]);
    expect(parseFormDefinition(EVERY_TYPE)).toEqual({ ok: true, definition: EVERY_TYPE });
  });

  it('refuses a non-object, a missing title and an empty field list', () => {
    expect(validateFormDefinition('form')).toEqual([{ field: '', message: '表单定义应为对象' }]);
    expect(validateFormDefinition({ title: ' ', fields: [], owner: 'x' })).toEqual([
      { field: 'owner', message: '未知属性 owner，可用：title、description、fields' },
      { field: 'title', message: '表单标题应为非空文本' },
      { field: 'fields', message: '表单至少需要一个字段' },
    ]);
    expect(parseFormDefinition({})).toMatchObject({ ok: false });
  });

  it('refuses duplicate, non-ASCII and missing keys, blank labels, a non-boolean required and unknown types', () => {
    const fields = [
      { key: 'a', label: '甲', type: 'shortText', required: true, maxLength: 5 },
      { key: 'a', label: '乙', type: 'shortText', required: true, maxLength: 5 },
      { key: '名称', label: '', type: 'shortText', required: 'yes', maxLength: 5 },
      { key: '1a', label: '丙', type: 'signature', required: true },
      'field',
    ];
    expect(validateFormDefinition({ title: 't', fields })).toEqual([
      { field: 'fields[1].key', message: '字段名 a 与第 1 个字段重复' },
      { field: 'fields[2].key', message: '字段名应为字母开头、由字母数字和下划线组成的标识符（最长 64 个字符）' },
      { field: 'fields[2].label', message: '字段标题应为非空文本' },
      { field: 'fields[2].required', message: '必填标志应为 true 或 false' },
      { field: 'fields[3].key', message: '字段名应为字母开头、由字母数字和下划线组成的标识符（最长 64 个字符）' },
      { field: 'fields[3].type', message: '字段类型无效，可选：shortText、longText、number、date、singleChoice、multipleChoice、table、files' },
      { field: 'fields[4]', message: '字段定义应为对象' },
    ]);
  });

  it('refuses properties the type does not have (typos would silently do nothing)', () => {
    expect(problems('name', { maxlength: 5 })).toEqual({
      [`fields[0].maxlength`]: '未知属性 maxlength，可用：key、label、required、help、type、maxLength、pattern',
    });
  });

  it('text: maxLength within bounds, pattern compiles and is described', () => {
    const at = `fields[${index('phone')}]`;
    expect(problems('name', { maxLength: 0 })).toEqual({ 'fields[0].maxLength': 'maxLength 应为 1 到 500 之间的整数' });
    expect(problems('summary', { maxLength: 20001 })).toEqual({ [`fields[${index('summary')}].maxLength`]: 'maxLength 应为 1 到 20000 之间的整数' });
    expect(problems('phone', { pattern: { regex: '(', description: '' } })).toEqual({
      [`${at}.pattern.regex`]: '字段“联系电话”的格式规则无法使用：正则表达式无效',
      [`${at}.pattern.description`]: '格式说明应为非空文本',
    });
    expect(problems('phone', { pattern: '1\\d{10}' })).toEqual({ [`${at}.pattern`]: '格式要求应为 { regex, description }' });
  });

  it('text: refuses a pattern the linear-time engine cannot run, naming the field', () => {
    const at = `fields[${index('phone')}]`;
    expect(problems('phone', { pattern: { regex: '(\\d)\\1{10}', description: '同一数字' } })).toEqual({
      [`${at}.pattern.regex`]: '字段“联系电话”的格式规则无法使用：不支持反向引用（如 \\1、\\k<名称>）',
    });
    expect(problems('phone', { pattern: { regex: '(?!0)\\d{11}', description: '11 位数字' } })).toEqual({
      [`${at}.pattern.regex`]: '字段“联系电话”的格式规则无法使用：不支持前瞻或后顾断言（如 (?=…)、(?!…)、(?<=…)、(?<!…)）',
    });
    const table = EVERY_TYPE.fields.findIndex((f) => f.type === 'table');
    const columns = [{ key: 'code', label: '编号', type: 'shortText', required: true, maxLength: 10, pattern: { regex: '(?<=a)b', description: 'b' } }];
    expect(problems(EVERY_TYPE.fields[table].key, { columns })).toEqual({
      [`fields[${table}].columns[0].pattern.regex`]: '字段“编号”的格式规则无法使用：不支持前瞻或后顾断言（如 (?=…)、(?!…)、(?<=…)、(?<!…)）',
    });
    expect(problems('phone', { pattern: { regex: '(a+)+b', description: 'a…b' } })).toEqual({}); // runs in linear time on RE2
  });

  it('number: finite bounds in order, integer bounds for integer fields, short unit', () => {
    const at = `fields[${index('trainees')}]`;
    expect(problems('trainees', { min: 10, max: 5 })).toEqual({ [`${at}.max`]: '最大值不能小于最小值' });
    expect(problems('trainees', { min: 0.5, max: Infinity, unit: '个个个个个个个个个个个', integer: 'yes' })).toEqual({
      [`${at}.integer`]: '整数标志应为 true 或 false',
      [`${at}.max`]: 'max 应为有限的数字',
      [`${at}.unit`]: '单位最长 10 个字',
    });
    expect(problems('trainees', { min: 0.5 })).toEqual({ [`${at}.min`]: '整数字段的 min 应为整数' });
  });

  it('date: real days in order', () => {
    const at = `fields[${index('deadline')}]`;
    expect(problems('deadline', { min: '2020-02-30', max: '2020/12/31' })).toEqual({
      [`${at}.min`]: 'min 应为 YYYY-MM-DD 格式的真实日期',
      [`${at}.max`]: 'max 应为 YYYY-MM-DD 格式的真实日期',
    });
    expect(problems('deadline', { min: '2021-01-01' })).toEqual({ [`${at}.max`]: '最晚日期不能早于最早日期' });
  });

  it('choices: options present, unique values and labels, selection bounds within the option count', () => {
    const s = `fields[${index('status')}]`;
    const m = `fields[${index('actions')}]`;
    expect(problems('status', { options: [] })).toEqual({ [`${s}.options`]: '选择题至少需要一个选项' });
    expect(
      problems('status', {
        options: [{ value: 'a', label: '甲' }, { value: 'a', label: '甲' }, { value: ' b', label: '' }, 'c', { value: 'd', label: '丁', extra: 1 }],
      }),
    ).toEqual({
      [`${s}.options[1].value`]: '选项值“a”重复',
      [`${s}.options[1].label`]: '选项标题“甲”重复',
      [`${s}.options[2].value`]: '选项值应为非空文本，且首尾不能有空格',
      [`${s}.options[2].label`]: '选项标题应为非空文本',
      [`${s}.options[3]`]: '选项应为 { value, label }',
      [`${s}.options[4].extra`]: '未知属性 extra，可用：value、label',
    });
    expect(problems('actions', { minSelections: 3, maxSelections: 2 })).toEqual({ [`${m}.maxSelections`]: '最多选择数不能小于最少选择数' });
    expect(problems('actions', { minSelections: 5, maxSelections: 5 })).toEqual({
      [`${m}.minSelections`]: 'minSelections 应为 0 到 4 之间的整数',
      [`${m}.maxSelections`]: 'maxSelections 应为 1 到 4 之间的整数',
    });
  });

  it('table: scalar columns with unique keys, row bounds in order', () => {
    const at = `fields[${index('rows')}]`;
    const col = { key: 'c', label: '列', type: 'shortText', required: false, maxLength: 5 };
    expect(problems('rows', { columns: [] })).toEqual({ [`${at}.columns`]: '表格至少需要一列' });
    expect(problems('rows', { columns: [col, col, { ...col, key: 'f', type: 'files' }, { ...col, key: 't', type: 'table' }] })).toEqual({
      [`${at}.columns[1].key`]: '字段名 c 与第 1 个字段重复',
      [`${at}.columns[2].type`]: '表格列只能是单值类型：shortText、longText、number、date、singleChoice、multipleChoice',
      [`${at}.columns[3].type`]: '表格列只能是单值类型：shortText、longText、number、date、singleChoice、multipleChoice',
    });
    expect(problems('rows', { columns: [{ ...col, maxLength: -1 }] })).toEqual({ [`${at}.columns[0].maxLength`]: 'maxLength 应为 1 到 500 之间的整数' });
    expect(problems('rows', { minRows: 3, maxRows: 2 })).toEqual({ [`${at}.maxRows`]: '最多行数不能小于最少行数' });
    expect(problems('rows', { maxRows: 1000 })).toEqual({ [`${at}.maxRows`]: 'maxRows 应为 1 到 200 之间的整数' });
  });

  it('files: accepted types and extensions well formed, size and count bounded', () => {
    const at = `fields[${index('files')}]`;
    expect(problems('files', { accept: { mimeTypes: ['pdf'], extensions: ['PDF', '.docx'] }, maxSizeBytes: 0, maxCount: 100 })).toEqual({
      [`${at}.maxSizeBytes`]: 'maxSizeBytes 应为 1 到 104857600 之间的整数',
      [`${at}.maxCount`]: 'maxCount 应为 1 到 20 之间的整数',
      [`${at}.accept.mimeTypes[0]`]: '应为 MIME 类型（如 application/pdf 或 image/*）',
      [`${at}.accept.extensions[0]`]: '应为 小写扩展名（如 .pdf）',
    });
    expect(problems('files', { accept: { mimeTypes: [] } })).toEqual({
      [`${at}.accept.mimeTypes`]: '不能为空，每项应为 MIME 类型（如 application/pdf 或 image/*）',
      [`${at}.accept.extensions`]: '不能为空，每项应为 小写扩展名（如 .pdf）',
    });
    expect(problems('files', { accept: undefined })).toEqual({ [`${at}.accept`]: '应写明接受的文件类型 { mimeTypes, extensions }' });
  });
});
