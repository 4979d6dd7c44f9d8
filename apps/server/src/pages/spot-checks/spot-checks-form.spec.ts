import { placeErrors, roundFormFromBody, roundFormToDto } from './spot-checks-form';

const INSPECTOR = '6f1c2a52-8a43-4c3e-9a55-1d2f0f3b7c11';
const SCOPE = '0b7e4c1e-2f0a-4d6b-8c9e-3a5b7d9f1e22';

/** What the browser posts: one value per row in parallel lists (a single row arrives as a plain string). */
const body = (over: Record<string, unknown> = {}) => ({
  _csrf: 'x',
  title: ' 第四季度抽查 ',
  scopeOrgId: SCOPE,
  mode: 'UNANNOUNCED',
  target: 'BRANCH',
  targetPost: '',
  itemText: ['制度上墙', '', '三会一课'],
  itemKind: ['PASS_FAIL', 'PASS_FAIL', 'SCORE'],
  itemMaxScore: ['', '', '10'],
  itemPassScore: ['', '', ''],
  itemEvidence: ['PHOTO', 'NONE', 'NOTE'],
  ruleLevel: ['1', '0', '2'],
  ruleType: ['range', 'share', 'min'],
  ruleMin: ['1', '', ''],
  ruleMax: ['2', '', ''],
  ruleShare: ['', '30', ''],
  excludeRecentRounds: '2',
  inspectorIds: INSPECTOR,
  windowStart: '2026-11-23',
  windowEnd: '2026-11-30',
  rectifyWorkdays: '10',
  ...over,
});

describe('新建抽查 form', () => {
  it('turns the rule in words into the sampling rule; blank rows are dropped; the window is whole days in Asia/Shanghai', () => {
    const form = roundFormFromBody(body());
    expect(form.items.map((i) => i.text)).toEqual(['制度上墙', '三会一课']);
    expect(form.levels).toHaveLength(2); // the third rule row (至少 ___) was left empty
    const { dto, errors } = roundFormToDto(form);
    expect(errors).toEqual([]);
    expect(dto).toMatchObject({
      title: '第四季度抽查',
      mode: 'UNANNOUNCED',
      checklist: [
        { text: '制度上墙', kind: 'PASS_FAIL', evidence: 'PHOTO' },
        { text: '三会一课', kind: 'SCORE', evidence: 'NOTE', maxScore: 10 },
      ],
      rule: {
        levels: [
          { level: 1, min: 1, max: 2 },
          { level: 0, share: 0.3 },
        ],
        excludeRecentRounds: 2,
      },
      inspectorIds: [INSPECTOR],
      windowStart: '2026-11-22T16:00:00.000Z',
      windowEnd: '2026-11-30T15:59:59.000Z',
      rectifyWorkdays: 10,
    });
  });

  it('reports every problem at once, each next to its field or row, in words without field names', () => {
    const form = roundFormFromBody(
      body({
        title: '',
        inspectorIds: undefined,
        itemText: ['制度上墙', '三会一课'],
        itemKind: ['PASS_FAIL', 'SCORE'],
        itemMaxScore: ['', '500'],
        ruleType: ['share'],
        ruleShare: ['150'],
      }),
    );
    const { errors } = roundFormToDto(form);
    const shown = placeErrors(form, errors, '');
    expect(shown.title).toBe('名称不能为空');
    expect(shown.inspectorIds).toContain('督查员');
    expect(form.items[1].error).toBe('满分必须是 1 到 100 的整数');
    expect(form.levels[0].error).toBe('比例必须是大于 0、不超过 100 的百分数');
    expect(shown._).toBe(`有 ${errors.length} 处需要修改，请看各项下方的红字。`);
  });

  it('places the service’s rule errors (levels[i]…) on their rule row', () => {
    const form = roundFormFromBody(body());
    const shown = placeErrors(form, [{ field: 'levels[1].share', message: '字段 levels[1].share 必须是大于 0、不大于 1 的比例' }], '抽查轮次有误，未保存');
    expect(form.levels[1].error).toBe('必须是大于 0、不大于 1 的比例');
    expect(shown.rule).toBeUndefined();
  });
});
