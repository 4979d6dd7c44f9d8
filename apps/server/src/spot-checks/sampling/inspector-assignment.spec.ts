import { DomainError } from '../../common/errors/domain-error';
import { assignInspectors, InspectorCandidate, SampleUnit } from './index';
import { SeededRandom } from './seeded-random';

function loads(assignment: Map<string, string>, inspectors: InspectorCandidate[]): number[] {
  return inspectors.map((i) => [...assignment.values()].filter((p) => p === i.personId).length);
}

function ownOrgViolations(assignment: Map<string, string>, units: SampleUnit[], inspectors: InspectorCandidate[]): string[] {
  const byId = new Map(inspectors.map((i) => [i.personId, i]));
  return units.filter((u) => byId.get(assignment.get(u.id) as string)?.orgIds.includes(u.orgId)).map((u) => u.id);
}

/** The smallest possible (largest load − smallest load) over every assignment that respects the own-org rule. */
function bestSpread(units: SampleUnit[], inspectors: InspectorCandidate[]): number {
  const options = units.map((u) => inspectors.map((_, i) => i).filter((i) => !inspectors[i].orgIds.includes(u.orgId)));
  let best = Infinity;
  const load = inspectors.map(() => 0);
  const walk = (k: number) => {
    if (k === units.length) return void (best = Math.min(best, Math.max(...load) - Math.min(...load)));
    for (const i of options[k]) {
      load[i]++;
      walk(k + 1);
      load[i]--;
    }
  };
  walk(0);
  return best;
}

describe('assignInspectors', () => {
  // 56 sampled 驻村工作队员 over 8 townships; 7 inspectors, each from one township's committee.
  const units: SampleUnit[] = Array.from({ length: 56 }, (_, i) => ({ id: `p${String(i).padStart(2, '0')}`, orgId: `t${i % 8}`, label: `队员${i}` }));
  const inspectors: InspectorCandidate[] = Array.from({ length: 7 }, (_, i) => ({ personId: `i${i}`, name: `督查员${i}`, orgIds: [`t${i}`, 'county'] }));

  it('gives every unit one inspector, never from its own organisation, with loads 8 each', () => {
    for (const seed of ['a', 'b', 'c']) {
      const a = assignInspectors(units, inspectors, seed);
      expect([...a.keys()].sort()).toEqual(units.map((u) => u.id));
      expect(ownOrgViolations(a, units, inspectors)).toEqual([]);
      expect(loads(a, inspectors)).toEqual(Array(7).fill(8));
    }
  });

  it('is seeded: same seed and any input order give the same assignment, another seed another', () => {
    const a = assignInspectors(units, inspectors, '第1轮');
    expect(assignInspectors([...units].reverse(), [...inspectors].reverse(), '第1轮')).toEqual(a);
    expect(assignInspectors(units, inspectors, '第2轮')).not.toEqual(a);
  });

  it('never assigns a person to check themselves', () => {
    const a = assignInspectors(
      [{ id: 'i0', orgId: 'x' }],
      [
        { personId: 'i0', orgIds: [] },
        { personId: 'i1', orgIds: [] },
      ],
      's',
    );
    expect(a.get('i0')).toBe('i1');
  });

  it('balances as well as the own-organisation rule allows (checked against every possible assignment)', () => {
    const gen = new SeededRandom('instances');
    for (let n = 0; n < 300; n++) {
      const orgCount = 2 + gen.int(4);
      const us: SampleUnit[] = Array.from({ length: 3 + gen.int(6) }, (_, i) => ({ id: `u${i}`, orgId: `o${gen.int(orgCount)}` }));
      const ins: InspectorCandidate[] = Array.from({ length: 2 + gen.int(3) }, (_, i) => ({
        personId: `i${i}`,
        orgIds: Array.from({ length: orgCount }, (_, o) => `o${o}`).filter(() => gen.int(2) === 0),
      }));
      if (us.some((u) => ins.every((i) => i.orgIds.includes(u.orgId)))) continue;
      const a = assignInspectors(us, ins, `s${n}`);
      expect(ownOrgViolations(a, us, ins)).toEqual([]);
      const l = loads(a, ins);
      expect({ n, spread: Math.max(...l) - Math.min(...l) }).toEqual({ n, spread: bestSpread(us, ins) });
    }
  });

  it('moves work along a chain when the first choice would leave one inspector idle', () => {
    // Only i1 may check o1, only i0 and i1 o0, only i0 and i2 o2: the one balanced answer is 2 / 2 / 2.
    const us: SampleUnit[] = ['o0', 'o2', 'o2', 'o0', 'o1', 'o1'].map((orgId, i) => ({ id: `u${i}`, orgId }));
    const ins: InspectorCandidate[] = [
      { personId: 'i0', orgIds: ['o1'] },
      { personId: 'i1', orgIds: ['o2'] },
      { personId: 'i2', orgIds: ['o0', 'o1'] },
    ];
    for (const seed of ['s103', 'a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      const a = assignInspectors(us, ins, seed);
      expect([...a.entries()].sort()).toEqual([
        ['u0', 'i0'],
        ['u1', 'i2'],
        ['u2', 'i2'],
        ['u3', 'i0'],
        ['u4', 'i1'],
        ['u5', 'i1'],
      ]);
    }
  });

  it('refuses, naming the unit, when only its own organisation could check it', () => {
    let err: unknown;
    try {
      assignInspectors(
        [
          { id: 'b7', orgId: 'b7', label: '大滩村党支部' },
          { id: 'b8', orgId: 'b8' },
        ],
        [{ personId: 'i0', name: '王五', orgIds: ['b7'] }],
        's',
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).fields.map((f) => f.message)).toEqual([
      '抽查对象“大滩村党支部”没有可指派的督查人员：全部督查人员都属于该对象所在的组织，不能检查本组织',
    ]);
    expect(() => assignInspectors([{ id: 'b8', orgId: 'b8' }], [], 's')).toThrow('抽查对象“b8”没有可指派的督查人员：尚未指定督查人员');
  });
});
