import { DomainError, FieldError } from '../../common/errors/domain-error';
import { InspectorCandidate, SampleUnit } from './sampling.types';
import { byId, SeededRandom } from './seeded-random';

/**
 * One inspector per selected unit, never from the unit's own organisation (nor the person being checked), with loads
 * as even as the exclusions allow.
 *
 * A seeded greedy pass (most constrained unit first, least-loaded eligible inspector, ties drawn at random) is followed
 * by moving units along "cost-reducing paths" — a chain of reassignments from an inspector with load a to one with
 * load ≤ a − 2 — until none is left. An assignment without such a path is an optimal semi-matching (Harvey, Ladner,
 * Lovász, Tamir 2003): no other assignment has a smaller largest load or a larger smallest one, so the difference is
 * ≤ 1 whenever any assignment achieves that.
 */
export function assignInspectors(units: SampleUnit[], inspectors: InspectorCandidate[], seed: string): Map<string, string> {
  if (typeof seed !== 'string' || seed.trim() === '') throw DomainError.validation([{ field: 'seed', message: '随机种子不能为空' }]);
  const people = [...inspectors].sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
  const sorted = [...units].sort(byId);
  const errors: FieldError[] = [];
  people.forEach((p, i) => {
    if (i > 0 && people[i - 1].personId === p.personId) errors.push({ field: 'inspectors', message: `督查人员“${p.name ?? p.personId}”重复出现` });
  });
  sorted.forEach((u, i) => {
    if (i > 0 && sorted[i - 1].id === u.id) errors.push({ field: 'units', message: `抽查对象“${u.label ?? u.id}”重复出现` });
  });
  const eligible = sorted.map((u) => people.flatMap((p, i) => (p.orgIds.includes(u.orgId) || p.personId === u.id ? [] : [i])));
  sorted.forEach((u, i) => {
    if (eligible[i].length > 0) return;
    const why = people.length === 0 ? '尚未指定督查人员' : '全部督查人员都属于该对象所在的组织，不能检查本组织';
    errors.push({ field: 'inspectors', message: `抽查对象“${u.label ?? u.id}”没有可指派的督查人员：${why}` });
  });
  if (errors.length) throw DomainError.validation(errors, '无法指派督查人员');

  const random = new SeededRandom(seed);
  const load = people.map(() => 0);
  const owner: number[] = sorted.map(() => -1);
  const order = random
    .shuffle(sorted.map((_, i) => i))
    .map((u, rank) => ({ u, rank }))
    .sort((a, b) => eligible[a.u].length - eligible[b.u].length || a.rank - b.rank)
    .map((x) => x.u);
  for (const u of order) {
    const least = Math.min(...eligible[u].map((p) => load[p]));
    const ties = eligible[u].filter((p) => load[p] === least);
    owner[u] = ties[random.int(ties.length)];
    load[owner[u]]++;
  }
  while (improveOnce(owner, eligible, load));
  return new Map(sorted.map((u, i) => [u.id, people[owner[i]].personId]));
}

/** Finds one cost-reducing path and applies it; false when the assignment is already optimal. */
function improveOnce(owner: number[], eligible: number[][], load: number[]): boolean {
  const heaviestFirst = load.map((_, p) => p).sort((a, b) => load[b] - load[a] || a - b);
  for (const start of heaviestFirst) {
    const via = new Map<number, { from: number; unit: number }>([[start, { from: -1, unit: -1 }]]);
    const queue = [start];
    for (let x = queue.shift(); x !== undefined; x = queue.shift()) {
      for (let u = 0; u < owner.length; u++) {
        if (owner[u] !== x) continue;
        for (const y of eligible[u]) {
          if (via.has(y)) continue;
          via.set(y, { from: x, unit: u });
          if (load[y] <= load[start] - 2) {
            load[start]--;
            load[y]++;
            for (let end = y; end !== start;) {
              const step = via.get(end) as { from: number; unit: number };
              owner[step.unit] = end;
              end = step.from;
            }
            return true;
          }
          queue.push(y);
        }
      }
    }
  }
  return false;
}
