import type { FieldError } from '../../common/errors/domain-error';
import { plainWords } from '../../common/errors/plain-words';
import type { FormDefinition, FormField, FormValues, ScalarField } from './form-types';
import { validateSubmission } from './form-values';
import { isPlainObject } from './shared';

/** A part of a draft that autosave could not keep: where (the path), the field's label, and why in the user's words. */
export interface SkippedField {
  field: string;
  label: string;
  message: string;
}

export interface DraftResult {
  /** Every valid part, normalised as a submission would be. */
  values: FormValues;
  skipped: SkippedField[];
}

const PATH = /^([A-Za-z][A-Za-z0-9_]*)(?:\[(\d+)\](?:\.([A-Za-z][A-Za-z0-9_]*))?)?$/;

/**
 * An autosaved draft keeps what is valid: a half-typed number or a bad date in one field (or one table cell) does not
 * cost the branch everything else it typed. Each part left out is named by its label with the reason, so the page can
 * say what was not kept. Required fields and minimum counts are not asked of a draft.
 */
export function keepValidDraft(def: FormDefinition, values: Record<string, unknown>): DraftResult {
  const first = validateSubmission(def, values, { partial: true });
  if (first.ok) return { values: first.values, skipped: [] };
  const skipped = first.errors.map((e) => ({ field: e.field, label: labelOf(def, e.field), message: plainWords(e.message) }));
  const kept = without(def, values, first.errors);
  const second = validateSubmission(def, kept, { partial: true });
  if (second.ok) return { values: second.values, skipped };
  // Not expected (the parts left out were the only ones in error); drop whole fields rather than keep anything invalid.
  const keys = new Set(second.errors.map((e) => PATH.exec(e.field)?.[1] ?? e.field));
  const third = validateSubmission(def, Object.fromEntries(Object.entries(kept).filter(([k]) => !keys.has(k))), { partial: true });
  return { values: third.ok ? third.values : {}, skipped };
}

/** The values without the parts in error: a table cell alone where the error is a cell's, else the whole field. */
function without(def: FormDefinition, values: Record<string, unknown>, errors: FieldError[]): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(values)) as Record<string, unknown>;
  for (const e of errors) {
    const m = PATH.exec(e.field);
    if (!m) continue;
    const [, key, index, column] = m;
    const field = def.fields.find((f) => f.key === key);
    const rows = copy[key];
    if (field?.type === 'table' && index !== undefined && Array.isArray(rows)) {
      const row: unknown = rows[Number(index)];
      if (column !== undefined && isPlainObject(row)) delete row[column];
      // A row that is not a row keeps its place (the rows after it keep their numbers), empty.
      else if (column === undefined) rows[Number(index)] = {};
      continue;
    }
    delete copy[key];
  }
  return copy;
}

function labelOf(def: FormDefinition, path: string): string {
  const m = PATH.exec(path);
  const field = m ? def.fields.find((f) => f.key === m[1]) : undefined;
  if (!m || !field) return '未知字段';
  if (field.type === 'table' && m[2] !== undefined) {
    const column = m[3] !== undefined ? field.columns.find((c) => c.key === m[3]) : undefined;
    return `${field.label}第${Number(m[2]) + 1}行${column ? `的“${column.label}”` : ''}`;
  }
  return field.label;
}

/** One field's value as a line of text a person compares (option labels, units, table rows, file names). */
function scalarText(f: ScalarField, v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  if (f.type === 'number') return f.unit ? `${String(v)} ${f.unit}` : String(v);
  if (f.type === 'singleChoice') return f.options.find((o) => o.value === v)?.label ?? String(v);
  if (f.type === 'multipleChoice') return (Array.isArray(v) ? v : [v]).map((x) => f.options.find((o) => o.value === x)?.label ?? String(x)).join('、');
  return String(v);
}

function fieldText(f: FormField, v: unknown): string {
  if (f.type === 'table') {
    const rows = Array.isArray(v) ? v : [];
    return rows
      .map((row: unknown, i) => {
        const cells = f.columns
          .map((c) => [c.label, scalarText(c, isPlainObject(row) ? row[c.key] : undefined)])
          .filter(([, t]) => t)
          .map(([l, t]) => `${l}：${t}`);
        return `第${i + 1}行 ${cells.join('，') || '（空）'}`;
      })
      .join('\n');
  }
  if (f.type === 'files') return (Array.isArray(v) ? (v as { name?: unknown }[]) : []).map((x) => String(x?.name ?? '附件')).join('、');
  return scalarText(f, v);
}

export interface ComparedField {
  key: string;
  label: string;
  mine: string;
  theirs: string;
}

/** The fields where two drafts differ, each as text, in the form's order: what the second writer chooses between. */
export function compareDrafts(def: FormDefinition, mine: Record<string, unknown>, theirs: Record<string, unknown>): ComparedField[] {
  return def.fields
    .map((f) => ({ key: f.key, label: f.label, mine: fieldText(f, mine[f.key]), theirs: fieldText(f, theirs[f.key]) }))
    .filter((c) => c.mine !== c.theirs);
}
