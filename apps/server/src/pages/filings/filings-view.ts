import { DateTime } from 'luxon';
import { ZONE } from '../../calendar/working-calendar';
import type { WorkingCalendar } from '../../calendar/working-calendar';
import type { FormDefinition, FormField, ScalarField } from '../../filings/forms/form-types';
import { describeAccept, formatBytes } from '../../filings/forms/shared';

export const FILING_STATUS_LABELS: Record<string, string> = {
  OPEN: '待填报',
  SUBMITTED: '待审核',
  RETURNED: '退回修改',
  ACCEPTED: '已通过',
  CLOSED: '已关闭',
};

export const EXTENSION_STATUS_LABELS: Record<string, string> = { PENDING: '待审批', GRANTED: '已批准', REFUSED: '未批准' };

type Values = Record<string, unknown>;
interface OptionView {
  value: string;
  label: string;
  checked: boolean;
}

/** One input (a top-level scalar field or a table cell) as the templates draw it. */
export interface InputView {
  key: string;
  label: string;
  type: ScalarField['type'];
  required: boolean;
  help?: string;
  unit?: string;
  maxLength?: number;
  min?: string | number;
  max?: string | number;
  integer?: boolean;
  minText?: string;
  maxText?: string;
  value: string;
  options: OptionView[];
  limits?: string;
}

export interface FieldView extends InputView {
  isTable: boolean;
  isFiles: boolean;
  rows: { n: number; cells: InputView[] }[];
  blankRow: InputView[];
  minRows?: number;
  maxRows?: number;
  filesHint?: string;
  files?: { name?: string; sizeText: string; json: string; href?: string }[];
  accept?: string;
  maxCount?: number;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? '' : String(v));

function inputView(f: ScalarField, raw: unknown): InputView {
  const chosen = Array.isArray(raw) ? raw.map(String) : raw === undefined || raw === null ? [] : [String(raw)];
  const base: InputView = { key: f.key, label: f.label, type: f.type, required: f.required, help: f.help, value: str(raw), options: [] };
  switch (f.type) {
    case 'shortText':
    case 'longText':
      return { ...base, maxLength: f.maxLength };
    case 'number': {
      const range = [f.min !== undefined ? `不小于 ${f.min}` : '', f.max !== undefined ? `不大于 ${f.max}` : ''].filter(Boolean).join('，');
      // As text for the page's own check before leaving (0 is a bound too).
      const bounds = { minText: f.min !== undefined ? String(f.min) : undefined, maxText: f.max !== undefined ? String(f.max) : undefined };
      return {
        ...base,
        ...bounds,
        unit: f.unit,
        min: f.min,
        max: f.max,
        integer: f.integer,
        limits: [f.integer ? '整数' : '', range].filter(Boolean).join('，'),
      };
    }
    case 'date':
      return { ...base, min: f.min, max: f.max };
    case 'singleChoice':
    case 'multipleChoice': {
      const limits =
        f.type === 'multipleChoice'
          ? [f.minSelections ? `至少选 ${f.minSelections} 项` : '', f.maxSelections ? `最多选 ${f.maxSelections} 项` : ''].filter(Boolean).join('，') ||
            '可多选'
          : undefined;
      return { ...base, limits, options: f.options.map((o) => ({ value: o.value, label: o.label, checked: chosen.includes(o.value) })) };
    }
  }
}

/** The editable form: every field with what the branch has typed so far (the saved draft, else the last version). */
export function formView(def: FormDefinition, values: Values): FieldView[] {
  return def.fields.map((f) => fieldView(f, values[f.key]));
}

function fieldView(f: FormField, raw: unknown): FieldView {
  const common = { isTable: false, isFiles: false, rows: [], blankRow: [] };
  if (f.type === 'table') {
    const given = Array.isArray(raw) ? (raw as Values[]) : [];
    const rows = given.length ? given : Array.from({ length: Math.max(f.minRows ?? 0, 1) }, (): Values => ({}));
    return {
      ...common,
      key: f.key,
      label: f.label,
      type: 'shortText',
      required: f.required,
      help: f.help,
      value: '',
      options: [],
      isTable: true,
      minRows: f.minRows,
      maxRows: f.maxRows,
      rows: rows.map((row, i) => ({ n: i + 1, cells: f.columns.map((c) => inputView(c, row?.[c.key])) })),
      blankRow: f.columns.map((c) => inputView(c, undefined)),
    };
  }
  if (f.type === 'files') {
    return {
      ...common,
      key: f.key,
      label: f.label,
      type: 'shortText',
      required: f.required,
      help: f.help,
      // The uploaded references, carried by the page as JSON and sent back with the draft.
      value: JSON.stringify(Array.isArray(raw) ? raw : []),
      files: (Array.isArray(raw) ? (raw as { name?: string; size?: number; sha256?: string }[]) : []).map((x) => ({
        ...x,
        sizeText: formatBytes(x.size ?? 0),
        json: JSON.stringify(x),
        href: fileHref(x.sha256),
      })),
      accept: [...f.accept.extensions.map((e) => (e.startsWith('.') ? e : `.${e}`)), ...f.accept.mimeTypes].join(','),
      maxCount: f.maxCount,
      options: [],
      isFiles: true,
      filesHint: `可上传 ${describeAccept(f.accept)}，每个不超过 ${formatBytes(f.maxSizeBytes)}，最多 ${f.maxCount} 个。`,
    };
  }
  return { ...common, ...inputView(f, raw) };
}

/** Where an uploaded attachment opens (GET /api/files/:sha256); nothing for a reference without a proper hash. */
function fileHref(sha256: unknown): string | undefined {
  return typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256) ? `/api/files/${sha256}` : undefined;
}

/** Submitted values as text for reading: option labels, units, tables as numbered rows, attachments as links. */
export interface ShownField {
  label: string;
  text?: string;
  rows?: { n: number; cells: { label: string; text: string }[] }[];
  files?: { name: string; sizeText: string; href?: string }[];
  empty: boolean;
}

function scalarText(f: ScalarField, v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  if (f.type === 'number') return f.unit ? `${String(v)} ${f.unit}` : String(v);
  if (f.type === 'singleChoice') return f.options.find((o) => o.value === v)?.label ?? String(v);
  if (f.type === 'multipleChoice') return (Array.isArray(v) ? v : [v]).map((x) => f.options.find((o) => o.value === x)?.label ?? String(x)).join('、');
  if (f.type === 'date') return DateTime.fromISO(String(v)).isValid ? DateTime.fromISO(String(v)).toFormat('yyyy年M月d日') : String(v);
  return String(v);
}

/** `linkFiles`: whether this reader may open the attachments (FilesService.open decides; the page only avoids dead links). */
export function shownValues(def: FormDefinition, values: Values, opts: { linkFiles?: boolean } = {}): ShownField[] {
  return def.fields.map((f) => {
    const v = values[f.key];
    if (f.type === 'table') {
      const rows = (Array.isArray(v) ? (v as Values[]) : []).map((row, i) => ({
        n: i + 1,
        cells: f.columns.map((c) => ({ label: c.label, text: scalarText(c, row?.[c.key]) || '—' })),
      }));
      return { label: f.label, rows, empty: rows.length === 0 };
    }
    if (f.type === 'files') {
      const files = Array.isArray(v) ? (v as { name?: string; size?: number; sha256?: string }[]) : [];
      return {
        label: f.label,
        text: files.map((x) => x.name ?? '').join('、'),
        files: files.map((x) => ({ name: x.name ?? '附件', sizeText: formatBytes(x.size ?? 0), href: opts.linkFiles ? fileHref(x.sha256) : undefined })),
        empty: files.length === 0,
      };
    }
    const text = scalarText(f, v);
    return { label: f.label, text, empty: !text };
  });
}

/** “还剩 3 个工作日” / “今天到期” / “已超期 2 个工作日”, counted on the working calendar in Asia/Shanghai. */
export function daysLeftText(cal: WorkingCalendar, deadline: Date, now = new Date()): { text: string; late: boolean } {
  const today = DateTime.fromJSDate(now, { zone: ZONE }).toISODate() as string;
  const due = DateTime.fromJSDate(deadline, { zone: ZONE }).toISODate() as string;
  const left = cal.workdaysBetween(today, due);
  if (deadline < now) return { text: left < 0 ? `已超期 ${-left} 个工作日` : '已过截止时间', late: true };
  return { text: left > 0 ? `还剩 ${left} 个工作日` : '今天到期', late: false };
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as the pages' `datetime` helper shows it (2026年3月1日 17:30, Asia/Shanghai), by arithmetic: Shanghai is
 * UTC+8 all year (no daylight saving since 1991), and a table of a thousand rows formats two thousand of them.
 */
export function shanghaiDateTime(d: Date): string {
  const s = new Date(d.getTime() + 8 * 3600_000);
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日 ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`;
}

/** A date and a time typed in Asia/Shanghai as an ISO instant; undefined when the date is blank or invalid. */
export function shanghaiInstant(date: string | undefined, time: string | undefined): string | undefined {
  const d = (date ?? '').trim();
  if (!d) return undefined;
  const t = (time ?? '').trim() || '17:30';
  const dt = DateTime.fromISO(`${d}T${t}`, { zone: ZONE });
  return dt.isValid ? (dt.toUTC().toISO() as string) : undefined;
}

/** What an inbox row says for a filing task, by the filing's state. */
export function filingAsked(status: string | undefined): string {
  if (status === 'SUBMITTED') return '填报 · 待审核';
  if (status === 'RETURNED') return '填报 · 退回修改';
  if (status === 'ACCEPTED') return '填报 · 已通过';
  return '填报';
}
