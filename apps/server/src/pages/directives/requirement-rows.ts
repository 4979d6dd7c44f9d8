import { canonicalJson } from '../../audit/audit-hash';
import type { FieldError } from '../../common/errors/domain-error';
import type { RequirementDto } from '../../filings/dto/filing.dto';
import { ANNUAL_WORK_PLAN, RECTIFICATION_REPORT } from '../../filings/forms';
import type { FormDefinition, FormField } from '../../filings/forms/form-types';

/**
 * 填报要求 in the directive editor: one row each — the name, the form (a ready-made template, or fields typed one a
 * line), the deadline in working days after issue. A requirement saved through the API with settings the page does
 * not show (a fixed deadline, its own reminders or reviewer) rides along in `orig` and keeps them.
 */
export interface RequirementRow {
  title: string;
  template: string;
  fields: string;
  workdays: string;
  orig: string;
}

export const TEMPLATES: Record<string, FormDefinition> = { ANNUAL_WORK_PLAN, RECTIFICATION_REPORT };

export const TEMPLATE_CHOICES = [
  { value: 'ANNUAL_WORK_PLAN', label: `表单模板：${ANNUAL_WORK_PLAN.title}` },
  { value: 'RECTIFICATION_REPORT', label: `表单模板：${RECTIFICATION_REPORT.title}` },
  { value: 'CUSTOM', label: '自定义表单（在下方逐行填写要填的项目）' },
];
const KEEP = { value: 'KEEP', label: '保持原表单' };

const MB = 1024 * 1024;
const FILE_ACCEPT = {
  mimeTypes: [
    'application/pdf',
    'application/msword',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.ms-excel',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'image/jpeg',
    'image/png',
  ],
  extensions: ['.pdf', '.doc', '.docx', '.xls', '.xlsx', '.jpg', '.jpeg', '.png'],
};

/** The markers a line may end with, in （）, separated by “，”: what kind of answer, and whether it may be left empty. */
const KINDS: Record<string, (key: string, label: string, required: boolean) => FormField> = {
  数字: (key, label, required) => ({ key, label, required, type: 'number' }),
  日期: (key, label, required) => ({ key, label, required, type: 'date' }),
  附件: (key, label, required) => ({ key, label, required, type: 'files', accept: FILE_ACCEPT, maxSizeBytes: 20 * MB, maxCount: 10 }),
  单行: (key, label, required) => ({ key, label, required, type: 'shortText', maxLength: 200 }),
  多行: (key, label, required) => ({ key, label, required, type: 'longText', maxLength: 4000 }),
};
const KIND_OF: Record<string, string> = { number: '数字', date: '日期', files: '附件', shortText: '单行', longText: '多行' };

export const FIELDS_HINT =
  '每行一个填写项，如“主要做法”；可在末尾用括号注明类型：（数字）（日期）（附件）（单行），不填写也可以的加“选填”，如“经费预算（数字，选填）”。';

const lines = (v: string) =>
  v
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Fields typed one a line (“经费预算（数字，选填）”) as a form; every line that cannot be read is named. */
export function formFromLines(title: string, text: string): { form?: FormDefinition; errors: string[] } {
  const errors: string[] = [];
  const fields = lines(text).map((line, i) => {
    const m = /^(.*?)[（(]([^（）()]*)[）)]$/u.exec(line);
    const label = (m ? m[1] : line).trim();
    const marks = m ? m[2].split(/[，,、\s]+/u).filter(Boolean) : [];
    const unknown = marks.filter((k) => k !== '选填' && !KINDS[k]);
    if (unknown.length) errors.push(`第 ${i + 1} 行“${line}”括号中的“${unknown.join('、')}”无法识别，可写：数字、日期、附件、单行、选填`);
    if (!label) errors.push(`第 ${i + 1} 行没有项目名称`);
    if (label.length > 50) errors.push(`第 ${i + 1} 行的项目名称超过 50 个字`);
    const kind = marks.find((k) => KINDS[k]) ?? '多行';
    return KINDS[kind](`f${i + 1}`, label, !marks.includes('选填'));
  });
  if (!fields.length) errors.push('自定义表单至少要有一个填写项');
  return errors.length ? { errors } : { form: { title, fields }, errors };
}

/** A custom form back into lines (fields of other types, which lines cannot say, keep the form: see KEEP). */
function linesFromForm(form: FormDefinition): string | undefined {
  const out: string[] = [];
  for (const f of form.fields) {
    const kind = KIND_OF[f.type];
    if (!kind) return undefined;
    const marks = [kind === '多行' ? '' : kind, f.required ? '' : '选填'].filter(Boolean);
    out.push(marks.length ? `${f.label}（${marks.join('，')}）` : f.label);
  }
  const back = formFromLines(form.title, out.join('\n')).form;
  return back && canonicalJson(back) === canonicalJson(form) ? out.join('\n') : undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** Repeated form fields as a list, keeping empty values (a row's blank cell), so the columns stay aligned. */
export const column = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : typeof v === 'string' ? [v] : []);

export function rowsFromBody(body: Record<string, unknown>): RequirementRow[] {
  const titles = column(body.reqTitle);
  const [templates, fields, workdays, origs] = [column(body.reqTemplate), column(body.reqFields), column(body.reqWorkdays), column(body.reqOrig)];
  return titles.map((title, i) => ({ title, template: templates[i] ?? '', fields: fields[i] ?? '', workdays: workdays[i] ?? '', orig: origs[i] ?? '' }));
}

/** A saved requirement as a row of the editor. */
export function rowFromRequirement(r: {
  title: string;
  form: unknown;
  deadlineKind: string;
  deadlineAt: Date | null;
  deadlineWorkdays: number | null;
  deadlineTime: string;
  reminderDays: unknown;
  reviewerRole: string;
}): RequirementRow {
  const form = r.form as FormDefinition;
  const template = Object.keys(TEMPLATES).find((k) => canonicalJson(TEMPLATES[k]) === canonicalJson(form));
  const typed = template ? undefined : linesFromForm(form);
  const orig: Partial<RequirementDto> = {
    deadlineKind: r.deadlineKind as RequirementDto['deadlineKind'],
    deadlineAt: r.deadlineAt?.toISOString(),
    deadlineTime: r.deadlineTime,
    reminderDays: r.reminderDays as number[],
    reviewerRole: r.reviewerRole as RequirementDto['reviewerRole'],
    ...(template || typed !== undefined ? {} : { form: form as unknown as Record<string, unknown> }),
  };
  return {
    title: r.title,
    template: template ?? (typed !== undefined ? 'CUSTOM' : KEEP.value),
    fields: typed ?? '',
    workdays: r.deadlineWorkdays ? String(r.deadlineWorkdays) : '',
    orig: JSON.stringify(orig),
  };
}

function parseOrig(orig: string): Partial<RequirementDto> {
  try {
    const v: unknown = JSON.parse(orig || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<RequirementDto>) : {};
  } catch {
    return {};
  }
}

/** The rows as the service takes them (blank rows dropped), or what is wrong with them, each named by its row. */
export function rowsToRequirements(rows: RequirementRow[]): { requirements: RequirementDto[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const requirements: RequirementDto[] = [];
  rows.forEach((row, i) => {
    const title = row.title.trim();
    if (!title && !row.fields.trim() && !row.template) return;
    const at = `第 ${i + 1} 项填报要求`;
    const orig = parseOrig(row.orig);
    if (!title) errors.push({ field: `requirements[${i}].title`, message: `${at}：请填写填报名称` });
    const dto: RequirementDto = { ...orig, title, deadlineKind: orig.deadlineKind ?? 'WORKDAYS' };
    delete dto.form;
    delete dto.template;
    if (row.template === 'ANNUAL_WORK_PLAN' || row.template === 'RECTIFICATION_REPORT') dto.template = row.template;
    else if (row.template === 'CUSTOM') {
      const built = formFromLines(title, row.fields);
      if (built.form) dto.form = built.form as unknown as Record<string, unknown>;
      errors.push(...built.errors.map((message) => ({ field: `requirements[${i}].form`, message: `${at}：${message}` })));
    } else if (row.template === KEEP.value && orig.form) dto.form = orig.form;
    else errors.push({ field: `requirements[${i}].template`, message: `${at}：请选择表单（模板或自定义）` });
    const workdays = row.workdays.trim();
    if (workdays) {
      const n = Number(workdays);
      if (!Number.isInteger(n) || n < 1 || n > 250) errors.push({ field: `requirements[${i}].deadlineWorkdays`, message: `${at}：期限应为 1 至 250 个工作日` });
      dto.deadlineKind = 'WORKDAYS';
      dto.deadlineWorkdays = n;
      delete dto.deadlineAt;
    } else if (dto.deadlineKind !== 'FIXED') errors.push({ field: `requirements[${i}].deadlineWorkdays`, message: `${at}：请填写期限（印发后几个工作日内）` });
    requirements.push(dto);
  });
  return { requirements, errors };
}

/** Template choices for one row: KEEP only where the row holds a form the page cannot show. */
export function templateChoices(row: RequirementRow) {
  const choices = row.template === KEEP.value ? [KEEP, ...TEMPLATE_CHOICES] : TEMPLATE_CHOICES;
  return choices.map((c) => ({ ...c, selected: c.value === row.template }));
}

export const BLANK_ROW: RequirementRow = { title: '', template: '', fields: '', workdays: '', orig: '' };
