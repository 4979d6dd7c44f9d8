import { anchorProblems, branchSecretary, dailyWeightProblems, DEFAULT_DAILY_WEIGHTS, DEFAULT_RUBRIC } from './rubric';

const m = (name: string, role: string, post: string | null = null) => ({ role, post, person: { name } });

describe('the secretary reviewed for a branch', () => {
  it('is its 支部书记, not the 第一书记 who also holds a secretary capacity there', () => {
    expect(
      branchSecretary([m('大滩第一书记', 'BRANCH_SECRETARY', '第一书记'), m('刘大滩', 'BRANCH_SECRETARY'), m('陈干事', 'BRANCH_STAFF')])?.person.name,
    ).toBe('刘大滩');
  });

  it('is the 第一书记 when the branch has no other secretary, and nobody when it has none', () => {
    expect(branchSecretary([m('石河第一书记', 'BRANCH_SECRETARY', '第一书记'), m('陈干事', 'BRANCH_STAFF')])?.person.name).toBe('石河第一书记');
    expect(branchSecretary([m('陈干事', 'BRANCH_STAFF')])).toBeUndefined();
  });

  it('is the same person whatever order the memberships come in', () => {
    const a = [m('乙', 'BRANCH_SECRETARY', '党支部书记'), m('甲', 'BRANCH_SECRETARY')];
    expect(branchSecretary(a)?.person.name).toBe(branchSecretary([...a].reverse())?.person.name);
  });
});

describe('the default rubric and weights', () => {
  it('describe every grade of every item, and the daily weights sum to 100', () => {
    expect(anchorProblems(DEFAULT_RUBRIC)).toEqual([]);
    expect(DEFAULT_RUBRIC.reduce((a, i) => a + i.weight, 0)).toBe(100);
    expect(dailyWeightProblems(DEFAULT_DAILY_WEIGHTS)).toEqual([]);
    expect(dailyWeightProblems({ filingsOnTime: 50, spotCheckPassRate: 30, rectificationsClosed: 30 })).toEqual(['日常考核各项权重之和应为 100，现为 110']);
  });

  it('names a missing anchor in plain words', () => {
    const item = { ...DEFAULT_RUBRIC[0], anchors: { ...DEFAULT_RUBRIC[0].anchors, POOR: ' ' } };
    expect(anchorProblems([item])).toEqual(['考核项目“履行第一责任人职责”缺少“差”一档的评分说明']);
  });
});
