import { DEFAULT_SETTINGS } from '../../reviews/formula/formula';
import { DEFAULT_DAILY_WEIGHTS, DEFAULT_GROUPS, DEFAULT_RUBRIC } from '../../reviews/rubric';
import {
  ballotFromBody,
  formFromSettings,
  linesFromDraft,
  placeReviewErrors,
  placeSheetProblems,
  reviewFormFromBody,
  reviewFormToDto,
  type ReviewForm,
} from './reviews-form';

const BRANCH_A = '0b7e4c1e-2f0a-4d6b-8c9e-3a5b7d9f1e22';
const BRANCH_B = '1c8f5d2f-3a1b-4e7c-9d0f-4b6c8e0a2f33';
const RATER_1 = '6f1c2a52-8a43-4c3e-9a55-1d2f0f3b7c11';
const RATER_2 = '7a2d3b63-9b54-4d4f-8b66-2e3a1a4c8d22';
const S1 = '8b3e4c74-0c65-4e5a-9c77-3f4b2b5d9e33';
const S2 = '9c4f5d85-1d76-4f6b-8d88-4a5c3c6e0f44';

const defaults = { items: DEFAULT_RUBRIC, groups: DEFAULT_GROUPS, settings: DEFAULT_SETTINGS, dailyWeights: DEFAULT_DAILY_WEIGHTS };
const blank = () =>
  formFromSettings(defaults, {
    title: '2026年度村（社区）党组织书记抓基层党建工作述职评议考核',
    year: 2026,
    reportWorkdays: 10,
    scoringWorkdays: 5,
    subjectOrgIds: [BRANCH_A, BRANCH_B],
    raters: { [RATER_1]: 'committee', [RATER_2]: 'members' },
  });

/** What the browser posts for a form: one value per row in parallel lists, a single value as a plain string. */
function bodyOf(f: ReviewForm, over: Record<string, unknown> = {}): Record<string, unknown> {
  const one = (xs: string[]) => (xs.length === 1 ? xs[0] : xs);
  return {
    _csrf: 'x',
    title: f.title,
    year: f.year,
    reportWorkdays: f.reportWorkdays,
    scoringWorkdays: f.scoringWorkdays,
    subjectOrgIds: one(f.subjectOrgIds),
    groupKey: one(f.groups.map((g) => g.key)),
    groupName: one(f.groups.map((g) => g.name)),
    groupWeight: one(f.groups.map((g) => g.weight)),
    groupKind: one(f.groups.map((g) => g.ballotKind)),
    ...Object.fromEntries(Object.entries(f.raters).map(([p, g]) => [`rater.${p}`, g])),
    itemKey: one(f.items.map((i) => i.key)),
    itemName: one(f.items.map((i) => i.name)),
    itemWeight: one(f.items.map((i) => i.weight)),
    itemMax: one(f.items.map((i) => i.max)),
    itemMeasure: one(f.items.map((i) => i.measure)),
    itemGood: one(f.items.map((i) => i.anchors.GOOD)),
    itemFairlyGood: one(f.items.map((i) => i.anchors.FAIRLY_GOOD)),
    itemAverage: one(f.items.map((i) => i.anchors.AVERAGE)),
    itemPoor: one(f.items.map((i) => i.anchors.POOR)),
    trimAtLeast: f.settings.trimAtLeast,
    minBallotsToShow: f.settings.minBallotsToShow,
    'points.GOOD': f.settings.gradePoints.GOOD,
    'points.FAIRLY_GOOD': f.settings.gradePoints.FAIRLY_GOOD,
    'points.AVERAGE': f.settings.gradePoints.AVERAGE,
    'points.POOR': f.settings.gradePoints.POOR,
    'threshold.GOOD': f.settings.thresholds.GOOD,
    'threshold.FAIRLY_GOOD': f.settings.thresholds.FAIRLY_GOOD,
    'threshold.AVERAGE': f.settings.thresholds.AVERAGE,
    dailyWeight: f.settings.dailyWeight,
    topGradeCapPercent: f.settings.topGradeCapPercent,
    'daily.filingsOnTime': f.dailyWeights.filingsOnTime,
    'daily.spotCheckPassRate': f.dailyWeights.spotCheckPassRate,
    'daily.rectificationsClosed': f.dailyWeights.rectificationsClosed,
    ...over,
  };
}

/** No field path, key or English word a person would not understand. */
const plain = (m: string) => expect(m).not.toMatch(/[A-Za-z]{3,}|\[\d+\]|NaN/);

describe('述职评议 round form', () => {
  it('posts the defaults back as the round the API takes: rows, raters, settings and the 日常考核 weights as numbers', () => {
    const form = reviewFormFromBody(bodyOf(blank(), { 'rater.abc': '' }));
    const { dto, errors } = reviewFormToDto(form);
    expect(errors).toEqual([]);
    expect(dto).toMatchObject({
      title: '2026年度村（社区）党组织书记抓基层党建工作述职评议考核',
      year: 2026,
      reportWorkdays: 10,
      scoringWorkdays: 5,
      subjects: [{ orgId: BRANCH_A }, { orgId: BRANCH_B }],
      raters: [
        { groupKey: 'committee', personId: RATER_1 },
        { groupKey: 'members', personId: RATER_2 },
      ],
      groups: DEFAULT_GROUPS.map((g) => ({ ...g })),
      settings: {
        trimAtLeast: 5,
        minBallotsToShow: 3,
        gradePoints: { GOOD: 100, FAIRLY_GOOD: 80, AVERAGE: 60, POOR: 40 },
        thresholds: [
          { grade: 'GOOD', min: 90 },
          { grade: 'FAIRLY_GOOD', min: 80 },
          { grade: 'AVERAGE', min: 60 },
        ],
        dailyWeight: 30,
        topGradeCapPercent: 20,
      },
      dailyWeights: { filingsOnTime: 40, spotCheckPassRate: 30, rectificationsClosed: 30 },
    });
    expect(dto.items).toEqual(DEFAULT_RUBRIC.map((i) => ({ ...i, anchors: { ...i.anchors } })));
  });

  it('drops rows left empty, gives new rows a key of their own, and keeps a 不参加 out of the roster', () => {
    const f = blank();
    const body = bodyOf(f, {
      groupKey: ['committee', 'members', 'public', '', ''],
      groupName: ['乡党委班子成员', '党员代表', '群众代表', '', '两代表一委员'],
      groupWeight: ['40', '20', '30', '', '10'],
      groupKind: ['ITEMS', 'GRADE', 'GRADE', 'GRADE', 'GRADE'],
      itemKey: [...f.items.map((i) => i.key), ''],
      itemName: [...f.items.map((i) => i.name), ''],
      itemWeight: [...f.items.map((i) => i.weight), ''],
      itemMax: [...f.items.map((i) => i.max), ''],
      itemMeasure: [...f.items.map((i) => i.measure), ''],
      itemGood: [...f.items.map((i) => i.anchors.GOOD), ''],
      itemFairlyGood: [...f.items.map((i) => i.anchors.FAIRLY_GOOD), ''],
      itemAverage: [...f.items.map((i) => i.anchors.AVERAGE), ''],
      itemPoor: [...f.items.map((i) => i.anchors.POOR), ''],
      [`rater.${RATER_2}`]: '',
    });
    const form = reviewFormFromBody(body);
    expect(form.groups.map((g) => g.name)).toEqual(['乡党委班子成员', '党员代表', '群众代表', '两代表一委员']);
    expect(form.items).toHaveLength(5);
    const { dto, errors } = reviewFormToDto(form);
    expect(errors).toEqual([]);
    expect((dto.groups as { key: string }[]).map((g) => g.key)).toEqual(['committee', 'members', 'public', 'group1']);
    expect(dto.raters).toEqual([{ groupKey: 'committee', personId: RATER_1 }]);
  });

  it('names every problem at once, in words, next to its field or row', () => {
    const f = blank();
    const body = bodyOf(f, {
      title: '',
      year: '二〇二六',
      subjectOrgIds: undefined,
      groupWeight: ['40', '三十', '20'],
      itemMax: ['20', '20', '', '20', '20'],
      itemPoor: ['', ...f.items.slice(1).map((i) => i.anchors.POOR)],
      'threshold.GOOD': '九十',
      'daily.filingsOnTime': '50',
    });
    const form = reviewFormFromBody(body);
    const { errors } = reviewFormToDto(form);
    const shown = placeReviewErrors(form, errors, '');
    expect(shown.title).toBe('名称不能为空');
    expect(shown.year).toBe('考核年度必须是四位年份');
    expect(shown.subjects).toBe('至少选择一名被考核的书记');
    expect(form.groups[1].error).toBe('评分组“党员代表”的权重必须是数字');
    expect(form.items[2].error).toBe('请填写考核项目“党建引领发展（产业、脱贫攻坚）”的满分');
    expect(shown.items).toBe('考核项目“履行第一责任人职责”缺少“差”一档的评分说明');
    expect(shown.settings).toBe('“好”的分数线必须是数字');
    expect(shown.dailyWeights).toBe('日常考核各项权重之和应为 100，现为 110');
    expect(shown._).toBe(`有 ${errors.length} 处需要修改，请看各项下方的红字。`);
    for (const m of [...Object.values(shown), ...form.groups.map((g) => g.error ?? ''), ...form.items.map((i) => i.error ?? '')]) plain(m);
  });

  it('puts the sums the service files under the settings on the groups and the items they are about', () => {
    const f = blank();
    const form = reviewFormFromBody(bodyOf(f, { groupWeight: ['40', '30', '20'], itemWeight: ['20', '20', '20', '20', '10'] }));
    const { errors } = reviewFormToDto(form);
    const shown = placeReviewErrors(form, errors, '');
    expect(shown.groups).toBe('评分组权重之和应为 100，现为 90');
    expect(shown.items).toBe('评分细则权重之和应为 100，现为 90');
    expect(shown.settings).toBeUndefined();
  });

  it('shows the roster problems the service finds (who is no 评议人, who is in two groups) under 评分人 and 被考核对象', () => {
    const form = reviewFormFromBody(bodyOf(blank()));
    const shown = placeReviewErrors(
      form,
      [
        { field: 'raters', message: '“周委员”被列入了两个评分组：一人只能在一个评分组评分' },
        { field: 'raters', message: '评分组“群众代表”还没有评分人' },
        { field: 'subjects', message: '“评议1村支部”没有在任的支部书记，请指定被考核人' },
      ],
      '考核对象或评分人名单有误',
    );
    expect(shown.raters).toBe('“周委员”被列入了两个评分组：一人只能在一个评分组评分；评分组“群众代表”还没有评分人');
    expect(shown.subjects).toContain('没有在任的支部书记');
    expect(placeReviewErrors(form, [], '述职评议已开始，不能再修改设置和名单')._).toBe('述职评议已开始，不能再修改设置和名单');
  });
});

describe('the rater’s sheet', () => {
  const subjects = [
    { id: S1, name: '赵一' },
    { id: S2, name: '钱二' },
  ];
  const gradeSheet = { ballotKind: 'GRADE' as const, subjects, items: [] };
  const itemSheet = {
    ballotKind: 'ITEMS' as const,
    subjects,
    items: [
      { key: 'duty', name: '履行第一责任人职责', max: 20 },
      { key: 'team', name: '党员队伍和人才建设', max: 20 },
    ],
  };

  it('reads grades and abstentions, one entry per secretary (an empty one for a line not filled in)', () => {
    const { entries, problems, lines } = ballotFromBody(
      { _csrf: 'x', [`grade.${S1}`]: 'GOOD', [`abstain.${S2}`]: '1', [`reason.${S2}`]: ' 不了解情况 ' },
      gradeSheet,
    );
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      { subjectId: S1, grade: 'GOOD' },
      { subjectId: S2, abstain: true, reason: '不了解情况' },
    ]);
    expect(lines[S2]).toEqual({ grade: '', items: {}, abstain: true, reason: '不了解情况' });
    expect(ballotFromBody({}, gradeSheet).entries).toEqual([{ subjectId: S1 }, { subjectId: S2 }]);
  });

  it('reads item scores as numbers, leaves blanks out, and refuses what is not a score without sending it', () => {
    const { entries, problems, lines } = ballotFromBody(
      { [`score.${S1}.duty`]: '18.5', [`score.${S1}.team`]: '', [`score.${S2}.duty`]: '十八', [`score.${S2}.team`]: '20', [`grade.${S1}`]: 'GOOD' },
      itemSheet,
    );
    expect(entries).toEqual([
      { subjectId: S1, items: { duty: 18.5 } },
      { subjectId: S2, items: { team: 20 } },
    ]);
    expect(problems).toEqual([{ subjectIds: [S2], message: '钱二的“履行第一责任人职责”得分必须是 0 到 20 之间的数' }]);
    // What was typed comes back as it was.
    expect(lines[S2].items).toEqual({ duty: '十八', team: '20' });
  });

  it('says in words what the ballot checks refuse (an unknown grade, a reason too long)', () => {
    const { problems } = ballotFromBody({ [`grade.${S1}`]: 'EXCELLENT', [`abstain.${S2}`]: 'on', [`reason.${S2}`]: '长'.repeat(201) }, gradeSheet);
    expect(problems.map((p) => p.message)).toEqual(['对赵一的等次只能是好、较好、一般或差', '钱二：弃权理由不能超过 200 个字符']);
    expect(problems.map((p) => p.subjectIds)).toEqual([[S1], [S2]]);
  });

  it('fills the sheet from a kept draft, and puts the service’s problems on the cards they name', () => {
    const lines = linesFromDraft({ [S1]: { items: { duty: 18 } }, [S2]: { abstain: true, reason: '回避' } }, itemSheet);
    expect(lines[S1]).toEqual({ grade: '', items: { duty: '18', team: '' }, abstain: false, reason: '' });
    expect(lines[S2]).toEqual({ grade: '', items: { duty: '', team: '' }, abstain: true, reason: '回避' });
    expect(
      placeSheetProblems(['请为赵一的“党员队伍和人才建设”打分', '还有 2 人未评分：赵一、钱二（不评的请选择弃权并写明理由）', '评分期已结束'], subjects),
    ).toEqual([
      { subjectIds: [S1], message: '请为赵一的“党员队伍和人才建设”打分' },
      { subjectIds: [S1, S2], message: '还有 2 人未评分：赵一、钱二（不评的请选择弃权并写明理由）' },
      { subjectIds: [], message: '评分期已结束' },
    ]);
  });
});
