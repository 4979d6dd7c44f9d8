import type { ValidationError } from 'class-validator';
import type { FieldError } from '../errors/domain-error';
import { plainWords } from '../errors/plain-words';

/** Chinese reasons for class-validator's constraint names; `$c1` is the first constraint argument. */
const REASONS: Record<string, string> = {
  isNotEmpty: '不能为空',
  isDefined: '必须填写',
  isString: '必须是文本',
  isInt: '必须是整数',
  isNumber: '必须是数字',
  isBoolean: '必须是 true 或 false',
  isArray: '必须是列表',
  arrayNotEmpty: '至少需要一项',
  arrayMinSize: '至少需要 $c1 项',
  arrayMaxSize: '最多 $c1 项',
  min: '不能小于 $c1',
  max: '不能大于 $c1',
  minLength: '长度不能少于 $c1 个字符',
  maxLength: '长度不能超过 $c1 个字符',
  isEnum: '取值无效，可选：$c1',
  isIn: '取值无效，可选：$c1',
  isUuid: '必须是有效的编号（UUID）',
  isDateString: '必须是有效的日期（如 2017-04-21）',
  isIso8601: '必须是有效的日期时间',
  isDateTime: '必须是有效的日期或时间（如 2030-01-15 或 2030-01-15T17:30:00+08:00）',
  matches: '格式不正确',
  isObject: '必须是对象',
  whitelistValidation: '是不允许的字段',
  nestedValidation: '格式不正确',
};

function reason(name: string, args: unknown[]): string {
  const template = REASONS[name] ?? '不符合要求';
  const first = args[0];
  const shown = Array.isArray(first) ? first.join('、') : typeof first === 'object' && first ? Object.values(first).join('、') : String(first ?? '');
  return template.replace('$c1', shown);
}

/** Flattens nested class-validator errors into one entry per field, with a Chinese message naming it. */
// When a field breaks several rules, report the most basic one (missing before malformed before too long).
const PRIORITY = [
  'whitelistValidation',
  'isDefined',
  'isNotEmpty',
  'arrayNotEmpty',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isEnum',
  'isIn',
  'isUuid',
  'isDateString',
  'isDateTime',
  'matches',
];
/** Constraints whose own message already says the value is missing (or, for the whitelist, that it must not be there). */
const SAYS_MISSING = ['whitelistValidation', 'isDefined', 'isNotEmpty', 'arrayNotEmpty'];
/** Words with which a DTO's own message already says a value must be given. */
const ASKS_FOR_VALUE = /必须填写|不能为空|必填|请填写|请选择/;
const rank = (c: string) => (PRIORITY.includes(c) ? PRIORITY.indexOf(c) : PRIORITY.length);

export function toFieldErrors(errors: ValidationError[], labels: Record<string, string> = {}, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    const label = labels[path] ?? labels[e.property];
    const name = label ? `${path}（${label}）` : path;
    const first = Object.entries(e.constraints ?? {})
      .sort(([a], [b]) => rank(a) - rank(b))
      .slice(0, 1);
    // Nothing sent for a required field: say that, not what kind of value it should have been ("密码必须是文本").
    const absent = e.value === undefined || e.value === null;
    for (const [constraint, message] of first) {
      // A DTO's own message that already asks for the value ("签发人必须填写，且须为人员编号") says more; keep it.
      if (absent && !e.children?.length && !SAYS_MISSING.includes(constraint) && !ASKS_FOR_VALUE.test(message ?? '')) {
        const named = namedIn(message, e.property, path);
        out.push({ field: path, message: plainWords(named ? `${named}不能为空` : `字段 ${name} 不能为空`) });
        continue;
      }
      // A DTO's own Chinese message already names the field; class-validator's English defaults do not (an English
      // default quotes the property, which may itself be Chinese: "property 中文键 should not exist").
      if (message && /[\u4e00-\u9fff]/.test(message.split(e.property).join(''))) {
        out.push({ field: path, message: plainWords(prefix ? message.replace(/^字段 \S+?(（|\s)/, `字段 ${path}$1`) : message) });
        continue;
      }
      const args = (e.contexts?.[constraint]?.args as unknown[]) ?? constraintArgs(e, constraint);
      // In plain words (the label, never the path) for the pages; the path stays in `field`.
      out.push({ field: path, message: plainWords(`字段 ${name} ${reason(constraint, args)}`) });
    }
    if (e.children?.length) out.push(...toFieldErrors(e.children, labels, path));
  }
  return out;
}

/** The "字段 path（label）" a DTO's own Chinese message starts with, for the field at `path`. */
function namedIn(message: string | undefined, property: string, path: string): string | undefined {
  const m = message && /[\u4e00-\u9fff]/.test(message.split(property).join('')) ? /^字段 \S+?（[^）]+）/.exec(message) : null;
  return m ? m[0].replace(/^字段 \S+?（/, `字段 ${path}（`) : undefined;
}

// class-validator keeps the constraint arguments only in its metadata; recover the common ones from the message.
function constraintArgs(e: ValidationError, constraint: string): unknown[] {
  const message = e.constraints?.[constraint] ?? '';
  if (constraint === 'isEnum' || constraint === 'isIn') {
    const m = /following values: (.*)$/.exec(message);
    return m ? [m[1]] : [];
  }
  const n = /(-?\d+(\.\d+)?)/.exec(message);
  return n ? [n[1]] : [];
}
