import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { DocumentModel } from './document-model.dto';
import { M } from './validation-messages';

export interface FieldError {
  field: string;
  message: string;
}

export type ValidationResult = { ok: true; model: DocumentModel } | { ok: false; errors: FieldError[] };

/** Validates untrusted input and lists every bad field with a dotted/indexed path (body[3].text). */
export function validateDocumentModel(input: unknown): ValidationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ field: '', message: '公文数据必须是对象' }] };
  }
  const model = plainToInstance(DocumentModel, input);
  const errors = flatten(validateSync(model, { forbidUnknownValues: true, whitelist: true, forbidNonWhitelisted: true }), '');
  if (model.secretTerm !== undefined && model.secretLevel === undefined) {
    errors.push({ field: 'secretLevel', message: `${M.required('secretLevel')}（已填写保密期限）` });
  }
  return errors.length ? { ok: false, errors } : { ok: true, model };
}

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      out.push({ field: path, message: rule === 'whitelistValidation' ? `${e.property} 不是公文的字段` : message });
    }
    if (e.children?.length) out.push(...flatten(e.children, path));
  }
  return out;
}
