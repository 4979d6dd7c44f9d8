import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError, FieldError } from '../../common/errors/domain-error';
import { toFieldErrors } from '../../common/validation/messages';
import { BallotSheetDto, CreateReviewRoundDto, type BallotEntryDto } from '../../reviews/dto/review.dto';
import { GRADE_LABELS, GRADE_ORDER, type BallotKind, type FormulaSettings, type GradeKey } from '../../reviews/formula/formula';
import type { RoundGroup } from '../../reviews/rubric';
import { parseReviewConfig } from '../../reviews/review-config';
import { DAILY_LABELS, type DailyWeights, type RubricItemDef } from '../../reviews/rubric';
import { plainMessage } from '../spot-checks/spot-checks-form';

/**
 * The 述职评议 round form as typed: rater groups and rubric items as parallel lists (`groupName`, `itemWeight` …, one
 * value per row), the secretaries under review as checked branches (`subjectOrgIds`), each 评议人's group in a select
 * named `rater.<personId>` (empty: 不参加), the formula settings and the 日常考核 weights as single inputs. Everything
 * stays text until it is sent, so what was typed comes back as it was when something is wrong.
 */
export interface GroupRow {
  key: string;
  name: string;
  weight: string;
  ballotKind: string;
  error?: string;
}

export interface ItemRow {
  key: string;
  name: string;
  weight: string;
  max: string;
  measure: string;
  anchors: Record<GradeKey, string>;
  error?: string;
}

export interface SettingsForm {
  trimAtLeast: string;
  minBallotsToShow: string;
  gradePoints: Record<GradeKey, string>;
  /** The lower bound of 好, 较好 and 一般 (below the last: 差); a bound left empty is no bound. */
  thresholds: Record<GradeKey, string>;
  dailyWeight: string;
  topGradeCapPercent: string;
}

export interface ReviewForm {
  title: string;
  year: string;
  reportWorkdays: string;
  scoringWorkdays: string;
  subjectOrgIds: string[];
  groups: GroupRow[];
  /** personId → group key, for the 评议人 placed in a group. */
  raters: Record<string, string>;
  items: ItemRow[];
  settings: SettingsForm;
  dailyWeights: Record<keyof DailyWeights, string>;
}

/** What a round's settings look like, as the defaults or a stored round give them. */
export interface RoundSettings {
  items: readonly RubricItemDef[];
  groups: readonly RoundGroup[];
  settings: FormulaSettings;
  dailyWeights: DailyWeights;
}

/** Grades that have a lower bound (the last, 差, is what is below all of them). */
export const THRESHOLD_GRADES: GradeKey[] = GRADE_ORDER.slice(0, -1);
const DAILY_KEYS = Object.keys(DAILY_LABELS) as (keyof DailyWeights)[];
/** Form field names of the anchors, per grade. */
export const ANCHOR_FIELDS: Record<GradeKey, string> = { GOOD: 'itemGood', FAIRLY_GOOD: 'itemFairlyGood', AVERAGE: 'itemAverage', POOR: 'itemPoor' };

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : Array.isArray(v) ? String(v[0] ?? '').trim() : '');
const at = (xs: string[], i: number) => (xs[i] ?? '').trim();
const shown = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? '' : String(n));
const byGrade = (f: (g: GradeKey) => string) => Object.fromEntries(GRADE_ORDER.map((g) => [g, f(g)])) as Record<GradeKey, string>;

/** The form filled from a round's settings (the defaults for a new round, the stored ones for an edit). */
export function formFromSettings(
  s: RoundSettings,
  top: {
    title: string;
    year: number | string;
    reportWorkdays: number | string;
    scoringWorkdays: number | string;
    subjectOrgIds: string[];
    raters: Record<string, string>;
  },
): ReviewForm {
  return {
    title: top.title,
    year: String(top.year),
    reportWorkdays: String(top.reportWorkdays),
    scoringWorkdays: String(top.scoringWorkdays),
    subjectOrgIds: [...top.subjectOrgIds],
    raters: { ...top.raters },
    groups: s.groups.map((g) => ({ key: g.key, name: g.name, weight: shown(g.weight), ballotKind: g.self ? 'SELF' : g.ballotKind })),
    items: s.items.map((i) => ({
      key: i.key,
      name: i.name,
      weight: shown(i.weight),
      max: shown(i.max),
      measure: i.measure ?? '',
      anchors: byGrade((g) => i.anchors?.[g] ?? ''),
    })),
    settings: {
      trimAtLeast: shown(s.settings.trimAtLeast),
      minBallotsToShow: shown(s.settings.minBallotsToShow),
      gradePoints: byGrade((g) => shown(s.settings.gradePoints[g])),
      thresholds: byGrade((g) => shown(s.settings.thresholds.find((t) => t.grade === g)?.min)),
      dailyWeight: shown(s.settings.dailyWeight),
      topGradeCapPercent: shown(s.settings.topGradeCapPercent),
    },
    dailyWeights: Object.fromEntries(DAILY_KEYS.map((k) => [k, shown(s.dailyWeights[k])])) as Record<keyof DailyWeights, string>,
  };
}

/** What the browser posted; group and item rows left completely empty are dropped (a spare blank row is not an error). */
export function reviewFormFromBody(body: Record<string, unknown>): ReviewForm {
  const gNames = list(body.groupName);
  const groups: GroupRow[] = gNames
    .map((_, i) => ({ key: at(list(body.groupKey), i), name: at(gNames, i), weight: at(list(body.groupWeight), i), ballotKind: at(list(body.groupKind), i) }))
    .filter((g) => g.name || g.weight);
  const iNames = list(body.itemName);
  const items: ItemRow[] = iNames
    .map((_, i) => ({
      key: at(list(body.itemKey), i),
      name: at(iNames, i),
      weight: at(list(body.itemWeight), i),
      max: at(list(body.itemMax), i),
      measure: at(list(body.itemMeasure), i),
      anchors: byGrade((g) => at(list(body[ANCHOR_FIELDS[g]]), i)),
    }))
    .filter((r) => r.name || r.weight || r.max || r.measure || GRADE_ORDER.some((g) => r.anchors[g]));
  const raters: Record<string, string> = {};
  for (const [k, v] of Object.entries(body ?? {})) {
    const m = /^rater\.(.+)$/.exec(k);
    if (m && str(v)) raters[m[1]] = str(v);
  }
  return {
    title: str(body.title),
    year: str(body.year),
    reportWorkdays: str(body.reportWorkdays),
    scoringWorkdays: str(body.scoringWorkdays),
    subjectOrgIds: [...new Set(list(body.subjectOrgIds).filter(Boolean))],
    groups,
    raters,
    items,
    settings: {
      trimAtLeast: str(body.trimAtLeast),
      minBallotsToShow: str(body.minBallotsToShow),
      gradePoints: byGrade((g) => str(body[`points.${g}`])),
      thresholds: byGrade((g) => (THRESHOLD_GRADES.includes(g) ? str(body[`threshold.${g}`]) : '')),
      dailyWeight: str(body.dailyWeight),
      topGradeCapPercent: str(body.topGradeCapPercent),
    },
    dailyWeights: Object.fromEntries(DAILY_KEYS.map((k) => [k, str(body[`daily.${k}`])])) as Record<keyof DailyWeights, string>,
  };
}

const NUMBER = /^-?\d+(\.\d+)?$/;
/** A number as typed, or the text itself so the DTO's own check names the field when it is not one. */
const num = (v: string): number | string | undefined => (v === '' ? undefined : NUMBER.test(v) ? Number(v) : v);

/** A key for each new row (a row added in the browser has none): the first of item1, item2 … not taken. */
function withKeys<T extends { key: string }>(rows: T[], prefix: string): T[] {
  const taken = new Set(rows.map((r) => r.key).filter(Boolean));
  let n = 0;
  return rows.map((r) => {
    if (r.key) return r;
    let key: string;
    do key = `${prefix}${++n}`;
    while (taken.has(key));
    taken.add(key);
    return { ...r, key };
  });
}

/** The API's CreateReviewRoundDto from the form, and every problem it can tell without the database, in words. */
export function reviewFormToDto(f: ReviewForm): { dto: CreateReviewRoundDto; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const numberOf = (v: string, field: string, what: string): number => {
    if (v === '') errors.push({ field, message: `请填写${what}` });
    else if (!NUMBER.test(v)) errors.push({ field, message: `${what}必须是数字` });
    return v !== '' && NUMBER.test(v) ? Number(v) : NaN;
  };
  const groups = withKeys(f.groups, 'group').map((g, i) => {
    const label = g.name ? `评分组“${g.name}”的` : `第 ${i + 1} 个评分组的`;
    return { key: g.key, name: g.name, weight: numberOf(g.weight, `groups[${i}]`, `${label}权重`), ballotKind: g.ballotKind };
  });
  const items = withKeys(f.items, 'item').map((r, i) => {
    const label = r.name ? `考核项目“${r.name}”的` : `第 ${i + 1} 个考核项目的`;
    return {
      key: r.key,
      name: r.name,
      weight: numberOf(r.weight, `items[${i}]`, `${label}权重`),
      max: numberOf(r.max, `items[${i}]`, `${label}满分`),
      measure: r.measure || null,
      anchors: { ...r.anchors },
    };
  });
  const s = f.settings;
  const settings = {
    trimAtLeast: numberOf(s.trimAtLeast, 'settings.trimAtLeast', '去掉最高分和最低分所需的票数'),
    minBallotsToShow: numberOf(s.minBallotsToShow, 'settings.minBallotsToShow', '显示组平均分所需的票数'),
    gradePoints: Object.fromEntries(GRADE_ORDER.map((g) => [g, numberOf(s.gradePoints[g], `settings.gradePoints.${g}`, `“${GRADE_LABELS[g]}”的折算分`)])),
    thresholds: THRESHOLD_GRADES.filter((g) => s.thresholds[g] !== '').map((g) => ({
      grade: g,
      min: numberOf(s.thresholds[g], `settings.thresholds.${g}`, `“${GRADE_LABELS[g]}”的分数线`),
    })),
    dailyWeight: numberOf(s.dailyWeight, 'settings.dailyWeight', '日常考核占总分的比例'),
    topGradeCapPercent: numberOf(s.topGradeCapPercent, 'settings.topGradeCapPercent', '“好”等次的比例上限'),
  };
  const dailyWeights = Object.fromEntries(DAILY_KEYS.map((k) => [k, numberOf(f.dailyWeights[k], `dailyWeights.${k}`, `“${DAILY_LABELS[k]}”的权重`)]));
  const payload = {
    title: f.title,
    year: num(f.year),
    reportWorkdays: num(f.reportWorkdays),
    scoringWorkdays: num(f.scoringWorkdays),
    subjects: f.subjectOrgIds.map((orgId) => ({ orgId })),
    // In the order of the groups, then of the people: the roster reads as the form does.
    raters: Object.entries(f.raters)
      .filter(([, key]) => key)
      .map(([personId, groupKey]) => ({ groupKey, personId })),
    groups,
    items,
    settings,
    dailyWeights,
  };
  const dto = plainToInstance(CreateReviewRoundDto, payload);
  errors.push(...toFieldErrors(validateSync(dto, { whitelist: true })));
  // The rubric, groups and settings as the service checks them, so every problem shows at once. A number that was not
  // one is already named above in words (the check would say “现为 NaN”).
  try {
    parseReviewConfig(payload);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    const typedBadly = (field: string) => field === 'dailyWeights' && errors.some((x) => x.field.startsWith('dailyWeights.'));
    for (const e of err.fields) if (!/NaN/.test(e.message) && !typedBadly(e.field) && !errors.some((x) => x.message === e.message)) errors.push(e);
  }
  return { dto, errors };
}

/** Where a message about the settings belongs: the service files the rubric's and the groups' sums under settings too. */
function sectionOf(field: string, message: string): string {
  const top = /^([A-Za-z]+)/.exec(field)?.[1] ?? '_';
  if (top === 'settings' && !field.includes('.')) {
    if (/评分细则|考核项目/.test(message)) return 'items';
    if (/评分组/.test(message)) return 'groups';
  }
  return top;
}

/** Field errors placed on the form: per field, per group or item row; `_` is the summary. */
export function placeReviewErrors(f: ReviewForm, fields: FieldError[], summary: string): Record<string, string> {
  const map: Record<string, string> = {};
  const add = (key: string, m: string) => (map[key] = map[key] ? (map[key].split('；').includes(m) ? map[key] : `${map[key]}；${m}`) : m);
  for (const e of fields) {
    const m = plainMessage(e.message);
    const row = /^(groups|items)\[(\d+)\]/.exec(e.field);
    const target = row ? (row[1] === 'groups' ? f.groups[Number(row[2])] : f.items[Number(row[2])]) : undefined;
    if (target) target.error = target.error ? `${target.error}；${m}` : m;
    else if (/^settings\.|^dailyWeights\./.test(e.field)) add(e.field.split('.')[0], m);
    else add(sectionOf(e.field, m), m);
  }
  map._ = fields.length ? `有 ${fields.length} 处需要修改，请看各项下方的红字。` : summary;
  return map;
}

// ——— the rater's sheet ———

/** One secretary's line on the sheet as typed (a grade, a score per item, or 弃权 with its reason). */
export interface BallotLine {
  grade: string;
  items: Record<string, string>;
  abstain: boolean;
  reason: string;
}

export interface SheetShape {
  ballotKind: BallotKind;
  subjects: { id: string; name: string }[];
  items: { key: string; name: string; max: number }[];
}

/** A problem of the sheet, with the secretaries whose lines it is about (none: the sheet as a whole). */
export interface SheetProblem {
  subjectIds: string[];
  message: string;
}

const SCORE = /^\d+(\.\d+)?$/;

/**
 * The sheet as posted: `grade.<subjectId>`, `score.<subjectId>.<itemKey>`, `abstain.<subjectId>`, `reason.<subjectId>`,
 * for the secretaries on this rater's sheet only. Gives the lines as typed (to show again), the entries for
 * BallotsService (one per secretary: an empty one is a line not filled in yet), and what cannot be sent at all.
 */
export function ballotFromBody(
  body: Record<string, unknown>,
  sheet: SheetShape,
): { lines: Record<string, BallotLine>; entries: BallotEntryDto[]; problems: SheetProblem[] } {
  const lines: Record<string, BallotLine> = {};
  const entries: BallotEntryDto[] = [];
  const problems: SheetProblem[] = [];
  for (const s of sheet.subjects) {
    const line: BallotLine = {
      grade: str(body[`grade.${s.id}`]),
      items: Object.fromEntries(sheet.items.map((i) => [i.key, str(body[`score.${s.id}.${i.key}`])])),
      abstain: !!str(body[`abstain.${s.id}`]),
      reason: str(body[`reason.${s.id}`]),
    };
    lines[s.id] = line;
    if (line.abstain) {
      entries.push({ subjectId: s.id, abstain: true, reason: line.reason });
      continue;
    }
    if (sheet.ballotKind === 'GRADE') {
      const grade = GRADE_ORDER.find((g) => g === line.grade);
      if (line.grade && !grade) problems.push({ subjectIds: [s.id], message: `对${s.name}的等次只能是好、较好、一般或差` });
      entries.push({ subjectId: s.id, ...(grade ? { grade } : {}) });
      continue;
    }
    const items: Record<string, number> = {};
    for (const item of sheet.items) {
      const v = line.items[item.key];
      if (v === '') continue;
      if (!SCORE.test(v)) problems.push({ subjectIds: [s.id], message: `${s.name}的“${item.name}”得分必须是 0 到 ${item.max} 之间的数` });
      else items[item.key] = Number(v);
    }
    entries.push({ subjectId: s.id, ...(Object.keys(items).length ? { items } : {}) });
  }
  const dto = plainToInstance(BallotSheetDto, { entries });
  for (const e of toFieldErrors(validateSync(dto, { whitelist: true }))) {
    const row = /^entries\[(\d+)\]/.exec(e.field);
    const s = row ? sheet.subjects[Number(row[1])] : undefined;
    problems.push({ subjectIds: s ? [s.id] : [], message: s ? `${s.name}：${plainMessage(e.message)}` : plainMessage(e.message) });
  }
  return { lines, entries, problems };
}

/** A kept draft (or nothing) as lines of the sheet. */
export function linesFromDraft(
  draft: Record<string, { grade?: string; items?: Record<string, number>; abstain?: boolean; reason?: string }>,
  sheet: SheetShape,
): Record<string, BallotLine> {
  return Object.fromEntries(
    sheet.subjects.map((s) => {
      const d = draft[s.id] ?? {};
      return [
        s.id,
        {
          grade: d.grade ?? '',
          items: Object.fromEntries(sheet.items.map((i) => [i.key, d.items?.[i.key] === undefined || d.items[i.key] === null ? '' : String(d.items[i.key])])),
          abstain: !!d.abstain,
          reason: d.reason ?? '',
        },
      ];
    }),
  );
}

/** The service's problems of a sheet, each put on the card of every secretary it names (and all of them in the summary). */
export function placeSheetProblems(messages: string[], subjects: { id: string; name: string }[]): SheetProblem[] {
  return messages.map((message) => ({ subjectIds: subjects.filter((s) => s.name && message.includes(s.name)).map((s) => s.id), message }));
}
