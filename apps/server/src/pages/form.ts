import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError, ErrorCode, FieldError, STATUS_OF } from '../common/errors/domain-error';
import { outageError } from '../common/errors/domain-error.filter';
import { plainWords } from '../common/errors/plain-words';
import { toFieldErrors } from '../common/validation/messages';

/** HTML forms send strings and empty fields; turn them into a DTO and validate, keeping what was typed. */
export function readForm<T extends object>(cls: ClassConstructor<T>, body: Record<string, unknown>, numeric: string[] = []): { dto: T; errors: FieldError[] } {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body ?? {})) {
    if (k === '_csrf' || v === '' || v === undefined) continue;
    clean[k] = numeric.includes(k) ? Number(v) : v;
  }
  const dto = plainToInstance(cls, clean);
  return { dto, errors: toFieldErrors(validateSync(dto, { whitelist: true })) };
}

/**
 * The person's action was accepted by its workflow and is still being completed (a 202, temporal/update-errors.ts):
 * the page it was taken on, reloaded, says so in the layout (`done=pending`) and its live status shows the result.
 */
export function isPending(err: unknown): boolean {
  return err instanceof DomainError && err.code === ErrorCode.PENDING;
}

/** Field errors keyed by field for the templates; a DomainError's fields, or its message under `_`. */
export function errorMap(failure: unknown): Record<string, string> {
  // Temporal or the database unreachable for now: said on the page, which keeps what was typed.
  const err = outageError(failure) ?? failure;
  if (err instanceof DomainError) {
    const map: Record<string, string> = {};
    // What the page shows, in plain words: the label, never the field's path.
    for (const f of err.fields) map[f.field] = map[f.field] ? `${map[f.field]}；${plainWords(f.message)}` : plainWords(f.message);
    map._ = plainWords(err.message);
    return map;
  }
  throw err;
}

/** The status a page answers with for an error `errorMap` shows in place (any other error is the filter's). */
export function statusOf(err: unknown): number {
  const known = err instanceof DomainError ? err : outageError(err);
  return known ? STATUS_OF[known.code] : 500;
}

export function fieldsToMap(errors: FieldError[]): Record<string, string> {
  return errorMap(DomainError.validation(errors));
}
