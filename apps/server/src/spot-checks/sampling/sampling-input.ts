import { DomainError, FieldError } from '../../common/errors/domain-error';
import { LevelRule, OrgNode, SampleUnit, SamplingInput, SamplingRule } from './sampling.types';

/**
 * Validation of a sampling rule (rule.json) and of the snapshot it is drawn from (orgs.json). Both come from files a
 * person may have edited, so every problem is reported at once, naming the field, and unknown rule fields are refused
 * rather than ignored (a misspelt "mni" must not silently widen a draw).
 */

const LEVEL_KEYS = ['level', 'min', 'max', 'share', 'all'];
const RULE_KEYS = ['levels', 'excludeRecentRounds'];
export const MAX_EXCLUDE_ROUNDS = 20;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function fieldMessage(field: string, message: string): string {
  return `字段 ${field}${message.startsWith('（') ? '' : ' '}${message}`;
}

function fail(errors: FieldError[]): never {
  throw DomainError.validation(errors, '抽样规则或抽样对象有误');
}

export function parseRule(json: unknown): SamplingRule {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message: fieldMessage(field, message) });
  if (!isObject(json)) fail([{ field: 'rule', message: '抽样规则必须是 JSON 对象，例如 {"levels":[{"level":1,"min":10}]}' }]);

  for (const key of Object.keys(json)) if (!RULE_KEYS.includes(key)) err(key, `不认识（可用字段：${RULE_KEYS.join('、')}）`);
  const rounds = json.excludeRecentRounds;
  if (rounds !== undefined && !(isCount(rounds) && rounds <= MAX_EXCLUDE_ROUNDS)) err('excludeRecentRounds', `必须是 0 到 ${MAX_EXCLUDE_ROUNDS} 之间的整数`);

  const levels: LevelRule[] = [];
  if (!Array.isArray(json.levels) || json.levels.length === 0) err('levels', '必须是非空数组，每项规定一层的抽取数量');
  else {
    const seen = new Map<number, number>();
    json.levels.forEach((raw: unknown, i) => {
      const at = `levels[${i}]`;
      if (!isObject(raw)) return err(at, '必须是对象，例如 {"level":1,"min":1,"max":2}');
      const before = errors.length;
      for (const key of Object.keys(raw)) if (!LEVEL_KEYS.includes(key)) err(`${at}.${key}`, `不认识（可用字段：${LEVEL_KEYS.join('、')}）`);
      const { level, min, max, share, all } = raw;
      if (!isCount(level)) err(`${at}.level`, '必须是非负整数（0 为抽查范围本身，1 为其下一级组织……）');
      if (min !== undefined && !isCount(min)) err(`${at}.min`, '必须是非负整数');
      if (max !== undefined && !isCount(max)) err(`${at}.max`, '必须是非负整数');
      if (share !== undefined && !(typeof share === 'number' && share > 0 && share <= 1)) err(`${at}.share`, '必须是大于 0、不大于 1 的比例，例如 0.3');
      if (all !== undefined && typeof all !== 'boolean') err(`${at}.all`, '必须是 true 或 false');
      if (min === undefined && max === undefined && share === undefined && all !== true) err(at, '至少要规定 min、max、share、all 之一');
      if (isCount(min) && isCount(max) && min > max) err(`${at}.min`, `（${min}）不能大于 max（${max}）`);
      if (isCount(level)) {
        const other = seen.get(level);
        if (other !== undefined) err(`${at}.level`, `与 levels[${other}] 重复：同一层只能有一条规则`);
        else seen.set(level, i);
      }
      if (errors.length > before) return;
      levels.push({
        level: level as number,
        ...(min !== undefined && { min: min as number }),
        ...(max !== undefined && { max: max as number }),
        ...(share !== undefined && { share: share as number }),
        ...(all !== undefined && { all: all as boolean }),
      });
    });
  }
  if (errors.length) fail(errors);
  return { levels, ...(rounds !== undefined && { excludeRecentRounds: rounds as number }) };
}

export function parseSamplingInput(json: unknown): SamplingInput {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message: fieldMessage(field, message) });
  if (!isObject(json)) fail([{ field: 'input', message: '抽样对象必须是 JSON 对象，含 scopeId、orgs、units' }]);

  if (!isText(json.scopeId)) err('scopeId', '必须是非空字符串（抽查范围的组织编号）');

  const orgs: OrgNode[] = [];
  const orgIndex = new Map<string, number>();
  if (!Array.isArray(json.orgs)) err('orgs', '必须是组织数组');
  else
    json.orgs.forEach((raw: unknown, i) => {
      const at = `orgs[${i}]`;
      if (!isObject(raw)) return err(at, '必须是对象，含 id、parentId、name');
      const before = errors.length;
      const { id, parentId, name, kind } = raw;
      if (!isText(id)) err(`${at}.id`, '必须是非空字符串');
      else if (orgIndex.has(id)) err(`${at}.id`, `“${id}”与 orgs[${orgIndex.get(id)}] 重复`);
      if (parentId !== undefined && parentId !== null && !isText(parentId)) err(`${at}.parentId`, '必须是非空字符串或 null');
      if (!isText(name)) err(`${at}.name`, '必须是非空字符串');
      if (kind !== undefined && typeof kind !== 'string') err(`${at}.kind`, '必须是字符串');
      if (errors.length > before) return;
      orgIndex.set(id as string, i);
      orgs.push({
        id: id as string,
        parentId: (parentId as string | null | undefined) ?? null,
        name: name as string,
        ...(kind !== undefined && { kind: kind as string }),
      });
    });
  if (isText(json.scopeId) && Array.isArray(json.orgs) && !orgIndex.has(json.scopeId)) err('scopeId', `“${json.scopeId}”不是 orgs 中的组织`);
  for (const cycle of findCycles(orgs)) err(`orgs[${orgIndex.get(cycle[0])}].parentId`, `使上下级关系成环：${cycle.join(' → ')}`);

  const units: SampleUnit[] = [];
  const unitIndex = new Map<string, number>();
  if (!Array.isArray(json.units)) err('units', '必须是抽查对象数组（支部或人员）');
  else
    json.units.forEach((raw: unknown, i) => {
      const at = `units[${i}]`;
      if (!isObject(raw)) return err(at, '必须是对象，含 id、orgId');
      const before = errors.length;
      const { id, orgId, label } = raw;
      if (!isText(id)) err(`${at}.id`, '必须是非空字符串');
      else if (unitIndex.has(id)) err(`${at}.id`, `“${id}”与 units[${unitIndex.get(id)}] 重复：每个对象只能出现一次`);
      if (!isText(orgId)) err(`${at}.orgId`, '必须是非空字符串');
      else if (Array.isArray(json.orgs) && !orgIndex.has(orgId)) err(`${at}.orgId`, `“${orgId}”不是 orgs 中的组织`);
      if (label !== undefined && typeof label !== 'string') err(`${at}.label`, '必须是字符串');
      if (errors.length > before) return;
      unitIndex.set(id as string, i);
      units.push({ id: id as string, orgId: orgId as string, ...(label !== undefined && { label: label as string }) });
    });

  let excluded: string[] | undefined;
  if (json.excluded !== undefined) {
    if (!Array.isArray(json.excluded)) err('excluded', '必须是字符串数组（近几轮已抽查过的对象编号）');
    else {
      json.excluded.forEach((v: unknown, i) => isText(v) || err(`excluded[${i}]`, '必须是非空字符串'));
      excluded = json.excluded.filter(isText);
    }
  }
  if (errors.length) fail(errors);
  return { scopeId: json.scopeId as string, orgs, units, ...(excluded && { excluded }) };
}

/** Each parent cycle once, as the ids along it starting from its smallest id. */
function findCycles(orgs: OrgNode[]): string[][] {
  const parent = new Map(orgs.map((o) => [o.id, o.parentId]));
  const state = new Map<string, 'walking' | 'done'>();
  const cycles: string[][] = [];
  for (const start of [...parent.keys()].sort()) {
    const path: string[] = [];
    let id: string | null | undefined = start;
    while (id != null && parent.has(id) && !state.has(id)) {
      state.set(id, 'walking');
      path.push(id);
      id = parent.get(id);
    }
    if (id != null && state.get(id) === 'walking') {
      const cycle = path.slice(path.indexOf(id));
      const first = cycle.indexOf([...cycle].sort()[0]);
      const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
      cycles.push([...rotated, rotated[0]]);
    }
    for (const p of path) state.set(p, 'done');
  }
  return cycles;
}
