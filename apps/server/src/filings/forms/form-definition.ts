import type { FieldError } from '../../common/errors/domain-error';
import { FIELD_TYPES, KEY_PATTERN, LIMITS, SCALAR_TYPES, type FormDefinition } from './form-types';
import { charCount, isCalendarDay, isPlainObject, own } from './shared';
import { compileTextPattern } from './text-pattern';

/** The form model (types in form-types.ts) and the check that a definition is sound before anyone fills it in. */
export * from './form-types';

type Obj = Record<string, unknown>;
type Report = (path: string, message: string) => void;

/** Properties each type may carry; anything else is a typo (`maxlength`) that would silently do nothing. */
const BASE = ['key', 'label', 'required', 'help', 'type'];
const PROPS: Record<string, string[]> = {
  shortText: ['maxLength', 'pattern'],
  longText: ['maxLength'],
  number: ['min', 'max', 'integer', 'unit'],
  date: ['min', 'max'],
  singleChoice: ['options'],
  multipleChoice: ['options', 'minSelections', 'maxSelections'],
  table: ['columns', 'minRows', 'maxRows'],
  files: ['accept', 'maxSizeBytes', 'maxCount'],
};

/**
 * Checks a form definition (e.g. one an administrator saved, or loaded from the database) and returns
 * every problem with its path (`fields[2].options[0].value`) and a Chinese message; empty when sound.
 */
export function validateFormDefinition(def: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const report: Report = (field, message) => errors.push({ field, message });
  if (!isPlainObject(def)) {
    report('', '表单定义应为对象');
    return errors;
  }
  unknownProps(def, ['title', 'description', 'fields'], '', report);
  text(def, 'title', '', LIMITS.titleLength, true, '表单标题', report);
  text(def, 'description', '', LIMITS.descriptionLength, false, '表单说明', report);
  const fields = own(def, 'fields');
  if (!Array.isArray(fields) || fields.length === 0) report('fields', '表单至少需要一个字段');
  else if (fields.length > LIMITS.fields) report('fields', `表单最多 ${LIMITS.fields} 个字段`);
  else checkFieldList(fields, 'fields', true, report);
  return errors;
}

/** The definition as a typed value, or every problem found. */
export function parseFormDefinition(def: unknown): { ok: true; definition: FormDefinition } | { ok: false; errors: FieldError[] } {
  const errors = validateFormDefinition(def);
  return errors.length ? { ok: false, errors } : { ok: true, definition: def as FormDefinition };
}

function checkFieldList(fields: unknown[], path: string, topLevel: boolean, report: Report): void {
  const keys = new Map<string, number>();
  fields.forEach((f, i) => {
    const at = `${path}[${i}]`;
    if (!isPlainObject(f)) return report(at, '字段定义应为对象');
    const key = own(f, 'key');
    if (typeof key === 'string') {
      if (keys.has(key)) report(`${at}.key`, `字段名 ${key} 与第 ${(keys.get(key) ?? 0) + 1} 个字段重复`);
      else keys.set(key, i);
    }
    checkField(f, at, topLevel, report);
  });
}

function checkField(f: Obj, at: string, topLevel: boolean, report: Report): void {
  const key = own(f, 'key');
  if (typeof key !== 'string' || !KEY_PATTERN.test(key) || key.length > LIMITS.keyLength) {
    report(`${at}.key`, `字段名应为字母开头、由字母数字和下划线组成的标识符（最长 ${LIMITS.keyLength} 个字符）`);
  }
  text(f, 'label', at, LIMITS.labelLength, true, '字段标题', report);
  text(f, 'help', at, LIMITS.helpLength, false, '填写说明', report);
  if (typeof own(f, 'required') !== 'boolean') report(`${at}.required`, '必填标志应为 true 或 false');
  const type = own(f, 'type');
  const allowed = topLevel ? FIELD_TYPES : SCALAR_TYPES;
  if (typeof type !== 'string' || !(allowed as readonly string[]).includes(type)) {
    report(`${at}.type`, topLevel ? `字段类型无效，可选：${FIELD_TYPES.join('、')}` : `表格列只能是单值类型：${SCALAR_TYPES.join('、')}`);
    return;
  }
  unknownProps(f, [...BASE, ...PROPS[type]], at, report);
  CHECKS[type](f, at, report);
}

const CHECKS: Record<string, (f: Obj, at: string, report: Report) => void> = {
  shortText: (f, at, report) => {
    int(f, 'maxLength', at, 1, LIMITS.shortTextLength, true, report);
    const pattern = own(f, 'pattern');
    if (pattern === undefined) return;
    if (!isPlainObject(pattern)) return report(`${at}.pattern`, '格式要求应为 { regex, description }');
    unknownProps(pattern, ['regex', 'description'], `${at}.pattern`, report);
    const regex = own(pattern, 'regex');
    // Compiled by the engine that will run it at autosave and submission (RE2, linear time).
    const compiled = typeof regex === 'string' && regex !== '' ? compileTextPattern(regex) : { ok: false as const, reason: '正则表达式无效' };
    if (!compiled.ok) report(`${at}.pattern.regex`, `字段“${labelOf(f)}”的格式规则无法使用：${compiled.reason}`);
    text(pattern, 'description', `${at}.pattern`, LIMITS.helpLength, true, '格式说明', report);
  },
  longText: (f, at, report) => int(f, 'maxLength', at, 1, LIMITS.longTextLength, true, report),
  number: (f, at, report) => {
    const integer = own(f, 'integer');
    if (integer !== undefined && typeof integer !== 'boolean') report(`${at}.integer`, '整数标志应为 true 或 false');
    for (const bound of ['min', 'max']) {
      const v = own(f, bound);
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) report(`${at}.${bound}`, `${bound} 应为有限的数字`);
      else if (integer === true && !Number.isInteger(v)) report(`${at}.${bound}`, `整数字段的 ${bound} 应为整数`);
    }
    ordered(own(f, 'min'), own(f, 'max'), `${at}.max`, '最大值不能小于最小值', report);
    text(f, 'unit', at, LIMITS.unitLength, false, '单位', report);
  },
  date: (f, at, report) => {
    for (const bound of ['min', 'max']) {
      const v = own(f, bound);
      if (v !== undefined && (typeof v !== 'string' || !isCalendarDay(v))) report(`${at}.${bound}`, `${bound} 应为 YYYY-MM-DD 格式的真实日期`);
    }
    ordered(own(f, 'min'), own(f, 'max'), `${at}.max`, '最晚日期不能早于最早日期', report);
  },
  singleChoice: (f, at, report) => void options(f, at, report),
  multipleChoice: (f, at, report) => {
    const count = options(f, at, report);
    int(f, 'minSelections', at, 0, count, false, report);
    int(f, 'maxSelections', at, 1, count, false, report);
    ordered(own(f, 'minSelections'), own(f, 'maxSelections'), `${at}.maxSelections`, '最多选择数不能小于最少选择数', report);
  },
  table: (f, at, report) => {
    const columns = own(f, 'columns');
    if (!Array.isArray(columns) || columns.length === 0) report(`${at}.columns`, '表格至少需要一列');
    else if (columns.length > LIMITS.fields) report(`${at}.columns`, `表格最多 ${LIMITS.fields} 列`);
    else checkFieldList(columns, `${at}.columns`, false, report);
    int(f, 'minRows', at, 0, LIMITS.tableRows, false, report);
    int(f, 'maxRows', at, 1, LIMITS.tableRows, true, report);
    ordered(own(f, 'minRows'), own(f, 'maxRows'), `${at}.maxRows`, '最多行数不能小于最少行数', report);
  },
  files: (f, at, report) => {
    int(f, 'maxSizeBytes', at, 1, LIMITS.fileSizeBytes, true, report);
    int(f, 'maxCount', at, 1, LIMITS.fileCount, true, report);
    const accept = own(f, 'accept');
    if (!isPlainObject(accept)) return report(`${at}.accept`, '应写明接受的文件类型 { mimeTypes, extensions }');
    unknownProps(accept, ['mimeTypes', 'extensions'], `${at}.accept`, report);
    list(accept, 'mimeTypes', `${at}.accept`, /^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/i, 'MIME 类型（如 application/pdf 或 image/*）', report);
    list(accept, 'extensions', `${at}.accept`, /^\.[a-z0-9]+$/, '小写扩展名（如 .pdf）', report);
  },
};

/** Returns how many options there are, so selection bounds can be checked against it. */
function options(f: Obj, at: string, report: Report): number {
  const opts = own(f, 'options');
  if (!Array.isArray(opts) || opts.length === 0) {
    report(`${at}.options`, '选择题至少需要一个选项');
    return 0;
  }
  if (opts.length > LIMITS.options) report(`${at}.options`, `最多 ${LIMITS.options} 个选项`);
  const values = new Set<unknown>();
  const labels = new Set<unknown>();
  opts.forEach((o, i) => {
    const oat = `${at}.options[${i}]`;
    if (!isPlainObject(o)) return report(oat, '选项应为 { value, label }');
    unknownProps(o, ['value', 'label'], oat, report);
    const value = own(o, 'value');
    const label = own(o, 'label');
    if (typeof value !== 'string' || value.trim() === '' || value !== value.trim()) report(`${oat}.value`, '选项值应为非空文本，且首尾不能有空格');
    else if (values.has(value)) report(`${oat}.value`, `选项值“${value}”重复`);
    if (typeof label !== 'string' || label.trim() === '') report(`${oat}.label`, '选项标题应为非空文本');
    else if (labels.has(label)) report(`${oat}.label`, `选项标题“${label}”重复`);
    values.add(value);
    labels.add(label);
  });
  return opts.length;
}

function text(o: Obj, key: string, at: string, max: number, required: boolean, what: string, report: Report): void {
  const v = own(o, key);
  const path = at ? `${at}.${key}` : key;
  if (v === undefined && !required) return;
  if (typeof v !== 'string' || v.trim() === '') report(path, `${what}应为非空文本`);
  else if (charCount(v) > max) report(path, `${what}最长 ${max} 个字`);
}

function int(o: Obj, key: string, at: string, min: number, max: number, required: boolean, report: Report): void {
  const v = own(o, key);
  if (v === undefined && !required) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) report(`${at}.${key}`, `${key} 应为 ${min} 到 ${max} 之间的整数`);
}

function ordered(lo: unknown, hi: unknown, path: string, message: string, report: Report): void {
  if ((typeof lo === 'number' && typeof hi === 'number') || (typeof lo === 'string' && typeof hi === 'string')) {
    if (lo > hi) report(path, message);
  }
}

function list(o: Obj, key: string, at: string, item: RegExp, what: string, report: Report): void {
  const v = own(o, key);
  if (!Array.isArray(v) || v.length === 0) return report(`${at}.${key}`, `不能为空，每项应为 ${what}`);
  v.forEach((x, i) => {
    if (typeof x !== 'string' || !item.test(x)) report(`${at}.${key}[${i}]`, `应为 ${what}`);
  });
}

function unknownProps(o: Obj, allowed: string[], at: string, report: Report): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) report(at ? `${at}.${key}` : key, `未知属性 ${key}，可用：${allowed.join('、')}`);
  }
}

/** How a message names the field being defined: its title, else its key (the definition may be half-written). */
function labelOf(f: Obj): string {
  const label = own(f, 'label');
  const key = own(f, 'key');
  return typeof label === 'string' && label.trim() ? label.trim() : typeof key === 'string' ? key : '';
}
