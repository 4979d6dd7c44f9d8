import { parse } from 'csv-parse/sync';
import { DomainError, FieldError } from './errors/domain-error';

/** Parses CSV text with a header row; strips a BOM (Excel writes one) and blank lines. */
export function parseCsv(text: string, required: string[]): Record<string, string>[] {
  if (!text || !text.trim()) throw DomainError.validation([{ field: 'csv', message: '字段 csv（CSV 内容）不能为空' }]);
  let rows: Record<string, string>[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (e) {
    throw DomainError.validation([{ field: 'csv', message: csvParseMessage(e as { code?: string; lines?: number }) }]);
  }
  const header = rows.length ? Object.keys(rows[0]) : [];
  const missing = required.filter((c) => !header.includes(c));
  if (rows.length === 0 || missing.length) {
    throw DomainError.validation([{ field: 'csv', message: missing.length ? `CSV 缺少列：${missing.join('、')}` : 'CSV 没有数据行' }]);
  }
  return rows;
}

/** What went wrong, in Chinese: csv-parse's own messages are English ("Quote Not Closed: the parsing is finished…"). */
const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: '引号没有闭合',
  CSV_INVALID_CLOSING_QUOTE: '引号后面多了字符',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: '引号后面多了字符',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: '列数与第一行（列名）不一致',
  CSV_RECORD_INCONSISTENT_COLUMNS: '列数与第一行（列名）不一致',
  CSV_MAX_RECORD_SIZE: '一行过长',
  CSV_INVALID_COLUMN_DEFINITION: '第一行（列名）有误',
  CSV_OPTION_COLUMNS_MISSING_NAME: '第一行（列名）有空的列名',
};

export function csvParseMessage(e: { code?: string; lines?: number }): string {
  const where = typeof e.lines === 'number' && e.lines > 0 ? `第 ${e.lines} 行` : '';
  return `CSV 无法解析：${where}${CSV_PROBLEMS[e.code ?? ''] ?? '格式不正确'}，请检查后重新提交`;
}

/** Prefixes each row's field errors with its line number (line 1 is the header). */
export function rowErrors(index: number, errors: FieldError[]): FieldError[] {
  return errors.map((e) => ({ field: `第${index + 2}行.${e.field}`, message: `第 ${index + 2} 行：${e.message}` }));
}
