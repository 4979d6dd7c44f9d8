import { parse } from 'csv-parse/sync';
import { DomainError, FieldError } from './errors/domain-error';

/** Parses CSV text with a header row; strips a BOM (Excel writes one) and blank lines. */
export function parseCsv(text: string, required: string[]): Record<string, string>[] {
  if (!text || !text.trim()) throw DomainError.validation([{ field: 'csv', message: '字段 csv（CSV 内容）不能为空' }]);
  let rows: Record<string, string>[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (e) {
    throw DomainError.validation([{ field: 'csv', message: `CSV 无法解析：${(e as Error).message}` }]);
  }
  const header = rows.length ? Object.keys(rows[0]) : [];
  const missing = required.filter((c) => !header.includes(c));
  if (rows.length === 0 || missing.length) {
    throw DomainError.validation([{ field: 'csv', message: missing.length ? `CSV 缺少列：${missing.join('、')}` : 'CSV 没有数据行' }]);
  }
  return rows;
}

/** Prefixes each row's field errors with its line number (line 1 is the header). */
export function rowErrors(index: number, errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ field: `第${index + 2}行.${e.field}`, message: `第 ${index + 2} 行：${e.message}` }));
}
