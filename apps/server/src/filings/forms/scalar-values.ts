import type { CellValue, ChoiceOption, MultipleChoiceField, NumberField, ScalarField } from './form-types';
import { charCount, isCalendarDay, withUnit } from './shared';
import { compileTextPattern } from './text-pattern';

/** A value that is present: either normalised, or the reason it is refused (without the field's name). */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/**
 * Checks one present (non-empty) value of a scalar field. The first broken rule is reported:
 * a wrong type makes range and length meaningless. `partial` relaxes only minimum counts.
 */
export function checkScalar(field: ScalarField, raw: unknown, partial: boolean): Checked<CellValue> {
  switch (field.type) {
    case 'shortText':
    case 'longText':
      return checkText(field, raw);
    case 'number':
      return checkNumber(field, raw);
    case 'date':
      return checkDate(field.min, field.max, raw);
    case 'singleChoice':
      if (typeof raw !== 'string') return fail('应为一个选项');
      return findOption(field.options, raw) ? { ok: true, value: raw } : fail(unknownOption(field.options, raw));
    case 'multipleChoice':
      return checkMultiple(field, raw, partial);
  }
}

function checkText(field: ScalarField & { type: 'shortText' | 'longText' }, raw: unknown): Checked<string> {
  if (typeof raw !== 'string') return fail('应为文本');
  // Line endings differ by browser; store one form so lengths and versions compare equal.
  const value = raw.replace(/\r\n?/g, '\n').trim();
  if (field.type === 'shortText' && value.includes('\n')) return fail('不能换行');
  const length = charCount(value);
  if (length > field.maxLength) return fail(`长度为 ${length} 个字，超过上限 ${field.maxLength} 个字`);
  if (field.type === 'shortText' && field.pattern) {
    // The same RE2 engine the definition was checked with: linear time, whatever the rule and the value.
    const pattern = compileTextPattern(field.pattern.regex);
    if (!pattern.ok) return fail(`的格式规则无法使用（${pattern.reason}），请联系党委修改表单`);
    if (!pattern.matches(value)) return fail(`格式不正确，应为：${field.pattern.description}`);
  }
  return { ok: true, value };
}

function checkNumber(field: NumberField, raw: unknown): Checked<number> {
  // Strings are refused, not parsed: “1,5” or “五” would be guessed wrong, and the UI sends numbers.
  if (typeof raw === 'string') return fail(`应为数字，而不是文本“${raw}”`);
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return fail('应为数字');
  if (field.integer && !Number.isInteger(raw)) return fail('应为整数');
  if (field.min !== undefined && raw < field.min) return fail(`不能小于 ${withUnit(field.min, field.unit)}`);
  if (field.max !== undefined && raw > field.max) return fail(`不能大于 ${withUnit(field.max, field.unit)}`);
  return { ok: true, value: raw === 0 ? 0 : raw }; // -0 would print as 0 but compare oddly in JSON diffs
}

/** Dates are calendar days, not instants: an ISO timestamp would name a different day in UTC. */
export function checkDate(min: string | undefined, max: string | undefined, raw: unknown): Checked<string> {
  if (typeof raw !== 'string' || !isCalendarDay(raw.trim())) return fail('日期无效，应为 YYYY-MM-DD');
  const value = raw.trim();
  if (min !== undefined && value < min) return fail(`不能早于 ${min}`);
  if (max !== undefined && value > max) return fail(`不能晚于 ${max}`);
  return { ok: true, value };
}

const findOption = (options: readonly ChoiceOption[], value: string) => options.find((o) => o.value === value);

const unknownOption = (options: readonly ChoiceOption[], value: string) =>
  `的选项“${value}”不在可选范围内，可选：${options.map((o) => `${o.label}（${o.value}）`).join('、')}`;

function checkMultiple(field: MultipleChoiceField, raw: unknown, partial: boolean): Checked<string[]> {
  if (!Array.isArray(raw)) return fail('应为选项列表');
  const seen = new Set<string>();
  for (const item of raw) {
    if (typeof item !== 'string') return fail('应为选项列表，每项是一个选项值');
    if (!findOption(field.options, item)) return fail(unknownOption(field.options, item));
    if (seen.has(item)) return fail(`的选项“${findOption(field.options, item)?.label}”重复选择`);
    seen.add(item);
  }
  if (field.maxSelections !== undefined && seen.size > field.maxSelections) return fail(`最多选择 ${field.maxSelections} 项，现选了 ${seen.size} 项`);
  if (!partial && field.minSelections !== undefined && seen.size < field.minSelections) {
    return fail(`至少选择 ${field.minSelections} 项，现选了 ${seen.size} 项`);
  }
  // Stored in the definition's order so two submissions with the same choices are equal.
  return { ok: true, value: field.options.filter((o) => seen.has(o.value)).map((o) => o.value) };
}
