import { DomainError, FieldError } from '../../common/errors/domain-error';
import {
  Ballot,
  checkInput,
  DEFAULT_SETTINGS,
  FORMULA_LABEL,
  FORMULA_VERSION,
  FormulaInput,
  FormulaSettings,
  GRADE_ORDER,
  GradeKey,
  RaterGroupConfig,
  RubricItem,
  Subject,
} from './formula';

/**
 * The ballots file of one 述职评议 round, as the web app exports it and `npm run cli -- aggregate <文件>` recounts it:
 *
 *   { "formulaVersion": 1, "round": { "year": 2026, "name": "…" }, "settings": { … }, "items": [ … ], "groups": [ … ],
 *     "subjects": [ … ], "ballots": [ … ] }
 *
 * "settings" may be left out, wholly or key by key: the defaults of the formula fill in. Anything else is refused rather
 * than ignored (a misspelt "dailyweight" must not silently fall back to 30 %). The file is for committee staff, who may
 * open it in an editor, so every message names the thing in plain words (“第 3 张选票的“评分组”……”), not a JSON path.
 */

export interface ExportRound {
  year: number;
  name: string;
}

export type ExportFile = FormulaInput & { formulaVersion: typeof FORMULA_VERSION; round: ExportRound };

/** The file for a round, keys in the documented order (what the web app's export writes). */
export function buildExportFile(round: ExportRound, input: FormulaInput): ExportFile {
  const { settings, items, groups, subjects, ballots } = input;
  return { formulaVersion: FORMULA_VERSION, round, settings, items, groups, subjects, ballots };
}

/** Checks a parsed ballots file (shape, then everything the formula would refuse); throws DomainError VALIDATION. */
export function parseExportFile(json: unknown): ExportFile {
  const errors: FieldError[] = [];
  const say = (field: string, message: string) => errors.push({ field, message });

  if (!isObject(json)) fail([{ field: 'file', message: '选票文件应为一个 JSON 对象，含公式版本、评议轮次、评分细则、评分组、评议对象和选票' }]);
  const version = json.formulaVersion;
  if (version === undefined)
    fail([{ field: 'formulaVersion', message: `文件没有注明计分公式版本（formulaVersion），无法确定按哪一版计算；本程序按${FORMULA_LABEL}计算` }]);
  if (version !== FORMULA_VERSION)
    fail([
      { field: 'formulaVersion', message: `该文件按第 ${String(version)} 版计分公式导出，本程序只能按${FORMULA_LABEL}计算；请用相应版本的程序计算，不能混用` },
    ]);
  unknownKeys(json, '选票文件', TOP_KEYS, 'file', say);

  const round = readObject(json.round, '评议轮次', ROUND_FIELDS, 'round', say, true) as ExportRound | null;
  if (round && !(Number.isSafeInteger(round.year) && round.year >= 2000 && round.year <= 2100))
    say('round.year', `评议轮次的“年度”应为四位数年份，如 2026，现为 ${round.year}`);
  const settings = readSettings(json.settings, say);
  const items = readList<RubricItem>(json.items, '评分细则', (i) => `第 ${i + 1} 项评分细则`, ITEM_FIELDS, 'items', say);
  const groups = readList<RaterGroupConfig>(json.groups, '评分组', (i) => `第 ${i + 1} 个评分组`, GROUP_FIELDS, 'groups', say);
  const subjects = readList<Subject>(json.subjects, '评议对象', (i) => `第 ${i + 1} 位评议对象`, SUBJECT_FIELDS, 'subjects', say);
  const ballots = readList<Ballot>(json.ballots, '选票', (i) => `第 ${i + 1} 张选票`, BALLOT_FIELDS, 'ballots', say);
  if (errors.length || !round || !settings || !items || !groups || !subjects || !ballots) fail(errors);

  const file: ExportFile = { formulaVersion: FORMULA_VERSION, round, settings, items, groups, subjects, ballots };
  const problems = checkInput(file);
  if (problems.length) fail(problems.map((message) => ({ field: 'file', message })));
  return file;
}

// ——— shapes ———

type Say = (field: string, message: string) => void;
type Json = Record<string, unknown>;
type Kind = 'text' | 'number' | 'boolean' | 'numberOrNull' | 'textOrNull' | 'scores';
interface FieldSpec {
  label: string;
  kind: Kind;
  optional?: boolean;
}

const TOP_KEYS = ['formulaVersion', 'round', 'settings', 'items', 'groups', 'subjects', 'ballots'];
const ROUND_FIELDS: Record<string, FieldSpec> = { year: { label: '年度', kind: 'number' }, name: { label: '名称', kind: 'text' } };
const ITEM_FIELDS: Record<string, FieldSpec> = {
  key: { label: '代码', kind: 'text' },
  name: { label: '名称', kind: 'text' },
  weight: { label: '权重', kind: 'number' },
  max: { label: '满分', kind: 'number' },
};
const GROUP_FIELDS: Record<string, FieldSpec> = {
  key: { label: '代码', kind: 'text' },
  name: { label: '名称', kind: 'text' },
  weight: { label: '权重', kind: 'number' },
  ballotKind: { label: '计票方式', kind: 'text' },
};
const SUBJECT_FIELDS: Record<string, FieldSpec> = {
  subjectId: { label: '编号', kind: 'text' },
  name: { label: '姓名', kind: 'text' },
  orgName: { label: '单位', kind: 'textOrNull', optional: true },
  daily: { label: '日常考核', kind: 'numberOrNull' },
  topGradeBar: { label: '不得评为“好”的原因', kind: 'textOrNull', optional: true },
};
const BALLOT_FIELDS: Record<string, FieldSpec> = {
  groupKey: { label: '评分组', kind: 'text' },
  subjectId: { label: '评议对象', kind: 'text' },
  abstain: { label: '弃权', kind: 'boolean', optional: true },
  grade: { label: '等次', kind: 'text', optional: true },
  items: { label: '各项得分', kind: 'scores', optional: true },
};
const SETTING_LABELS: Record<keyof FormulaSettings, string> = {
  trimAtLeast: '去掉最高分和最低分所需的最少有效票数',
  minBallotsToShow: '显示平均分所需的最少有效票数',
  gradePoints: '等次折算分',
  thresholds: '分数线',
  dailyWeight: '日常考核所占比例',
  topGradeCapPercent: '“好”等次比例上限',
};

function readList<T>(raw: unknown, what: string, label: (i: number) => string, spec: Record<string, FieldSpec>, field: string, say: Say): T[] | null {
  if (!Array.isArray(raw)) {
    say(field, raw === undefined ? `文件缺少${what}（${field}）` : `文件中的${what}应为列表`);
    return null;
  }
  const list = raw.map((entry, i) => readObject(entry, nameOf(label(i), entry), spec, `${field}[${i}]`, say));
  return list.every(Boolean) ? (list as T[]) : null;
}

/** “第 2 位评议对象（李四）” when the entry has a name. */
function nameOf(label: string, entry: unknown): string {
  return isObject(entry) && typeof entry.name === 'string' && entry.name.trim() ? `${label}（${entry.name}）` : label;
}

function readObject(raw: unknown, label: string, spec: Record<string, FieldSpec>, field: string, say: Say, required = false): Json | null {
  if (raw === undefined && required) {
    say(field, `文件缺少${label}`);
    return null;
  }
  if (!isObject(raw)) {
    say(field, `${label}应为一组“名称: 值”（JSON 对象）`);
    return null;
  }
  let ok = unknownKeys(raw, label, Object.keys(spec), field, say);
  const out: Json = {};
  for (const [key, { label: name, kind, optional }] of Object.entries(spec)) {
    const value = raw[key];
    if (value === undefined) {
      if (!optional) {
        say(`${field}.${key}`, `${label}缺少“${name}”${kind === 'numberOrNull' ? '（没有记录时写 null）' : ''}`);
        ok = false;
      }
      continue;
    }
    const problem = kindProblem(kind, value);
    if (problem) {
      say(`${field}.${key}`, `${label}的“${name}”${problem}`);
      ok = false;
    } else out[key] = value;
  }
  return ok ? out : null;
}

function kindProblem(kind: Kind, value: unknown): string | null {
  switch (kind) {
    case 'text':
      return typeof value === 'string' && value.trim() !== '' ? null : '应为文字，不能为空';
    case 'textOrNull':
      return value === null || typeof value === 'string' ? null : '应为文字，没有时写 null';
    case 'number':
      return isNumber(value) ? null : '应为数字';
    case 'numberOrNull':
      return value === null || isNumber(value) ? null : '应为数字，没有记录时写 null';
    case 'boolean':
      return typeof value === 'boolean' ? null : '应为 true 或 false';
    case 'scores':
      if (!isObject(value)) return '应为各项代码与得分的对照，如 {"duty": 9, "org": 8}';
      for (const [k, v] of Object.entries(value)) if (!isNumber(v)) return `中“${k}”一项的得分应为数字`;
      return null;
  }
}

/** True when every key is known. */
function unknownKeys(raw: Json, label: string, known: string[], field: string, say: Say): boolean {
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  for (const k of unknown) say(`${field}.${k}`, `${label}中有不认识的项“${k}”（可用：${known.join('、')}）`);
  return unknown.length === 0;
}

function readSettings(raw: unknown, say: Say): FormulaSettings | null {
  const settings = structuredClone(DEFAULT_SETTINGS) as FormulaSettings;
  if (raw === undefined) return settings;
  if (!isObject(raw)) {
    say('settings', '计分设置应为一组“名称: 值”（JSON 对象），不写则全部用默认值');
    return null;
  }
  let ok = unknownKeys(raw, '计分设置', Object.keys(SETTING_LABELS), 'settings', say);
  const bad = (key: keyof FormulaSettings, message: string) => {
    say(`settings.${key}`, `计分设置中的“${SETTING_LABELS[key]}”${message}`);
    ok = false;
  };
  for (const key of ['trimAtLeast', 'minBallotsToShow', 'dailyWeight', 'topGradeCapPercent'] as const) {
    if (raw[key] === undefined) continue;
    if (isNumber(raw[key])) settings[key] = raw[key];
    else bad(key, '应为数字');
  }
  const points = raw.gradePoints;
  if (points !== undefined) {
    if (isObject(points) && Object.keys(points).length === GRADE_ORDER.length && GRADE_ORDER.every((g) => isNumber(points[g])))
      settings.gradePoints = points as Record<GradeKey, number>;
    else
      bad(
        'gradePoints',
        '应依次给出好（GOOD）、较好（FAIRLY_GOOD）、一般（AVERAGE）、差（POOR）四个等次的分数，如 {"GOOD": 100, "FAIRLY_GOOD": 80, "AVERAGE": 60, "POOR": 40}',
      );
  }
  const thresholds = raw.thresholds;
  if (thresholds !== undefined) {
    const shaped = (t: unknown) => isObject(t) && Object.keys(t).length === 2 && typeof t.grade === 'string' && isNumber(t.min);
    if (Array.isArray(thresholds) && thresholds.every(shaped)) settings.thresholds = thresholds as FormulaSettings['thresholds'];
    else bad('thresholds', '应为从高到低的分数线列表，如 [{"grade": "GOOD", "min": 90}, {"grade": "FAIRLY_GOOD", "min": 80}]');
  }
  return ok ? settings : null;
}

const MAX_SHOWN = 20;

function fail(errors: FieldError[]): never {
  const shown = errors.length > MAX_SHOWN ? [...errors.slice(0, MAX_SHOWN), { field: 'file', message: `……另有 ${errors.length - MAX_SHOWN} 处问题` }] : errors;
  throw DomainError.validation(shown, '选票文件有误');
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
