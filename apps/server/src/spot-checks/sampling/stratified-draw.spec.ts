import { DomainError } from '../../common/errors/domain-error';
import { draw, OrgNode, SampleUnit, SamplingInput, SamplingRule } from './index';
import { SeededRandom } from './seeded-random';

/** A county (县) with townships (乡镇), two villages per township and 驻村工作队员 posted to the villages. */
function county(id: string, name: string, teamSizes: number[], parentId: string | null = null) {
  const orgs: OrgNode[] = [{ id, parentId, name, kind: 'COUNTY' }];
  const units: SampleUnit[] = [];
  teamSizes.forEach((size, t) => {
    const town = `${id}-t${t + 1}`;
    orgs.push({ id: town, parentId: id, name: `${name}第${t + 1}乡`, kind: 'TOWNSHIP' });
    for (const v of [1, 2]) orgs.push({ id: `${town}-v${v}`, parentId: town, name: `${name}第${t + 1}乡${v}村`, kind: 'VILLAGE' });
    for (let p = 1; p <= size; p++) units.push({ id: `${town}-p${p}`, orgId: `${town}-v${(p % 2) + 1}`, label: `队员${t + 1}-${p}` });
  });
  return { orgs, units };
}

const townOf = (unitId: string) => unitId.replace(/-p\d+$/, '');
const countPerTown = (ids: string[]) => ids.reduce((m, id) => m.set(townOf(id), (m.get(townOf(id)) ?? 0) + 1), new Map<string, number>());

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).fields.map((f) => f.message).join('；');
  }
  throw new Error('expected the draw to be refused');
}

const EIGHT_TOWNS = [5, 6, 7, 5, 6, 7, 5, 6];

describe('draw: bounds of one level', () => {
  const { orgs, units } = county('c', '达川区', EIGHT_TOWNS);
  const input: SamplingInput = { scopeId: 'c', orgs, units };

  it('min k takes exactly k from every stratum, each unit from inside that stratum', () => {
    const r = draw({ levels: [{ level: 1, min: 2 }] }, input, 's1');
    expect(r.selected).toHaveLength(16);
    expect([...countPerTown(r.selected).values()]).toEqual(Array(8).fill(2));
    expect(r.strata.map((s) => [s.orgId, s.eligible, s.min, s.selected])).toEqual(EIGHT_TOWNS.map((n, i) => [`c-t${i + 1}`, n, 2, 2]));
  });

  it('between k and m takes the smallest sample that satisfies the rule', () => {
    const r = draw({ levels: [{ level: 1, min: 1, max: 3 }] }, input, 's1');
    expect([...countPerTown(r.selected).values()]).toEqual(Array(8).fill(1));
  });

  it('a share is rounded up per stratum, and 0.7 of 10 is 7 despite floating point', () => {
    const r = draw({ levels: [{ level: 1, share: 0.3 }] }, input, 's1');
    // 0.3 × 5 = 1.5 → 2, 0.3 × 6 = 1.8 → 2, 0.3 × 7 = 2.1 → 3
    expect(r.strata.map((s) => s.selected)).toEqual([2, 2, 3, 2, 2, 3, 2, 2]);
    expect([...countPerTown(r.selected).values()]).toEqual([2, 2, 3, 2, 2, 3, 2, 2]);

    const ten = county('d', '某县', [10]);
    expect(draw({ levels: [{ level: 1, share: 0.7 }] }, { scopeId: 'd', ...ten }, 's1').selected).toHaveLength(7);
  });

  it('all takes every eligible unit of every stratum', () => {
    const r = draw({ levels: [{ level: 1, all: true }] }, { ...input, excluded: ['c-t1-p1', 'c-t2-p3'] }, 's1');
    expect(r.selected).toEqual(
      units
        .map((u) => u.id)
        .filter((id) => id !== 'c-t1-p1' && id !== 'c-t2-p3')
        .sort(),
    );
  });

  it('takes the largest of min, share and all as the lower bound', () => {
    const r = draw({ levels: [{ level: 1, min: 2, share: 0.5 }] }, input, 's1');
    expect(r.strata.map((s) => s.selected)).toEqual([3, 3, 4, 3, 3, 4, 3, 3]);
  });

  it('ignores units outside the scope and counts units posted directly to a township', () => {
    const other = county('x', '邻县', [6]);
    const direct: SampleUnit = { id: 'c-t1-p9', orgId: 'c-t1' };
    const r = draw({ levels: [{ level: 1, all: true }] }, { scopeId: 'c', orgs: [...orgs, ...other.orgs], units: [...units, ...other.units, direct] }, 's1');
    expect(r.selected).toContain('c-t1-p9');
    expect(r.selected.some((id) => id.startsWith('x-'))).toBe(false);
    expect(r.strata[0].eligible).toBe(6);
  });

  it('a narrower scope draws only inside it', () => {
    const r = draw({ levels: [{ level: 0, min: 3 }] }, { ...input, scopeId: 'c-t3' }, 's1');
    expect(r.selected).toHaveLength(3);
    expect(r.selected.every((id) => id.startsWith('c-t3-'))).toBe(true);
    expect(r.strata).toEqual([{ orgId: 'c-t3', name: '达川区第3乡', level: 0, eligible: 7, min: 3, max: 7, selected: 3 }]);
  });
});

describe('draw: rules combined across levels', () => {
  // seed 004: 按照每个县抽查不少于10名驻村工作队员、每个乡镇抽查1至2名的原则
  const rule: SamplingRule = {
    levels: [
      { level: 0, min: 10 },
      { level: 1, min: 1, max: 2 },
    ],
  };
  const { orgs, units } = county('c', '达川区', EIGHT_TOWNS);

  it.each(['2024-第1轮', '2024-第2轮', 'x', 'y', 'z'])('county ≥ 10 and township 1..2 with 8 townships: 8 ones, two of them a second (seed %s)', (seed) => {
    const r = draw(rule, { scopeId: 'c', orgs, units }, seed);
    expect(r.selected).toHaveLength(10);
    const perTown = countPerTown(r.selected);
    expect(perTown.size).toBe(8);
    expect([...perTown.values()].sort()).toEqual([1, 1, 1, 1, 1, 1, 2, 2]);
    expect(r.strata[0]).toEqual({ orgId: 'c', name: '达川区', level: 0, eligible: 47, min: 10, max: 47, selected: 10 });
    expect(r.strata.slice(1).map((s) => s.selected)).toEqual([...perTown.keys()].sort().map((t) => perTown.get(t)));
  });

  it('the second person goes to different townships under different seeds', () => {
    const doubled = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const perTown = countPerTown(draw(rule, { scopeId: 'c', orgs, units }, `seed-${i}`).selected);
      for (const [town, n] of perTown) if (n === 2) doubled.add(town);
    }
    expect(doubled.size).toBe(8);
  });

  it('a city scope with counties at level 1 and townships at level 2: each county at least 10, each township 1..2', () => {
    const big = county('c1', '甲县', EIGHT_TOWNS, 'city');
    const many = county('c2', '乙县', [5, 5, 5, 6, 6, 6, 7, 7, 7, 5, 6, 7]);
    many.orgs[0].parentId = 'city';
    const input: SamplingInput = {
      scopeId: 'city',
      orgs: [{ id: 'city', parentId: null, name: '达州市' }, ...big.orgs, ...many.orgs],
      units: [...big.units, ...many.units],
    };
    const r = draw(
      {
        levels: [
          { level: 1, min: 10 },
          { level: 2, min: 1, max: 2 },
        ],
      },
      input,
      'city-1',
    );
    expect(r.selected.filter((id) => id.startsWith('c1-'))).toHaveLength(10);
    expect(r.selected.filter((id) => id.startsWith('c2-'))).toHaveLength(12); // 12 townships each need one
    expect([...countPerTown(r.selected.filter((id) => id.startsWith('c2-'))).values()]).toEqual(Array(12).fill(1));
    expect(r.strata.filter((s) => s.level === 1).map((s) => [s.name, s.selected])).toEqual([
      ['甲县', 10],
      ['乙县', 12],
    ]);
  });

  it('a share at the top combined with a minimum below', () => {
    const r = draw(
      {
        levels: [
          { level: 0, share: 0.5 },
          { level: 1, min: 1 },
        ],
      },
      { scopeId: 'c', orgs, units },
      's',
    );
    expect(r.selected).toHaveLength(24); // ceil(0.5 × 47)
    expect(countPerTown(r.selected).size).toBe(8);
  });
});

describe('draw: exclusions', () => {
  const { orgs, units } = county('c', '大滩乡', [6, 6]);
  const excluded = ['c-t1-p1', 'c-t1-p2', 'c-t1-p3', 'c-t2-p6'];

  it('never selects units checked in recent rounds and counts only the eligible', () => {
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const r = draw({ levels: [{ level: 1, min: 3 }] }, { scopeId: 'c', orgs, units, excluded }, seed);
      expect(r.selected.filter((id) => excluded.includes(id))).toEqual([]);
      expect(r.selected.filter((id) => id.startsWith('c-t1-')).sort()).toEqual(['c-t1-p4', 'c-t1-p5', 'c-t1-p6']);
      expect(r.strata.map((s) => s.eligible)).toEqual([3, 5]);
    }
  });

  it('refuses rather than re-checking excluded units, and says how many were excluded', () => {
    expect(refusal(() => draw({ levels: [{ level: 1, min: 4 }], excludeRecentRounds: 2 }, { scopeId: 'c', orgs, units, excluded }, 's'))).toBe(
      '第1层“大滩乡第1乡”要求至少抽取4个，但符合条件的只有3个（已排除近2轮抽查过的3个）',
    );
  });
});

describe('draw: rules that cannot be satisfied are refused with the reason', () => {
  const town = { id: 'dt', parentId: null, name: '大滩乡' };
  const branches: OrgNode[] = [town, ...[1, 2, 3].map((i) => ({ id: `dt-b${i}`, parentId: 'dt', name: `第${i}支部` }))];
  const six: SampleUnit[] = [1, 2, 3, 4, 5, 6].map((i) => ({ id: `u${i}`, orgId: `dt-b${(i % 3) + 1}` }));

  it('asks for 10 where only 6 exist', () => {
    const county: OrgNode = { id: 'county', parentId: null, name: '达川区' };
    const input: SamplingInput = { scopeId: 'county', orgs: [county, { ...town, parentId: 'county' }, ...branches.slice(1)], units: six };
    expect(refusal(() => draw({ levels: [{ level: 1, min: 10 }] }, input, 's'))).toBe('第1层“大滩乡”要求至少抽取10个，但符合条件的只有6个');
  });

  it('a stratum with nobody in it cannot give its one', () => {
    const msg = refusal(() =>
      draw({ levels: [{ level: 1, min: 1 }] }, { scopeId: 'dt', orgs: [...branches, { id: 'dt-b4', parentId: 'dt', name: '机关支部' }], units: six }, 's'),
    );
    expect(msg).toBe('第1层“机关支部”要求至少抽取1个，但符合条件的只有0个');
  });

  it('min greater than max', () => {
    expect(refusal(() => draw({ levels: [{ level: 1, min: 3, max: 2 }] }, { scopeId: 'dt', orgs: branches, units: six }, 's'))).toBe(
      '字段 levels[0].min（3）不能大于 max（2）',
    );
  });

  it('a share that exceeds the maximum', () => {
    const msg = refusal(() => draw({ levels: [{ level: 0, share: 0.5, max: 2 }] }, { scopeId: 'dt', orgs: branches, units: six }, 's'));
    expect(msg).toBe('抽查范围“大滩乡”按比例50%要求至少抽取3个，但规则规定至多抽取2个');
  });

  it('a total above what the lower level allows', () => {
    const { orgs, units } = county('c', '达川区', EIGHT_TOWNS);
    const msg = refusal(() =>
      draw(
        {
          levels: [
            { level: 0, min: 20 },
            { level: 1, min: 1, max: 2 },
          ],
        },
        { scopeId: 'c', orgs, units },
        's',
      ),
    );
    expect(msg).toBe('抽查范围“达川区”要求至少抽取20个，但其下第1层的8个组织按各自上限合计最多只能抽取16个');
  });

  it('a total below what the lower level requires', () => {
    const { orgs, units } = county('c', '达川区', EIGHT_TOWNS);
    const msg = refusal(() =>
      draw(
        {
          levels: [
            { level: 0, max: 5 },
            { level: 1, min: 1 },
          ],
        },
        { scopeId: 'c', orgs, units },
        's',
      ),
    );
    expect(msg).toBe('抽查范围“达川区”规定至多抽取5个，但其下第1层的8个组织按各自下限合计至少要抽取8个');
  });

  it('counts units outside the lower strata when saying what is available', () => {
    const units = [...six, { id: 'secretary', orgId: 'dt' }];
    const msg = refusal(() =>
      draw(
        {
          levels: [
            { level: 0, min: 5 },
            { level: 1, max: 1 },
          ],
        },
        { scopeId: 'dt', orgs: branches, units },
        's',
      ),
    );
    expect(msg).toBe('抽查范围“大滩乡”要求至少抽取5个，但其下第1层的3个组织按各自上限合计最多只能抽取3个，加上不属于这些组织的1个也只有4个');
    // with four asked for, the one posted to the committee itself must be taken
    expect(
      draw(
        {
          levels: [
            { level: 0, min: 4 },
            { level: 1, max: 1 },
          ],
        },
        { scopeId: 'dt', orgs: branches, units },
        's',
      ).selected,
    ).toContain('secretary');
  });

  it('lists every failing stratum at once', () => {
    const { orgs, units } = county('c', '达川区', [5, 7, 6]);
    const msg = refusal(() => draw({ levels: [{ level: 1, min: 7 }] }, { scopeId: 'c', orgs, units }, 's'));
    expect(msg).toBe('第1层“达川区第1乡”要求至少抽取7个，但符合条件的只有5个；第1层“达川区第3乡”要求至少抽取7个，但符合条件的只有6个');
  });

  it('an empty seed', () => {
    expect(refusal(() => draw({ levels: [{ level: 1, min: 1 }] }, { scopeId: 'dt', orgs: branches, units: six }, ' '))).toBe('随机种子不能为空');
  });
});

describe('draw: reproducibility', () => {
  // 10 townships × 30 people, half of each township drawn: C(30,15)^10 ≈ 10^74 possible draws.
  const { orgs, units } = county('c', '达川区', Array(10).fill(30));
  const rule: SamplingRule = {
    levels: [
      { level: 0, min: 100 },
      { level: 1, share: 0.3, max: 15 },
    ],
  };
  const input: SamplingInput = { scopeId: 'c', orgs, units, excluded: ['c-t1-p1', 'c-t5-p7'] };

  function scrambled<T>(items: T[], seed: string): T[] {
    return new SeededRandom(seed).shuffle(items);
  }

  it('the same seed gives the same ids, whatever the order of orgs, units and exclusions', () => {
    const first = draw(rule, input, '2024-第3轮');
    const again = draw(rule, { ...input, orgs: scrambled(orgs, 'o'), units: scrambled(units, 'u'), excluded: [...input.excluded!].reverse() }, '2024-第3轮');
    expect(again.selected).toEqual(first.selected);
    expect(first.selected).toHaveLength(100);
    expect(draw(rule, { ...input, orgs: [...orgs].reverse(), units: [...units].reverse() }, '2024-第3轮')).toEqual(first);
  });

  it('a different seed gives a different draw', () => {
    const a = draw(rule, input, '2024-第3轮').selected;
    const b = draw(rule, input, '2024-第4轮').selected;
    expect(b).toHaveLength(100);
    expect(b).not.toEqual(a);
  });

  it('a stored draw replays exactly (changing the generator or the algorithm breaks stored draws)', () => {
    const { orgs: o, units: u } = county('c', '达川区', [5, 6, 7]);
    const r = draw(
      {
        levels: [
          { level: 0, min: 5 },
          { level: 1, min: 1, max: 2 },
        ],
      },
      { scopeId: 'c', orgs: o, units: u },
      'golden',
    );
    expect(r.selected).toEqual(GOLDEN);
  });
});

const GOLDEN = ['c-t1-p5', 'c-t2-p5', 'c-t2-p6', 'c-t3-p4', 'c-t3-p5'];
