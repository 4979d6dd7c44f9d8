import type { FieldError } from '../../common/errors/domain-error';
import type { TableField, TableRow } from './form-types';
import { checkScalar } from './scalar-values';
import { fieldName, isMissing, isPlainObject, own } from './shared';

/**
 * Checks a present table. Cell errors use the path `key[i].column` (zero-based, as the client
 * indexes its rows) and say “第 i+1 行” (as people count them). In `partial` mode the minimum
 * number of rows and required cells are not enforced: a draft is allowed to be unfinished.
 */
export function checkTable(field: TableField, raw: unknown, partial: boolean): { value?: TableRow[]; errors: FieldError[] } {
  const name = fieldName(field);
  if (!Array.isArray(raw)) return { errors: [{ field: field.key, message: `${name}应为表格（行的列表）` }] };
  const errors: FieldError[] = [];
  if (raw.length > field.maxRows) errors.push({ field: field.key, message: `${name}最多 ${field.maxRows} 行，现有 ${raw.length} 行` });
  if (!partial && field.minRows !== undefined && raw.length < field.minRows) {
    errors.push({ field: field.key, message: `${name}至少需要 ${field.minRows} 行，现有 ${raw.length} 行` });
  }
  const rows = raw.map((row, i) => checkRow(field, row, i, partial, errors));
  return errors.length ? { errors } : { value: rows, errors };
}

function checkRow(field: TableField, row: unknown, i: number, partial: boolean, errors: FieldError[]): TableRow {
  const path = `${field.key}[${i}]`;
  const rowName = `${fieldName(field)}第 ${i + 1} 行`;
  const out: TableRow = {};
  if (!isPlainObject(row)) {
    errors.push({ field: path, message: `${rowName}应为一行数据（列名到取值）` });
    return out;
  }
  for (const key of Object.keys(row)) {
    if (!field.columns.some((c) => c.key === key)) errors.push({ field: `${path}.${key}`, message: `${rowName}含有未知列（${key}），本表格没有这一列` });
  }
  for (const column of field.columns) {
    const raw = own(row, column.key);
    const cellName = `${rowName}“${column.label}”（${column.key}）`;
    if (isMissing(raw)) {
      if (column.required && !partial) errors.push({ field: `${path}.${column.key}`, message: `${cellName}必须填写` });
      continue;
    }
    const checked = checkScalar(column, raw, partial);
    if (checked.ok) out[column.key] = checked.value;
    else errors.push({ field: `${path}.${column.key}`, message: `${cellName}${checked.reason}` });
  }
  return out;
}
