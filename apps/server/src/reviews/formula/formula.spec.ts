import {
  aggregate,
  Ballot,
  ballotPoints,
  checkInput,
  DEFAULT_SETTINGS,
  FORMULA_VERSION,
  FormulaInput,
  FormulaInputError,
  FormulaSettings,
  GradeKey,
  RaterGroupConfig,
  RubricItem,
  Subject,
  SubjectResult,
  topGradeCap,
  validateConfig,
} from './formula';

const ITEMS: RubricItem[] = [
  { key: 'duty', name: '履行党建责任', weight: 40, max: 10 },
  { key: 'org', name: '基层组织建设', weight: 30, max: 10 },
  { key: 'style', name: '作风建设', weight: 30, max: 10 },
];
const GROUPS: RaterGroupConfig[] = [
  { key: 'leaders', name: '上级党委班子成员', weight: 40, ballotKind: 'GRADE' },
  { key: 'members', name: '党员代表', weight: 30, ballotKind: 'GRADE' },
  { key: 'public', name: '群众代表', weight: 30, ballotKind: 'ITEMS' },
];

/** One rubric item scored 0..200 by one group: a ballot's points are its score ÷ 2, to reach any total to 0.005. */
const ONE_ITEM: RubricItem[] = [{ key: 'all', name: '综合', weight: 100, max: 200 }];
const ONE_GROUP: RaterGroupConfig[] = [{ key: 'public', name: '群众代表', weight: 100, ballotKind: 'ITEMS' }];

const subject = (subjectId: string, name: string, daily: number | null = null, topGradeBar?: string): Subject => ({
  subjectId,
  name,
  orgName: `${name}所在支部`,
  daily,
  ...(topGradeBar !== undefined && { topGradeBar }),
});
const graded = (subjectId: string, groupKey: string, ...grades: GradeKey[]): Ballot[] => grades.map((grade) => ({ subjectId, groupKey, grade }));
const scored = (subjectId: string, duty: number, org: number, style: number): Ballot => ({ subjectId, groupKey: 'public', items: { duty, org, style } });
const abstain = (subjectId: string, groupKey: string): Ballot => ({ subjectId, groupKey, abstain: true });

function input(subjects: Subject[], ballots: Ballot[], settings: Partial<FormulaSettings> = {}): FormulaInput {
  return { settings: { ...DEFAULT_SETTINGS, ...settings }, items: ITEMS, groups: GROUPS, subjects, ballots };
}

function oneItem(subjects: Subject[], ballots: { subjectId: string; score: number }[], settings: Partial<FormulaSettings> = {}): FormulaInput {
  return {
    settings: { ...DEFAULT_SETTINGS, ...settings },
    items: ONE_ITEM,
    groups: ONE_GROUP,
    subjects,
    ballots: ballots.map((b) => ({ subjectId: b.subjectId, groupKey: 'public', items: { all: b.score } })),
  };
}

function resultOf(data: FormulaInput, subjectId = 'a'): SubjectResult {
  const found = aggregate(data).results.find((r) => r.subjectId === subjectId);
  if (!found) throw new Error(`no result for ${subjectId}`);
  return found;
}
const group = (r: SubjectResult, key: string) => r.groups.find((g) => g.key === key)!;

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(FormulaInputError);
    return (err as FormulaInputError).problems;
  }
  throw new Error('expected a FormulaInputError');
}

describe('述职评议计分公式 第 1 版', () => {
  it('returns the version with the results', () => {
    expect(aggregate(input([], []))).toEqual({ version: FORMULA_VERSION, results: [] });
    expect(FORMULA_VERSION).toBe(1);
  });

  describe('一张选票的得分', () => {
    it('converts a grade with the grade points (好 100, 较好 80, 一般 60, 差 40 by default)', () => {
      const points = (grade: GradeKey, settings = DEFAULT_SETTINGS) => ballotPoints({ subjectId: 'a', groupKey: 'leaders', grade }, ITEMS, settings);
      expect([points('GOOD'), points('FAIRLY_GOOD'), points('AVERAGE'), points('POOR')]).toEqual([100, 80, 60, 40]);
      const custom = { ...DEFAULT_SETTINGS, gradePoints: { GOOD: 95, FAIRLY_GOOD: 85, AVERAGE: 70, POOR: 50 } };
      expect(points('AVERAGE', custom)).toBe(70);
    });

    it('adds score ÷ max × weight over the rubric items', () => {
      // 9/10×40 + 8/10×30 + 7/10×30 = 36 + 24 + 21
      expect(ballotPoints(scored('a', 9, 8, 7), ITEMS, DEFAULT_SETTINGS)).toBe(81);
      // 8.5/10×40 = 34
      expect(ballotPoints(scored('a', 8.5, 8, 7), ITEMS, DEFAULT_SETTINGS)).toBe(79);
      expect(ballotPoints(scored('a', 10, 10, 10), ITEMS, DEFAULT_SETTINGS)).toBe(100);
      expect(ballotPoints(scored('a', 0, 0, 0), ITEMS, DEFAULT_SETTINGS)).toBe(0);
    });

    it('refuses an abstention, a missing or an out-of-range item score', () => {
      expect(problemsOf(() => ballotPoints(abstain('a', 'leaders'), ITEMS, DEFAULT_SETTINGS))).toEqual(['弃权票没有得分']);
      expect(problemsOf(() => ballotPoints({ subjectId: 'a', groupKey: 'public', items: { duty: 11, org: 8 } }, ITEMS, DEFAULT_SETTINGS))).toEqual([
        '选票的“履行党建责任”得分应在 0 到 10 之间，现为 11',
        '选票缺少“作风建设”一项的得分',
      ]);
    });
  });

  describe('各评分组的平均分', () => {
    it('drops one highest and one lowest ballot from 5 valid ballots on (the default)', () => {
      // 100, 100, 80, 60, 40 → drop one 100 and the 40 → (100 + 80 + 60) ÷ 3 = 80
      const r = resultOf(input([subject('a', '张三')], graded('a', 'leaders', 'GOOD', 'GOOD', 'FAIRLY_GOOD', 'AVERAGE', 'POOR')));
      expect(group(r, 'leaders')).toMatchObject({ valid: 5, trimmed: true, mean: 80, shown: true });
      expect(r.total).toBe(80);
    });

    it('takes the plain mean below 5 valid ballots', () => {
      // (100 + 100 + 80 + 60) ÷ 4 = 85
      const r = resultOf(input([subject('a', '张三')], graded('a', 'leaders', 'GOOD', 'GOOD', 'FAIRLY_GOOD', 'AVERAGE')));
      expect(group(r, 'leaders')).toMatchObject({ valid: 4, trimmed: false, mean: 85 });
    });

    it('follows a configured trimAtLeast of 3 exactly', () => {
      const three = resultOf(input([subject('a', '张三')], graded('a', 'leaders', 'GOOD', 'FAIRLY_GOOD', 'POOR'), { trimAtLeast: 3 }));
      expect(group(three, 'leaders')).toMatchObject({ valid: 3, trimmed: true, mean: 80 });
      const two = resultOf(input([subject('a', '张三')], graded('a', 'leaders', 'GOOD', 'POOR'), { trimAtLeast: 3, minBallotsToShow: 1 }));
      expect(group(two, 'leaders')).toMatchObject({ valid: 2, trimmed: false, mean: 70 });
    });

    it('leaves abstentions out of the mean and counts them apart', () => {
      // 3 × 好 and 2 abstentions: 3 valid ballots, not trimmed, mean 100 (as zeros the mean would be 60)
      const ballots = [...graded('a', 'leaders', 'GOOD', 'GOOD', 'GOOD'), abstain('a', 'leaders'), abstain('a', 'leaders')];
      const r = resultOf(input([subject('a', '张三')], ballots));
      expect(group(r, 'leaders')).toMatchObject({ valid: 3, abstentions: 2, trimmed: false, mean: 100 });
      expect(r.total).toBe(100);
    });

    it('hides the mean of a group with fewer than 3 valid ballots but counts it in the total', () => {
      // 群众代表: two ballots of 81 and 79 → 80, hidden; the only group with ballots, so the ballot part is 80
      const r = resultOf(input([subject('a', '张三')], [scored('a', 9, 8, 7), scored('a', 7, 8, 9)]));
      expect(group(r, 'public')).toMatchObject({ valid: 2, shown: false, mean: null });
      expect(group(r, 'public').items.map((i) => i.mean)).toEqual([null, null, null]);
      expect(r.items.map((i) => i.mean)).toEqual([null, null, null]);
      expect(r.ballotPart).toBe(80);
      expect(r.total).toBe(80);
    });

    it('gives the per-item means of ITEMS ballots (plain means, not trimmed)', () => {
      // ballots 81, 79, 80 → 80; 履行党建责任 (9 + 7 + 8) ÷ 3 = 8, 作风建设 (7 + 9 + 8.5) ÷ 3 = 8.17
      const r = resultOf(input([subject('a', '张三')], [scored('a', 9, 8, 7), scored('a', 7, 8, 9), scored('a', 8, 8, 8.5)]));
      expect(group(r, 'public')).toMatchObject({ valid: 3, shown: true, mean: 80.5 });
      expect(group(r, 'public').items).toEqual([
        { key: 'duty', name: '履行党建责任', mean: 8 },
        { key: 'org', name: '基层组织建设', mean: 8 },
        { key: 'style', name: '作风建设', mean: 8.17 },
      ]);
      expect(r.items).toEqual(group(r, 'public').items);
      expect(group(r, 'leaders').items).toEqual([]);
    });
  });

  describe('选票部分：评分组加权', () => {
    it('weights the group means 40 / 30 / 30', () => {
      // 班子 100, 党员 80, 群众 (81 + 79 + 80) ÷ 3 = 80 → 0.4 × 100 + 0.3 × 80 + 0.3 × 80 = 88
      const ballots = [
        ...graded('a', 'leaders', 'GOOD', 'GOOD', 'GOOD'),
        ...graded('a', 'members', 'FAIRLY_GOOD', 'FAIRLY_GOOD', 'FAIRLY_GOOD'),
        scored('a', 9, 8, 7),
        scored('a', 7, 8, 9),
        scored('a', 8, 8, 8),
      ];
      const r = resultOf(input([subject('a', '张三')], ballots));
      expect(r.groups.map((g) => g.mean)).toEqual([100, 80, 80]);
      expect(r.missingGroups).toEqual([]);
      expect(r.ballotPart).toBe(88);
    });

    it('spreads the weight of a group without ballots over the others', () => {
      // 群众代表 cast nothing: (40 × 100 + 30 × 80) ÷ 70 = 91.428… → 91.43
      const ballots = [...graded('a', 'leaders', 'GOOD', 'GOOD', 'GOOD'), ...graded('a', 'members', 'FAIRLY_GOOD', 'FAIRLY_GOOD', 'FAIRLY_GOOD')];
      const r = resultOf(input([subject('a', '张三')], ballots));
      expect(r.missingGroups).toEqual(['public']);
      expect(group(r, 'public')).toMatchObject({ valid: 0, mean: null, shown: false });
      expect(r.ballotPart).toBe(91.43);
      expect(r.grade).toBe('GOOD');
    });

    it('never counts missing ballots as zero', () => {
      // one 好 from 班子成员, nothing from the other groups: 100, not 40
      const r = resultOf(input([subject('a', '张三')], graded('a', 'leaders', 'GOOD')));
      expect(r.ballotPart).toBe(100);
      expect(r.total).toBe(100);
      expect(r.missingGroups).toEqual(['members', 'public']);
    });

    it('gives no total and no grade without valid ballots (abstentions only)', () => {
      const r = resultOf(input([subject('a', '张三', 95)], [abstain('a', 'leaders')]));
      expect(r).toMatchObject({ ballotPart: null, total: null, grade: null, rank: null, dailyCounted: false, daily: 95 });
      expect(group(r, 'leaders').abstentions).toBe(1);
    });
  });

  it('gives the README example: 86.67 and 93.33, 群众代表 without ballots, 日常考核 90 → 89.67 较好', () => {
    const ballots = [
      ...graded('a', 'leaders', 'GOOD', 'GOOD', 'FAIRLY_GOOD', 'FAIRLY_GOOD', 'AVERAGE'),
      ...graded('a', 'members', 'GOOD', 'GOOD', 'GOOD', 'FAIRLY_GOOD', 'POOR'),
      abstain('a', 'members'),
    ];
    const r = resultOf(input([subject('a', '张三', 90)], ballots));
    expect(r.groups.map((g) => [g.name, g.valid, g.abstentions, g.trimmed, g.mean])).toEqual([
      ['上级党委班子成员', 5, 0, true, 86.67],
      ['党员代表', 5, 1, true, 93.33],
      ['群众代表', 0, 0, false, null],
    ]);
    expect(r).toMatchObject({ missingGroups: ['public'], ballotPart: 89.52, total: 89.67, grade: 'FAIRLY_GOOD', rank: 1 });
  });

  describe('日常考核', () => {
    const ballots = graded('a', 'leaders', 'FAIRLY_GOOD', 'FAIRLY_GOOD', 'FAIRLY_GOOD');

    it('takes 30 % of the total from 日常考核 by default', () => {
      // 80 × 0.7 + 90 × 0.3 = 56 + 27 = 83
      const r = resultOf(input([subject('a', '张三', 90)], ballots));
      expect(r).toMatchObject({ ballotPart: 80, daily: 90, dailyCounted: true, total: 83, grade: 'FAIRLY_GOOD' });
    });

    it('follows a configured daily weight', () => {
      expect(resultOf(input([subject('a', '张三', 90)], ballots, { dailyWeight: 50 })).total).toBe(85);
      expect(resultOf(input([subject('a', '张三', 90)], ballots, { dailyWeight: 0 })).total).toBe(80);
      expect(resultOf(input([subject('a', '张三', 90)], ballots, { dailyWeight: 100 })).total).toBe(90);
    });

    it('uses the ballots alone when there is no 日常考核 record', () => {
      const r = resultOf(input([subject('a', '张三', null)], ballots));
      expect(r).toMatchObject({ ballotPart: 80, daily: null, dailyCounted: false, total: 80 });
    });
  });

  describe('四舍五入与等次', () => {
    const at = (score: number, daily: number | null = null) => resultOf(oneItem([subject('a', '张三', daily)], [{ subjectId: 'a', score }]));

    it('rounds the exact total half up to 2 decimals and grades the rounded total', () => {
      expect(at(179.99)).toMatchObject({ total: 90, grade: 'GOOD' }); // 89.995 → 90.00
      expect(at(179.98)).toMatchObject({ total: 89.99, grade: 'FAIRLY_GOOD' }); // 89.99
      expect(at(179.989)).toMatchObject({ total: 89.99, grade: 'FAIRLY_GOOD' }); // 89.9945 → 89.99
      expect(at(2.01).total).toBe(1.01); // 1.005 → 1.01 (binary floating point gives 1.00)
    });

    it('rounds the same whatever order the ballots are added in', () => {
      // 60.26 + 67.8 + 90.175 = 218.235, ÷ 3 = 72.745 → 72.75; in binary floating point 67.8 + 90.175 + 60.26 is
      // 218.23499999999999, so the total would be 72.74 or 72.75 depending on who voted first
      const scores = [120.52, 135.6, 180.35];
      const orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
      ].map((order) => order.map((i) => scores[i]));
      for (const order of orders) {
        const r = resultOf(
          oneItem(
            [subject('a', '张三')],
            order.map((score) => ({ subjectId: 'a', score })),
          ),
        );
        expect(r.total).toBe(72.75);
      }
    });

    it('puts each boundary in the higher grade', () => {
      expect(at(200).grade).toBe('GOOD');
      expect(at(160)).toMatchObject({ total: 80, grade: 'FAIRLY_GOOD' });
      expect(at(159.98)).toMatchObject({ total: 79.99, grade: 'AVERAGE' });
      expect(at(120)).toMatchObject({ total: 60, grade: 'AVERAGE' });
      expect(at(119.98)).toMatchObject({ total: 59.99, grade: 'POOR' });
      expect(at(0)).toMatchObject({ total: 0, grade: 'POOR' });
    });

    it('rounds only the total, not the steps before it', () => {
      // ballot part 89.99, 日常考核 90: 89.99 × 0.7 + 90 × 0.3 = 62.993 + 27 = 89.993 → 89.99
      expect(at(179.98, 90)).toMatchObject({ ballotPart: 89.99, total: 89.99, grade: 'FAIRLY_GOOD' });
      // ballot part 89.995 (shown 90.00), 日常考核 89.99: 62.9965 + 26.997 = 89.9935 → 89.99, not 89.997 → 90.00
      expect(at(179.99, 89.99)).toMatchObject({ ballotPart: 90, total: 89.99, grade: 'FAIRLY_GOOD' });
    });

    it('follows configured thresholds', () => {
      const thresholds = [
        { grade: 'GOOD' as const, min: 95 },
        { grade: 'FAIRLY_GOOD' as const, min: 85 },
        { grade: 'AVERAGE' as const, min: 70 },
      ];
      const r = (score: number) => resultOf(oneItem([subject('a', '张三')], [{ subjectId: 'a', score }], { thresholds })).grade;
      expect([r(190), r(189.98), r(170), r(140), r(139.98)]).toEqual(['GOOD', 'FAIRLY_GOOD', 'FAIRLY_GOOD', 'AVERAGE', 'POOR']);
    });
  });

  describe('不得评为“好”（诫勉、组织调整）', () => {
    it('lowers 好 to 较好 and says why', () => {
      const r = resultOf(input([subject('a', '张三', null, '2026年受到诫勉')], graded('a', 'leaders', 'GOOD', 'GOOD', 'GOOD')));
      expect(r).toMatchObject({ total: 100, grade: 'FAIRLY_GOOD', cappedFrom: 'GOOD', capReason: '2026年受到诫勉' });
    });

    it('leaves a lower grade as it is', () => {
      const r = resultOf(input([subject('a', '张三', null, '2026年组织调整')], graded('a', 'leaders', 'FAIRLY_GOOD')));
      expect(r).toMatchObject({ total: 80, grade: 'FAIRLY_GOOD', cappedFrom: null, capReason: null });
    });

    it('ignores an empty reason', () => {
      const r = resultOf(input([subject('a', '张三', null, '  ')], graded('a', 'leaders', 'GOOD')));
      expect(r).toMatchObject({ grade: 'GOOD', cappedFrom: null });
    });

    it('keeps the rank by total: the cap changes the grade only', () => {
      const results = aggregate(
        input(
          [subject('a', '张三', null, '2026年受到诫勉'), subject('b', '李四')],
          [...graded('a', 'leaders', 'GOOD'), ...graded('b', 'leaders', 'FAIRLY_GOOD')],
        ),
      ).results;
      expect(results.map((r) => [r.name, r.rank, r.grade])).toEqual([
        ['张三', 1, 'FAIRLY_GOOD'],
        ['李四', 2, 'FAIRLY_GOOD'],
      ]);
    });
  });

  describe('名次', () => {
    it('ranks by total with competition ranking (1, 2, 2, 4), unranked last, ties by name', () => {
      const subjects = [subject('d', '孙六'), subject('e', '周七'), subject('c', '王五'), subject('b', '李四'), subject('a', '赵一')];
      const ballots = [
        ...graded('a', 'leaders', 'GOOD'),
        ...graded('b', 'leaders', 'FAIRLY_GOOD'),
        ...graded('c', 'leaders', 'FAIRLY_GOOD'),
        ...graded('d', 'leaders', 'AVERAGE'),
      ];
      const results = aggregate(input(subjects, ballots)).results;
      expect(results.map((r) => [r.name, r.total, r.rank, r.tiedWith])).toEqual([
        ['赵一', 100, 1, []],
        ['李四', 80, 2, ['c']],
        ['王五', 80, 2, ['b']],
        ['孙六', 60, 4, []],
        ['周七', null, null, []],
      ]);
    });

    it('ties on the rounded total', () => {
      // 89.994 and 89.991 are both 89.99
      const results = aggregate(
        oneItem(
          [subject('a', '张三'), subject('b', '李四')],
          [
            { subjectId: 'a', score: 179.988 },
            { subjectId: 'b', score: 179.982 },
          ],
        ),
      ).results;
      expect(results.map((r) => [r.name, r.total, r.rank, r.tiedWith])).toEqual([
        ['李四', 89.99, 1, ['a']],
        ['张三', 89.99, 1, ['b']],
      ]);
    });
  });

  describe('无法计算的输入', () => {
    it('names each wrong ballot in plain words, all at once', () => {
      const ballots: Ballot[] = [
        { subjectId: 'a', groupKey: 'party', grade: 'GOOD' },
        { subjectId: 'x', groupKey: 'leaders', grade: 'GOOD' },
        { subjectId: 'a', groupKey: 'public', grade: 'GOOD' },
        { subjectId: 'a', groupKey: 'public', items: { duty: 11, org: 8, style: 7, extra: 1 } },
        { subjectId: 'a', groupKey: 'public', items: { duty: 9, org: 8 } },
        { subjectId: 'a', groupKey: 'leaders' },
        { subjectId: 'a', groupKey: 'leaders', grade: 'EXCELLENT' as GradeKey },
        { subjectId: 'a', groupKey: 'leaders', abstain: true, grade: 'GOOD' },
      ];
      expect(problemsOf(() => aggregate(input([subject('a', '张三')], ballots)))).toEqual([
        '第 1 张选票的“评分组”（party）未在评分组中定义',
        '第 2 张选票的“评议对象”（x）不在评议对象名单中',
        '第 3 张选票不应评定等次（评分组“群众代表”逐项打分）',
        '第 3 张选票缺少各项得分（评分组“群众代表”逐项打分）',
        '第 4 张选票的“履行党建责任”得分应在 0 到 10 之间，现为 11',
        '第 4 张选票有评分细则中没有的项（extra）',
        '第 5 张选票缺少“作风建设”一项的得分',
        '第 6 张选票缺少等次（评分组“上级党委班子成员”评定等次）',
        '第 7 张选票的等次应为好、较好、一般或差，现为 “EXCELLENT”',
        '第 8 张选票是弃权票，却带有等次或得分',
      ]);
    });

    it('refuses wrong subjects', () => {
      const subjects = [subject('a', '张三', 120), subject('a', '李四'), { subjectId: 'b', name: '', daily: null }];
      expect(problemsOf(() => aggregate(input(subjects, [])))).toEqual([
        '第 1 位评议对象（张三）的“日常考核”应为 0 到 100 之间的数，没有记录时为空，现为 120',
        '第 2 位评议对象（李四）的编号（a）与第 1 位重复',
        '第 3 位评议对象缺少姓名',
      ]);
    });

    it('refuses a configuration validateConfig rejects', () => {
      const data = { ...input([], []), groups: GROUPS.map((g) => (g.key === 'public' ? { ...g, weight: 20 } : g)) };
      expect(problemsOf(() => aggregate(data))).toEqual(['评分组权重之和应为 100，现为 90']);
      expect(checkInput(data)).toEqual(['评分组权重之和应为 100，现为 90']);
      expect(() => aggregate(data)).toThrow('评分组权重之和应为 100，现为 90');
    });
  });

  describe('topGradeCap：每位评议人可评“好”的人数', () => {
    it('is 20 % of the people scored, rounded down', () => {
      expect(topGradeCap(10, 20)).toBe(2);
      expect(topGradeCap(24, 20)).toBe(4);
      expect(topGradeCap(25, 20)).toBe(5);
      expect(topGradeCap(7, 30)).toBe(2);
    });

    it('is at least 1 when there is anyone to score, so a rater of fewer than 5 can still give 好', () => {
      expect(topGradeCap(4, 20)).toBe(1);
      expect(topGradeCap(1, 20)).toBe(1);
      expect(topGradeCap(0, 20)).toBe(0);
    });

    it('refuses nonsense', () => {
      expect(() => topGradeCap(-1, 20)).toThrow(FormulaInputError);
      expect(() => topGradeCap(10, 120)).toThrow('“好”等次比例上限应为 0 到 100 之间的数，现为 120');
    });
  });

  describe('validateConfig', () => {
    it('accepts the defaults and the seed schemes', () => {
      expect(validateConfig(ITEMS, GROUPS, DEFAULT_SETTINGS)).toEqual([]);
      const scheme: RaterGroupConfig[] = [
        { key: 'lead', name: '分管领导', weight: 20, ballotKind: 'GRADE' },
        { key: 'staff', name: '干部职工', weight: 40, ballotKind: 'GRADE' },
        { key: 'team', name: '考核组', weight: 40, ballotKind: 'GRADE' },
      ];
      expect(validateConfig([], scheme, DEFAULT_SETTINGS)).toEqual([]);
      const decimals: RaterGroupConfig[] = [
        { key: 'a', name: '甲', weight: 33.3, ballotKind: 'GRADE' },
        { key: 'b', name: '乙', weight: 33.3, ballotKind: 'GRADE' },
        { key: 'c', name: '丙', weight: 33.4, ballotKind: 'GRADE' },
      ];
      expect(validateConfig([], decimals, DEFAULT_SETTINGS)).toEqual([]);
    });

    it('names every problem in plain words', () => {
      const items: RubricItem[] = [
        { key: 'duty', name: '履行党建责任', weight: 40, max: 0 },
        { key: 'duty', name: '基层组织建设', weight: 50, max: 10 },
      ];
      const groups: RaterGroupConfig[] = [
        { key: 'leaders', name: '上级党委班子成员', weight: 40, ballotKind: 'ITEMS' },
        { key: 'leaders', name: '党员代表', weight: 50, ballotKind: 'VOTE' as 'GRADE' },
      ];
      const settings: FormulaSettings = {
        trimAtLeast: 2,
        minBallotsToShow: 0,
        gradePoints: { GOOD: 120, FAIRLY_GOOD: 80, AVERAGE: 85, POOR: 40 },
        thresholds: [
          { grade: 'FAIRLY_GOOD', min: 80 },
          { grade: 'GOOD', min: 90 },
          { grade: 'AVERAGE', min: 160 },
        ],
        dailyWeight: 120,
        topGradeCapPercent: -5,
      };
      expect(validateConfig(items, groups, settings)).toEqual([
        '评分细则“履行党建责任”的满分应大于 0，现为 0',
        '评分细则“基层组织建设”的代码（duty）与第 1 个评分细则重复',
        '评分细则权重之和应为 100，现为 90',
        '评分组“党员代表”的代码（leaders）与第 1 个评分组重复',
        '评分组“党员代表”的计票方式应为“逐项打分”或“评定等次”，现为 “VOTE”',
        '评分组权重之和应为 100，现为 90',
        '去掉最高分和最低分所需的最少有效票数应为不小于 3 的整数，现为 2',
        '显示某组平均分所需的最少有效票数应为不小于 1 的整数，现为 0',
        '日常考核所占比例应为 0 到 100 之间的数，现为 120',
        '“好”等次比例上限应为 0 到 100 之间的数，现为 -5',
        '等次“好”的折算分应为 0 到 100 之间的数，现为 120',
        '等次“一般”的折算分（85）不应高于“较好”（80）',
        '分数线应按等次从高到低、分数从高到低排列：“好”（90）排在了“较好”（80）之后',
        '“一般”的分数线应为 0 到 100 之间的数，现为 160',
        '分数线应按等次从高到低、分数从高到低排列：“一般”（160）排在了“好”（90）之后',
      ]);
    });

    it('asks for a rubric only when a group scores item by item', () => {
      expect(validateConfig([], GROUPS, DEFAULT_SETTINGS)).toEqual(['有评分组逐项打分，但没有评分细则']);
      expect(validateConfig([], [], DEFAULT_SETTINGS)).toEqual(['至少要有一个评分组']);
    });
  });
});
