import { BARS } from '../../accountability/influence';
import type { FieldError } from '../../common/errors/domain-error';
import { DEFAULT_MIN_GRADE, DEFAULT_NOTICE_WORKDAYS, GRADE_ORDER, gradeLabel } from '../../commendations/commendation-config';
import type {
  ApproveDto,
  CreateCommendationRoundDto,
  DecideDto,
  NominateDto,
  ObjectionDto,
  ResolveObjectionDto,
} from '../../commendations/dto/commendation.dto';

/**
 * The 评选表扬 forms as typed. Every value stays text until it is sent, so what was typed comes back as it was when
 * something is wrong; each problem names the field as the form labels it. Categories are parallel lists (`catName`,
 * `catQuota`, `catTarget`, `catPost`, one value per row); a row left completely empty is dropped.
 */
export interface CategoryRow {
  name: string;
  quota: string;
  target: string;
  post: string;
  error?: string;
}

export interface RoundForm {
  title: string;
  year: string;
  nominationWorkdays: string;
  noticeWorkdays: string;
  minGrade: string;
  localBars: string[];
  contact: string;
  categories: CategoryRow[];
}

export type Values = Record<string, string | string[]>;

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : Array.isArray(v) ? String(v[0] ?? '').trim() : '');
const at = (xs: string[], i: number) => (xs[i] ?? '').trim();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A whole number in [min, max] typed in a field, or the problem in words naming the field. */
function whole(v: string, label: string, min: number, max: number, unit = ''): { n?: number; problem?: string } {
  if (!v) return { problem: `请填写${label}` };
  if (!/^\d+$/.test(v)) return { problem: `${label}须为整数${unit ? `（${unit}）` : ''}` };
  const n = Number(v);
  if (n < min || n > max) return { problem: `${label}须在 ${min} 至 ${max}${unit ? ` ${unit}` : ' '}之间` };
  return { n };
}

/** Seed 000, item 18's three categories, as a new round's starting point (the form adds two spare rows). */
export function newRoundForm(year: number): RoundForm {
  return {
    title: `${year}年度“三名三优”评选表扬`,
    year: String(year),
    nominationWorkdays: '10',
    noticeWorkdays: String(DEFAULT_NOTICE_WORKDAYS),
    minGrade: DEFAULT_MIN_GRADE,
    localBars: [],
    contact: '',
    categories: [
      { name: '优秀第一书记', quota: '3', target: 'PERSON', post: '第一书记' },
      { name: '优秀扶贫村组干部', quota: '3', target: 'PERSON', post: '' },
      { name: '优秀扶贫乡镇干部', quota: '3', target: 'PERSON', post: '' },
    ],
  };
}

export function roundFormFromBody(body: Record<string, unknown>): RoundForm {
  const names = list(body.catName);
  const quotas = list(body.catQuota);
  const targets = list(body.catTarget);
  const posts = list(body.catPost);
  const rows: CategoryRow[] = [];
  for (let i = 0; i < Math.max(names.length, quotas.length, posts.length); i++) {
    const row = { name: at(names, i), quota: at(quotas, i), target: at(targets, i) || 'PERSON', post: at(posts, i) };
    if (row.name || row.quota || row.post) rows.push(row);
  }
  return {
    title: str(body.title),
    year: str(body.year),
    nominationWorkdays: str(body.nominationWorkdays),
    noticeWorkdays: str(body.noticeWorkdays),
    minGrade: str(body.minGrade),
    localBars: list(body.localBars).map((b) => b.trim()),
    contact: str(body.contact),
    categories: rows,
  };
}

/** The DTO the service takes, or the problems, each under the field the form shows it beside. */
export function roundFormToDto(form: RoundForm): { dto: CreateCommendationRoundDto; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!form.title) errors.push({ field: 'title', message: '请填写名称' });
  else if (form.title.length > 100) errors.push({ field: 'title', message: '名称不能超过 100 个字符' });
  const year = whole(form.year, '年度', 2000, 2100);
  if (year.problem) errors.push({ field: 'year', message: year.problem });
  const nomination = whole(form.nominationWorkdays, '推荐期限', 1, 60, '个工作日');
  if (nomination.problem) errors.push({ field: 'nominationWorkdays', message: nomination.problem });
  const notice = whole(form.noticeWorkdays, '公示期', 1, 30, '个工作日');
  if (notice.problem) errors.push({ field: 'noticeWorkdays', message: notice.problem });
  if (!(GRADE_ORDER as readonly string[]).includes(form.minGrade)) errors.push({ field: 'minGrade', message: '请选择述职评议等次要求' });
  const badBar = form.localBars.find((b) => !(BARS as readonly string[]).includes(b));
  if (badBar) errors.push({ field: 'localBars', message: `附加限制“${badBar}”不在可选范围内` });
  if (!form.contact) errors.push({ field: 'contact', message: '请填写公示联系人（受理异议的联系人和电话）' });
  else if (form.contact.length > 100) errors.push({ field: 'contact', message: '公示联系人不能超过 100 个字符' });
  if (!form.categories.length) errors.push({ field: 'categories', message: '评选类别：至少设置一个类别（名称、名额、表扬对象）' });
  const seen = new Set<string>();
  form.categories.forEach((c, i) => {
    const problems: string[] = [];
    if (!c.name) problems.push('请填写类别名称');
    else if (c.name.length > 40) problems.push('类别名称不能超过 40 个字符');
    else if (seen.has(c.name)) problems.push(`类别名称“${c.name}”与前面的类别重复`);
    seen.add(c.name);
    const q = whole(c.quota, '名额', 1, 100, '名');
    if (q.problem) problems.push(q.problem);
    if (c.target !== 'PERSON' && c.target !== 'ORG') problems.push('表扬对象只能是“担任职务的个人”或“支部”');
    if (c.target === 'ORG' && c.post) problems.push('表扬支部的类别不限定职务，请清空“限定职务”');
    if (c.post.length > 40) problems.push('限定职务不能超过 40 个字符');
    if (problems.length) {
      c.error = `第 ${i + 1} 行：${problems.join('；')}`;
      // Shown on its row; the fieldset's own line is kept for what concerns all categories.
      errors.push({ field: 'categoryRows', message: `评选类别${c.error}` });
    }
  });
  const dto: CreateCommendationRoundDto = {
    title: form.title,
    year: year.n ?? 0,
    nominationWorkdays: nomination.n ?? 0,
    noticeWorkdays: notice.n,
    minGrade: form.minGrade,
    localBars: form.localBars,
    contact: form.contact,
    categories: form.categories.map((c, i) => ({
      key: `c${i + 1}`,
      name: c.name,
      quota: Number(c.quota),
      target: c.target === 'ORG' ? 'ORG' : 'PERSON',
      ...(c.post && c.target !== 'ORG' ? { post: c.post } : {}),
    })),
  };
  return { dto, errors };
}

export const GRADE_CHOICES = GRADE_ORDER.map((g) => ({ value: g, label: `“${gradeLabel(g)}”及以上` }));
export const BAR_CHOICES = BARS.filter((b) => b !== '评优').map((b) => ({ value: b, label: `“不得${b}”的影响期内也不得评优` }));

/** Everything posted, as text (lists kept as lists), without the CSRF token. */
export function formValues(body: Record<string, unknown>): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(body ?? {})) {
    if (k === '_csrf') continue;
    out[k] = Array.isArray(v) ? v.map((x) => String(x).trim()) : String(v ?? '').trim();
  }
  return out;
}
const one = (v: Values, k: string) => str(v[k]);

/** 推荐: the category, the nominee (`p:<personId>:<orgId>` or `o:<orgId>`) and the reason. */
export function nominationForm(v: Values): { dto: NominateDto; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const categoryKey = one(v, 'categoryKey');
  if (!categoryKey) errors.push({ field: 'categoryKey', message: '请选择评选类别' });
  const target = one(v, 'target');
  const m = /^(?:p:([0-9a-f-]{36}):|o:)([0-9a-f-]{36})$/i.exec(target);
  if (!target) errors.push({ field: 'target', message: '请选择被推荐对象' });
  else if (!m) errors.push({ field: 'target', message: '被推荐对象无效，请重新选择' });
  const reason = one(v, 'reason');
  if (!reason) errors.push({ field: 'reason', message: '请填写推荐理由（主要事迹）' });
  else if (reason.length > 2000) errors.push({ field: 'reason', message: '推荐理由不能超过 2000 个字符' });
  return { dto: { categoryKey, orgId: m?.[2] ?? '', ...(m?.[1] ? { personId: m[1] } : {}), reason }, errors };
}

/** 排序: one 名次 per nominee (`rank_<nomineeId>`), whole numbers, each once. */
export function rankingForm(v: Values, nominees: { id: string; name: string }[]): { order: string[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const places = nominees.map((n) => ({ n, raw: one(v, `rank_${n.id}`) }));
  for (const { n, raw } of places) {
    if (!raw) errors.push({ field: `rank_${n.id}`, message: `请填写“${n.name}”的名次` });
    else if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > nominees.length)
      errors.push({ field: `rank_${n.id}`, message: `“${n.name}”的名次须为 1 至 ${nominees.length} 的整数` });
  }
  if (!errors.length) {
    const taken = new Map<number, string>();
    for (const { n, raw } of places) {
      const other = taken.get(Number(raw));
      if (other) errors.push({ field: `rank_${n.id}`, message: `名次 ${raw} 已给了“${other}”，每个名次只能用一次` });
      taken.set(Number(raw), n.name);
    }
  }
  const order = [...places].sort((a, b) => Number(a.raw) - Number(b.raw)).map((p) => p.n.id);
  return { order, errors };
}

/** 党委审定: the meeting, its day and, per category, the nominees ticked (`approve_<categoryKey>`). */
export function approvalForm(v: Values, categoryKeys: string[]): { dto: ApproveDto; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const meeting = one(v, 'meeting');
  if (!meeting) errors.push({ field: 'meeting', message: '请填写审定会议（如“乡党委会议（第12次）”）' });
  else if (meeting.length > 100) errors.push({ field: 'meeting', message: '审定会议不能超过 100 个字符' });
  const heldOn = one(v, 'heldOn');
  if (!heldOn) errors.push({ field: 'heldOn', message: '请填写会议日期' });
  else if (!DAY.test(heldOn)) errors.push({ field: 'heldOn', message: '会议日期格式应为 年-月-日' });
  const categories = categoryKeys.map((key) => ({ categoryKey: key, nomineeIds: list(v[`approve_${key}`]).filter((x) => UUID.test(x)) }));
  if (!categories.some((c) => c.nomineeIds.length)) errors.push({ field: 'categories', message: '审定名单：请至少勾选一名拟表扬对象' });
  return { dto: { meeting, heldOn, categories }, errors };
}

/** 登记异议 (党建办): one received by phone or letter, with the objector's real name and the day it was received. */
export function recordObjectionForm(v: Values): { dto: ObjectionDto; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const nomineeId = one(v, 'nomineeId');
  if (!nomineeId) errors.push({ field: 'nomineeId', message: '请选择对哪一位公示对象的异议' });
  else if (!UUID.test(nomineeId)) errors.push({ field: 'nomineeId', message: '公示对象无效，请重新选择' });
  const channel = one(v, 'channel');
  if (channel !== 'PHONE' && channel !== 'LETTER') errors.push({ field: 'channel', message: '请选择收到方式：电话或信件' });
  const objectorId = one(v, 'objectorId');
  if (objectorId && !UUID.test(objectorId)) errors.push({ field: 'objectorId', message: '异议人无效，请重新选择' });
  const objectorName = one(v, 'objectorName');
  if (!objectorName && !objectorId) errors.push({ field: 'objectorName', message: '异议须实名：请填写异议人的真实姓名' });
  else if (objectorName.length > 40) errors.push({ field: 'objectorName', message: '异议人姓名不能超过 40 个字符' });
  const objectorPhone = one(v, 'objectorPhone');
  if (objectorPhone.length > 40) errors.push({ field: 'objectorPhone', message: '联系电话不能超过 40 个字符' });
  const receivedOn = one(v, 'receivedOn');
  if (!receivedOn) errors.push({ field: 'receivedOn', message: '请填写收到日期' });
  else if (!DAY.test(receivedOn)) errors.push({ field: 'receivedOn', message: '收到日期格式应为 年-月-日' });
  const text = one(v, 'text');
  if (!text) errors.push({ field: 'text', message: '请填写异议内容' });
  else if (text.length > 2000) errors.push({ field: 'text', message: '异议内容不能超过 2000 个字符' });
  return {
    dto: {
      nomineeId,
      text,
      channel: channel === 'LETTER' ? 'LETTER' : 'PHONE',
      objectorName,
      ...(objectorId && UUID.test(objectorId) ? { objectorId } : {}),
      ...(objectorPhone ? { objectorPhone } : {}),
      receivedOn,
    },
    errors,
  };
}

/** 异议处理: 成立 or 不成立, and the finding told to the objector. */
export function resolveForm(v: Values): { dto: ResolveObjectionDto; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const upheld = one(v, 'upheld');
  if (upheld !== 'yes' && upheld !== 'no') errors.push({ field: 'upheld', message: '请选择核查结论：异议成立或不成立' });
  const finding = one(v, 'finding');
  if (!finding) errors.push({ field: 'finding', message: '请填写核查情况（将告知异议人）' });
  else if (finding.length > 2000) errors.push({ field: 'finding', message: '核查情况不能超过 2000 个字符' });
  return { dto: { upheld: upheld === 'yes', finding }, errors };
}

/** 表扬决定: 通报 (default) or 决定 with the approval reference. */
export function decisionForm(v: Values): { dto: DecideDto; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const kind = one(v, 'kind') || '通报';
  if (kind !== '通报' && kind !== '决定') errors.push({ field: 'kind', message: '文种只能是通报或决定' });
  const approvalRef = one(v, 'approvalRef');
  if (kind === '决定' && !approvalRef) errors.push({ field: 'approvalRef', message: '以“决定”授予称号，须填写批准依据（如上级党委的批复文号）' });
  if (approvalRef.length > 100) errors.push({ field: 'approvalRef', message: '批准依据不能超过 100 个字符' });
  return { dto: { kind: kind as '通报' | '决定', ...(approvalRef ? { approvalRef } : {}) }, errors };
}

/** Problems keyed by field for the templates; the first line of the form says what is wrong overall. */
export function fieldMap(errors: FieldError[], summary: string): Record<string, string> {
  const map: Record<string, string> = { _: summary };
  for (const e of errors) map[e.field] = map[e.field] ? `${map[e.field]}；${e.message}` : e.message;
  return map;
}
