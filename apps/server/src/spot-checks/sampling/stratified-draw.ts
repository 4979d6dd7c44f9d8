import { DomainError, FieldError } from '../../common/errors/domain-error';
import { parseRule, parseSamplingInput } from './sampling-input';
import { DrawResult, LevelRule, OrgNode, SampleUnit, SamplingInput, SamplingRule, StratumReport } from './sampling.types';
import { byId, SeededRandom } from './seeded-random';

/**
 * Stratified spot-check draw (issue 6, point 2), e.g. 每个县不少于10名、每个乡镇1至2名.
 *
 * Strata. Depth is counted below the scope root (0 = the scope itself). Every org at a depth that some LevelRule
 * names is a stratum. A unit belongs to the stratum of every ancestor of its org and of its org itself. Units
 * outside the scope subtree are ignored; units listed in `excluded` count as excluded, not eligible.
 *
 * Bounds. For stratum s with e eligible units: lo = max(min ?? 0, ceil(share × e), all ? e : 0), hi = min(max ?? ∞, e).
 * lo > e or lo > hi is refused with the reason — never shrunk to fit.
 *
 * Nesting. The children of a stratum are the strata at the next constrained level inside it, plus the units not under
 * any of them (bounds 0..count). Its feasible range is [max(lo, Σ child lows), min(hi, Σ child highs)], computed bottom
 * up; an empty range is refused naming the stratum and the numbers. Above the first constrained level sits an
 * unconstrained root (0..∞) when level 0 has no rule.
 *
 * Draw. The smallest sample that satisfies every rule: the root takes its feasible low. Top down, each child first
 * gets its feasible low and the remainder goes out one unit at a time to a child drawn with probability proportional
 * to its remaining capacity. Loose units are picked by a seeded Fisher–Yates shuffle.
 *
 * Reproducibility. Orgs, children and units are sorted by id (code-unit order) before any random step and one
 * seeded generator is consumed in a fixed depth-first order, so the result depends only on (rule, input, seed), not
 * on input order or machine. `selected` is sorted by id.
 */

interface Stratum {
  org: OrgNode | null; // null: the unconstrained root above the first constrained level
  level: number;
  rule: LevelRule | null;
  ruleIndex: number;
  eligible: SampleUnit[];
  excluded: number;
  children: Stratum[];
  loose: SampleUnit[];
  lo: number;
  hi: number;
  feasibleLo: number;
  feasibleHi: number;
  selected: number;
}

/** ceil(share × n), tolerant of binary fractions: 0.7 × 10 is 7.000000000000001 in floating point but means 7. */
export function shareCount(share: number, n: number): number {
  return Math.ceil(share * n - 1e-9);
}

export function draw(rule: SamplingRule, input: SamplingInput, seed: string): DrawResult {
  if (typeof seed !== 'string' || seed.trim() === '') throw DomainError.validation([{ field: 'seed', message: '随机种子不能为空' }]);
  const parsedRule = parseRule(rule);
  const root = buildStrata(parsedRule.levels, parseSamplingInput(input));
  checkFeasible(root, parsedRule.excludeRecentRounds);

  const random = new SeededRandom(seed);
  const selected: string[] = [];
  distribute(root, root.feasibleLo, random, selected);
  const strata: StratumReport[] = [];
  report(root, strata);
  return { selected: selected.sort(), strata };
}

function buildStrata(levels: LevelRule[], input: SamplingInput): Stratum {
  const byLevel = new Map(levels.map((r, i) => [r.level, { rule: r, index: i }]));
  const constrained = [...byLevel.keys()].sort((a, b) => a - b);
  const orgs = [...input.orgs].sort(byId);
  const childrenOf = new Map<string, OrgNode[]>();
  for (const o of orgs) {
    if (o.parentId === null) continue;
    const siblings = childrenOf.get(o.parentId);
    if (siblings) siblings.push(o);
    else childrenOf.set(o.parentId, [o]);
  }

  // Path from the scope to each org in its subtree: path[d] is the ancestor at depth d.
  const scope = orgs.find((o) => o.id === input.scopeId) as OrgNode;
  const pathTo = new Map<string, OrgNode[]>([[scope.id, [scope]]]);
  const queue = [scope];
  for (let org = queue.shift(); org; org = queue.shift()) {
    for (const child of childrenOf.get(org.id) ?? []) {
      if (pathTo.has(child.id)) continue;
      pathTo.set(child.id, [...(pathTo.get(org.id) as OrgNode[]), child]);
      queue.push(child);
    }
  }

  const make = (org: OrgNode | null, level: number): Stratum => {
    const r = org ? byLevel.get(level) : undefined;
    return {
      org,
      level,
      rule: r?.rule ?? null,
      ruleIndex: r?.index ?? -1,
      eligible: [],
      excluded: 0,
      children: [],
      loose: [],
      lo: 0,
      hi: Infinity,
      feasibleLo: 0,
      feasibleHi: 0,
      selected: 0,
    };
  };
  const root = constrained[0] === 0 ? make(scope, 0) : make(null, -1);
  const strata = new Map<string, Stratum>();
  if (root.org) strata.set(scope.id, root);
  // Strata are created level by level so that each finds its parent stratum already made; queue order keeps ids sorted within a parent.
  for (const level of constrained.filter((l) => l > 0)) {
    for (const path of [...pathTo.values()].filter((p) => p.length - 1 === level).sort((a, b) => byId(a[level], b[level]))) {
      const s = make(path[level], level);
      strata.set(path[level].id, s);
      parentStratum(path, level, constrained, strata, root).children.push(s);
    }
  }

  const excluded = new Set(input.excluded ?? []);
  for (const unit of [...input.units].sort(byId)) {
    const path = pathTo.get(unit.orgId);
    if (!path) continue; // outside the scope
    const containing = [root, ...path.map((o) => strata.get(o.id)).filter((s): s is Stratum => !!s && s !== root)];
    const isExcluded = excluded.has(unit.id);
    for (const s of containing) {
      if (isExcluded) s.excluded++;
      else s.eligible.push(unit);
    }
    if (!isExcluded) containing[containing.length - 1].loose.push(unit);
  }
  return root;
}

function parentStratum(path: OrgNode[], level: number, constrained: number[], strata: Map<string, Stratum>, root: Stratum): Stratum {
  const above = constrained.filter((l) => l < level && l > 0).pop();
  return above === undefined ? root : (strata.get(path[above].id) as Stratum);
}

function checkFeasible(root: Stratum, rounds: number | undefined): void {
  const errors: FieldError[] = [];
  const visit = (s: Stratum): boolean => {
    const childrenOk = s.children.map(visit).every(Boolean);
    const e = s.eligible.length;
    const r = s.rule;
    const field = s.ruleIndex >= 0 ? `levels[${s.ruleIndex}]` : 'levels';
    if (r) {
      s.lo = Math.max(r.min ?? 0, r.share !== undefined ? shareCount(r.share, e) : 0, r.all ? e : 0);
      s.hi = Math.min(r.max ?? Infinity, e);
      if (s.lo > e) {
        errors.push({ field, message: `${where(s)}要求至少抽取${s.lo}个，但符合条件的只有${e}个${excludedNote(s.excluded, rounds)}` });
        return false;
      }
      if (s.lo > s.hi) {
        errors.push({ field, message: `${where(s)}${whyLow(s)}，但规则规定至多抽取${s.hi}个` });
        return false;
      }
    }
    if (!childrenOk) return false;
    const childLo = s.children.reduce((sum, c) => sum + c.feasibleLo, 0);
    const childHi = s.children.reduce((sum, c) => sum + c.feasibleHi, 0) + s.loose.length;
    s.feasibleLo = Math.max(s.lo, childLo);
    s.feasibleHi = Math.min(s.hi, childHi);
    if (s.feasibleLo <= s.feasibleHi) return true;
    const below = `其下${levelName(s.children[0]?.level ?? s.level + 1)}的${s.children.length}个组织`;
    if (childLo > s.hi) errors.push({ field, message: `${where(s)}规定至多抽取${s.hi}个，但${below}按各自下限合计至少要抽取${childLo}个` });
    else {
      const direct = s.loose.length ? `，加上不属于这些组织的${s.loose.length}个也只有${childHi}个` : '';
      errors.push({ field, message: `${where(s)}${whyLow(s)}，但${below}按各自上限合计最多只能抽取${childHi - s.loose.length}个${direct}` });
    }
    return false;
  };
  visit(root);
  if (errors.length) throw DomainError.validation(errors, '抽样规则无法满足');
}

function levelName(level: number): string {
  return level === 0 ? '抽查范围' : `第${level}层`;
}

function where(s: Stratum): string {
  return `${levelName(s.level)}“${s.org?.name}”`;
}

function whyLow(s: Stratum): string {
  const r = s.rule as LevelRule;
  if (r.all && s.lo === s.eligible.length && (r.min ?? 0) < s.lo) return `要求全部抽取（${s.lo}个）`;
  if (r.share !== undefined && (r.min ?? 0) < s.lo) return `按比例${Number((r.share * 100).toFixed(2))}%要求至少抽取${s.lo}个`;
  return `要求至少抽取${s.lo}个`;
}

function excludedNote(count: number, rounds: number | undefined): string {
  if (count === 0) return '';
  return rounds ? `（已排除近${rounds}轮抽查过的${count}个）` : `（已排除近期抽查过的${count}个）`;
}

function distribute(s: Stratum, target: number, random: SeededRandom, out: string[]): void {
  s.selected = target;
  const give = s.children.map((c) => c.feasibleLo);
  let looseTake = 0;
  const capacity = () => [...s.children.map((c, i) => c.feasibleHi - give[i]), s.loose.length - looseTake];
  for (let remaining = target - give.reduce((a, b) => a + b, 0); remaining > 0; remaining--) {
    const i = random.weighted(capacity());
    if (i === s.children.length) looseTake++;
    else give[i]++;
  }
  s.children.forEach((c, i) => distribute(c, give[i], random, out));
  out.push(
    ...random
      .shuffle(s.loose, looseTake)
      .slice(0, looseTake)
      .map((u) => u.id),
  );
}

function report(s: Stratum, out: StratumReport[]): void {
  if (s.org && s.rule) out.push({ orgId: s.org.id, name: s.org.name, level: s.level, eligible: s.eligible.length, min: s.lo, max: s.hi, selected: s.selected });
  for (const c of s.children) report(c, out);
}
