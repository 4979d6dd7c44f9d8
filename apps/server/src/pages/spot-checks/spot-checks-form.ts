import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DateTime } from 'luxon';
import { ZONE } from '../../calendar/working-calendar';
import { DomainError, FieldError } from '../../common/errors/domain-error';
import { toFieldErrors } from '../../common/validation/messages';
import { parseChecklist } from '../../spot-checks/checklist';
import { CreateRoundDto } from '../../spot-checks/dto/spot-check.dto';
import { parseRule } from '../../spot-checks/sampling';

/**
 * The 新建抽查 form as typed: checklist rows and rule rows as parallel lists (`itemText`, `ruleLevel` …, one value
 * per row), the rule in words (每个___至少___个 / ___至___个 / 按___% / 全部) turned into { level, min?, max?, share?, all? }.
 */
export interface ItemRow {
  text: string;
  kind: string;
  maxScore: string;
  passScore: string;
  evidence: string;
  error?: string;
}

export interface RuleRow {
  level: string;
  type: string;
  min: string;
  max: string;
  share: string;
  error?: string;
}

export interface RoundForm {
  title: string;
  scopeOrgId: string;
  mode: string;
  target: string;
  targetPost: string;
  items: ItemRow[];
  levels: RuleRow[];
  excludeRecentRounds: string;
  inspectorIds: string[];
  windowStart: string;
  windowEnd: string;
  rectifyWorkdays: string;
}

export const RULE_TYPES = [
  { value: 'min', label: '至少' },
  { value: 'range', label: '介于' },
  { value: 'share', label: '按比例' },
  { value: 'all', label: '全部' },
];

/** Level 0 is the scope itself, 1 its direct children, … (the sampling library's `level`). */
export const levelLabel = (level: number) => (level === 0 ? '整个抽查范围' : level === 1 ? '每个直属下级组织' : `每个第 ${level} 级下级组织`);
export const LEVEL_CHOICES = [0, 1, 2, 3].map((value) => ({ value: String(value), label: levelLabel(value) }));

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : Array.isArray(v) ? String(v[0] ?? '').trim() : '');
const at = (xs: string[], i: number) => (xs[i] ?? '').trim();

export function blankRoundForm(scopeOrgId: string): RoundForm {
  const today = DateTime.now().setZone(ZONE);
  return {
    title: '',
    scopeOrgId,
    mode: 'ANNOUNCED',
    target: 'BRANCH',
    targetPost: '',
    items: [{ text: '', kind: 'PASS_FAIL', maxScore: '', passScore: '', evidence: 'PHOTO' }],
    levels: [{ level: '1', type: 'min', min: '1', max: '', share: '' }],
    excludeRecentRounds: '',
    inspectorIds: [],
    windowStart: today.toISODate() as string,
    windowEnd: today.plus({ days: 14 }).toISODate() as string,
    rectifyWorkdays: '10',
  };
}

/** What the browser posted; rows left completely empty are dropped (a spare blank row is not an error). */
export function roundFormFromBody(body: Record<string, unknown>): RoundForm {
  const texts = list(body.itemText);
  const items: ItemRow[] = texts
    .map((_, i) => ({
      text: at(texts, i),
      kind: at(list(body.itemKind), i) || 'PASS_FAIL',
      maxScore: at(list(body.itemMaxScore), i),
      passScore: at(list(body.itemPassScore), i),
      evidence: at(list(body.itemEvidence), i) || 'NONE',
    }))
    .filter((r) => r.text || r.maxScore || r.passScore);
  const types = list(body.ruleType);
  const levels: RuleRow[] = types
    .map((type, i) => ({
      level: at(list(body.ruleLevel), i),
      type: type.trim(),
      min: at(list(body.ruleMin), i),
      max: at(list(body.ruleMax), i),
      share: at(list(body.ruleShare), i),
    }))
    .filter((r) => r.type === 'all' || r.min || r.max || r.share);
  return {
    title: str(body.title),
    scopeOrgId: str(body.scopeOrgId),
    mode: str(body.mode),
    target: str(body.target),
    targetPost: str(body.targetPost),
    items,
    levels,
    excludeRecentRounds: str(body.excludeRecentRounds),
    inspectorIds: list(body.inspectorIds).filter(Boolean),
    windowStart: str(body.windowStart),
    windowEnd: str(body.windowEnd),
    rectifyWorkdays: str(body.rectifyWorkdays),
  };
}

/** A number as typed, or the text itself so the service names the field when it is not one. */
const num = (v: string): number | string | undefined => (v === '' ? undefined : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
const day = (d: string, time: string) => {
  const t = DateTime.fromISO(`${d}T${time}`, { zone: ZONE });
  return d && t.isValid ? (t.toUTC().toISO() as string) : d || undefined;
};

/** The API's CreateRoundDto from the form, and the errors the form itself can tell (a share that is not a percentage). */
export function roundFormToDto(f: RoundForm): { dto: CreateRoundDto; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const levels = f.levels.map((r, i) => {
    const level = num(r.level) ?? 1;
    if (r.type === 'all') return { level, all: true };
    if (r.type === 'share') {
      const pct = Number(r.share);
      if (!r.share || !Number.isFinite(pct) || pct <= 0 || pct > 100)
        errors.push({ field: `levels[${i}].share`, message: '比例必须是大于 0、不超过 100 的百分数' });
      return { level, share: Math.round(pct * 100) / 10000 };
    }
    if (r.type === 'range') {
      if (!r.min || !r.max) errors.push({ field: `levels[${i}]`, message: '请填写“至少几个”和“至多几个”' });
      return { level, min: num(r.min), max: num(r.max) };
    }
    if (!r.min) errors.push({ field: `levels[${i}].min`, message: '请填写至少抽取几个' });
    return { level, min: num(r.min) };
  });
  const payload = {
    title: f.title,
    scopeOrgId: f.scopeOrgId || undefined,
    mode: f.mode || undefined,
    target: f.target || undefined,
    targetPost: f.target === 'PERSON' ? f.targetPost : undefined,
    checklist: f.items.map((r) => ({
      text: r.text,
      kind: r.kind,
      evidence: r.evidence,
      ...(r.kind === 'SCORE' ? { maxScore: num(r.maxScore), ...(r.passScore ? { passScore: num(r.passScore) } : {}) } : {}),
    })),
    rule: { levels, ...(f.excludeRecentRounds ? { excludeRecentRounds: num(f.excludeRecentRounds) } : {}) },
    inspectorIds: f.inspectorIds,
    windowStart: day(f.windowStart, '00:00'),
    // The window runs to the end of its last day (Asia/Shanghai).
    windowEnd: day(f.windowEnd, '23:59:59'),
    rectifyWorkdays: num(f.rectifyWorkdays),
  };
  const dto = plainToInstance(CreateRoundDto, payload);
  errors.push(...toFieldErrors(validateSync(dto, { whitelist: true })));
  if (errors.length) {
    // The service is not asked with a malformed request: check the checklist and the rule here too, so every problem shows at once.
    const rowOf = (field: string) => /^levels\[\d+\]/.exec(field)?.[0];
    const rowsWithErrors = new Set(errors.map((e) => rowOf(e.field)).filter(Boolean));
    parseChecklist(payload.checklist, errors);
    try {
      parseRule(payload.rule);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      errors.push(...err.fields.filter((e) => !rowsWithErrors.has(rowOf(e.field))));
    }
  }
  return { dto, errors };
}

/** Messages name fields for developers too (“字段 title（名称）”); the form shows them next to the field, so only the reason. */
export function plainMessage(message: string): string {
  return message
    .replace(/字段\s*[A-Za-z][\w.[\]]*（([^）]+)）\s*/g, '$1')
    .replace(/字段\s*[A-Za-z][\w.[\]]*\s*/g, '')
    .trim();
}

/** Field errors placed on the form: per field, per checklist row, per rule row; `_` is the summary. */
export function placeErrors(f: RoundForm, fields: FieldError[], summary: string): Record<string, string> {
  const map: Record<string, string> = {};
  const add = (key: string, m: string) => (map[key] = map[key] ? `${map[key]}；${m}` : m);
  for (const e of fields) {
    const m = plainMessage(e.message);
    const item = /^checklist\[(\d+)\]/.exec(e.field);
    const level = /^(?:rule\.)?levels\[(\d+)\]/.exec(e.field);
    const row = item ? f.items[Number(item[1])] : level ? f.levels[Number(level[1])] : undefined;
    if (row) row.error = row.error ? `${row.error}；${m}` : m;
    else if (item || e.field === 'checklist') add('checklist', m);
    else if (level || /^(rule|levels)$/.test(e.field)) add('rule', m);
    else if (e.field === 'excludeRecentRounds' || e.field === 'rule.excludeRecentRounds') add('excludeRecentRounds', m);
    else add(e.field, m);
  }
  map._ = fields.length ? `有 ${fields.length} 处需要修改，请看各项下方的红字。` : summary;
  return map;
}
