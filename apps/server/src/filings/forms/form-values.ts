import type { FieldError } from '../../common/errors/domain-error';
import type { FieldValue, FormDefinition, FormValues } from './form-types';
import { checkFiles } from './file-values';
import { checkScalar } from './scalar-values';
import { checkTable } from './table-values';
import { fieldName, isMissing, isPlainObject, own } from './shared';

export interface SubmissionOptions {
  /** Autosaved drafts: required fields and minimum counts may be unmet; what is present must still be valid. */
  readonly partial?: boolean;
}

export type SubmissionResult = { ok: true; values: FormValues } | { ok: false; errors: FieldError[] };

/**
 * Checks a branch's values against a definition already accepted by `validateFormDefinition`.
 * Every bad field is reported (not just the first), each in Chinese naming the field's label and key,
 * so a 400 tells the branch secretary everything to fix in one go. Empty values (null, '', [])
 * count as not filled in and are left out of the normalised values.
 */
export function validateSubmission(def: FormDefinition, values: unknown, opts: SubmissionOptions = {}): SubmissionResult {
  const partial = opts.partial === true;
  if (!isPlainObject(values)) return { ok: false, errors: [{ field: '', message: '提交内容应为一个对象（字段名到取值）' }] };
  const errors: FieldError[] = [];
  for (const key of Object.keys(values)) {
    // Refused rather than dropped: a misspelt key would otherwise lose what the branch typed.
    if (!def.fields.some((f) => f.key === key)) errors.push({ field: key, message: `未知字段（${key}），本表单没有这个字段` });
  }
  const out: FormValues = {};
  for (const field of def.fields) {
    const raw = own(values, field.key);
    if (isMissing(raw)) {
      if (field.required && !partial) errors.push({ field: field.key, message: `${fieldName(field)}必须填写` });
      continue;
    }
    let value: FieldValue | undefined;
    if (field.type === 'table' || field.type === 'files') {
      const checked = field.type === 'table' ? checkTable(field, raw, partial) : checkFiles(field, raw);
      errors.push(...checked.errors);
      value = checked.value;
    } else {
      const checked = checkScalar(field, raw, partial);
      if (checked.ok) value = checked.value;
      else errors.push({ field: field.key, message: `${fieldName(field)}${checked.reason}` });
    }
    if (value !== undefined) out[field.key] = value;
  }
  return errors.length ? { ok: false, errors } : { ok: true, values: out };
}
