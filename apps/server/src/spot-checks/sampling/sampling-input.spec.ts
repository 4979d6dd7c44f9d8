import { DomainError } from '../../common/errors/domain-error';
import { parseRule, parseSamplingInput } from './index';

function messages(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('VALIDATION');
    return (err as DomainError).fields.map((f) => f.message);
  }
  throw new Error('expected a validation error');
}

describe('parseRule', () => {
  it('accepts the seed 004 rule and keeps only the fields given', () => {
    expect(
      parseRule({
        levels: [
          { level: 0, min: 10 },
          { level: 1, min: 1, max: 2 },
        ],
        excludeRecentRounds: 2,
      }),
    ).toEqual({
      levels: [
        { level: 0, min: 10 },
        { level: 1, min: 1, max: 2 },
      ],
      excludeRecentRounds: 2,
    });
    expect(
      parseRule({
        levels: [
          { level: 2, share: 0.3 },
          { level: 1, all: true },
        ],
      }),
    ).toEqual({
      levels: [
        { level: 2, share: 0.3 },
        { level: 1, all: true },
      ],
    });
  });

  it('names each wrong field in Chinese, all at once', () => {
    expect(
      messages(() =>
        parseRule({
          levels: [
            { level: 1, min: 1 },
            { level: 2, min: 1.5, max: -1 },
            { level: -1, share: 1.5 },
            { level: 3, all: 'yes' },
            { level: 1, max: 2 },
          ],
          excludeRecentRounds: 21,
        }),
      ),
    ).toEqual([
      '字段 excludeRecentRounds 必须是 0 到 20 之间的整数',
      '字段 levels[1].min 必须是非负整数',
      '字段 levels[1].max 必须是非负整数',
      '字段 levels[2].level 必须是非负整数（0 为抽查范围本身，1 为其下一级组织……）',
      '字段 levels[2].share 必须是大于 0、不大于 1 的比例，例如 0.3',
      '字段 levels[3].all 必须是 true 或 false',
      '字段 levels[3] 至少要规定 min、max、share、all 之一',
      '字段 levels[4].level 与 levels[0] 重复：同一层只能有一条规则',
    ]);
  });

  it('refuses a misspelt field instead of ignoring it', () => {
    expect(messages(() => parseRule({ levels: [{ level: 1, mni: 3 }], rounds: 2 }))).toEqual([
      '字段 rounds 不认识（可用字段：levels、excludeRecentRounds）',
      '字段 levels[0].mni 不认识（可用字段：level、min、max、share、all）',
      '字段 levels[0] 至少要规定 min、max、share、all 之一',
    ]);
  });

  it('refuses min above max, a zero share, an empty rule and a non-object', () => {
    expect(messages(() => parseRule({ levels: [{ level: 1, min: 3, max: 2 }] }))).toEqual(['字段 levels[0].min（3）不能大于 max（2）']);
    expect(messages(() => parseRule({ levels: [{ level: 1, share: 0 }] }))[0]).toBe('字段 levels[0].share 必须是大于 0、不大于 1 的比例，例如 0.3');
    expect(messages(() => parseRule({ levels: [] }))).toEqual(['字段 levels 必须是非空数组，每项规定一层的抽取数量']);
    expect(messages(() => parseRule([1, 2]))[0]).toContain('抽样规则必须是 JSON 对象');
  });
});

describe('parseSamplingInput', () => {
  const orgs = [
    { id: 'dt', parentId: null, name: '大滩乡', kind: 'TOWNSHIP' },
    { id: 'v1', parentId: 'dt', name: '大滩村' },
  ];

  it('accepts the orgs.json snapshot, treating a missing parentId as none', () => {
    expect(
      parseSamplingInput({ scopeId: 'dt', orgs: [{ id: 'dt', name: '大滩乡' }, orgs[1]], units: [{ id: 'p1', orgId: 'v1', label: '张三' }], excluded: ['p9'] }),
    ).toEqual({
      scopeId: 'dt',
      orgs: [{ id: 'dt', parentId: null, name: '大滩乡' }, orgs[1]],
      units: [{ id: 'p1', orgId: 'v1', label: '张三' }],
      excluded: ['p9'],
    });
  });

  it('names the field of every problem', () => {
    expect(
      messages(() =>
        parseSamplingInput({
          scopeId: 'nowhere',
          orgs: [...orgs, { id: 'v1', parentId: 'dt', name: '重复村' }, { id: 'v2', parentId: 3, name: '' }],
          units: [{ id: 'p1', orgId: 'v1' }, { id: 'p1', orgId: 'v1' }, { id: 'p2', orgId: 'v9' }, 'p3'],
          excluded: 'p1',
        }),
      ),
    ).toEqual([
      '字段 orgs[2].id “v1”与 orgs[1] 重复',
      '字段 orgs[3].parentId 必须是非空字符串或 null',
      '字段 orgs[3].name 必须是非空字符串',
      '字段 scopeId “nowhere”不是 orgs 中的组织',
      '字段 units[1].id “p1”与 units[0] 重复：每个对象只能出现一次',
      '字段 units[2].orgId “v9”不是 orgs 中的组织',
      '字段 units[3] 必须是对象，含 id、orgId',
      '字段 excluded 必须是字符串数组（近几轮已抽查过的对象编号）',
    ]);
  });

  it('refuses a parent cycle, showing it', () => {
    const cyclic = [
      { id: 'a', parentId: 'c', name: '甲' },
      { id: 'b', parentId: 'a', name: '乙' },
      { id: 'c', parentId: 'b', name: '丙' },
    ];
    expect(messages(() => parseSamplingInput({ scopeId: 'a', orgs: cyclic, units: [] }))).toEqual(['字段 orgs[0].parentId 使上下级关系成环：a → c → b → a']);
  });

  it('refuses missing arrays and a non-object', () => {
    expect(messages(() => parseSamplingInput({ scopeId: 'dt' }))).toEqual(['字段 orgs 必须是组织数组', '字段 units 必须是抽查对象数组（支部或人员）']);
    expect(messages(() => parseSamplingInput(null))).toEqual(['抽样对象必须是 JSON 对象，含 scopeId、orgs、units']);
  });
});
