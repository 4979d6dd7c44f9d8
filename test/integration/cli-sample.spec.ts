import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../support/cli';
import { draw, OrgNode, SampleUnit, SamplingInput, SamplingRule } from '../../apps/server/src/spot-checks/sampling';

/** 达川区: 8 townships with 5–7 驻村工作队员 each; the last round's picks excluded. */
function snapshot(): SamplingInput {
  const orgs: OrgNode[] = [{ id: 'dc', parentId: null, name: '达川区', kind: 'COUNTY' }];
  const units: SampleUnit[] = [];
  [5, 6, 7, 5, 6, 7, 5, 6].forEach((size, t) => {
    orgs.push({ id: `dc-t${t + 1}`, parentId: 'dc', name: `第${t + 1}乡`, kind: 'TOWNSHIP' });
    for (let p = 1; p <= size; p++) units.push({ id: `dc-t${t + 1}-p${p}`, orgId: `dc-t${t + 1}`, label: `队员${t + 1}-${p}` });
  });
  return { scopeId: 'dc', orgs, units, excluded: ['dc-t1-p1', 'dc-t4-p2'] };
}

describe('sample command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-sample-'));
  const write = (name: string, json: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    return file;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the same ids as the stored draw, one per line, every time', () => {
    const rule: SamplingRule = {
      levels: [
        { level: 0, min: 10 },
        { level: 1, min: 1, max: 2 },
      ],
      excludeRecentRounds: 1,
    };
    const input = snapshot();
    const expected = draw(rule, input, '2024-第2轮').selected;
    expect(expected).toHaveLength(10);

    const args = ['sample', '--rule', write('rule.json', rule), '--orgs', write('orgs.json', input), '--seed', '2024-第2轮'];
    const first = cli(...args);
    expect(first).toMatchObject({ code: 0, out: expected.map((id) => `${id}\n`).join('') });
    expect(cli(...args).out).toBe(first.out);

    const verbose = cli(...args, '--verbose');
    expect(verbose.out).toBe(first.out);
    expect(verbose.err).toContain('第1层\t第1乡\t符合条件 4\t要求 1–2');
    expect(verbose.err).toContain('共抽中 10 个');
  });

  it('refuses an unsatisfiable rule and a broken file with the reason and exit code 2', () => {
    const orgs = write('orgs.json', snapshot());
    const tooMany = cli('sample', '--rule', write('ten.json', { levels: [{ level: 1, min: 7 }], excludeRecentRounds: 1 }), '--orgs', orgs, '--seed', 's');
    expect(tooMany.code).toBe(2);
    expect(tooMany.out).toBe('');
    expect(tooMany.err).toContain('第1层“第1乡”要求至少抽取7个，但符合条件的只有4个（已排除近1轮抽查过的1个）');

    const typo = cli('sample', '--rule', write('typo.json', { levels: [{ level: 1, min: -1 }] }), '--orgs', orgs, '--seed', 's');
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('字段 levels[0].min 必须是非负整数');

    fs.writeFileSync(path.join(dir, 'broken.json'), '{"levels": [');
    const broken = cli('sample', '--rule', path.join(dir, 'broken.json'), '--orgs', orgs, '--seed', 's');
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('不是合法的 JSON');
  });
});
