import {
  approvalForm,
  decisionForm,
  nominationForm,
  rankingForm,
  recordObjectionForm,
  resolveForm,
  roundFormFromBody,
  roundFormToDto,
} from './commendations-form';

const UUID1 = '11111111-1111-4111-8111-111111111111';
const UUID2 = '22222222-2222-4222-8222-222222222222';

describe('评选表扬 set-up form', () => {
  const body = {
    _csrf: 'x',
    title: ' 2026年度评选 ',
    year: '2026',
    nominationWorkdays: '5',
    noticeWorkdays: '5',
    minGrade: 'FAIRLY_GOOD',
    localBars: ['提拔'],
    contact: '乡党建办',
    catName: ['优秀第一书记', '十强支部', '', ''],
    catQuota: ['3', '10', '', ''],
    catTarget: ['PERSON', 'ORG', 'PERSON', 'ORG'],
    catPost: ['第一书记', '', '', ''],
  };

  it('reads the rows typed, drops the empty ones, and gives the service its categories with keys', () => {
    const form = roundFormFromBody(body);
    expect(form.categories).toHaveLength(2);
    const { dto, errors } = roundFormToDto(form);
    expect(errors).toEqual([]);
    expect(dto).toMatchObject({ title: '2026年度评选', year: 2026, nominationWorkdays: 5, noticeWorkdays: 5, localBars: ['提拔'] });
    expect(dto.categories).toEqual([
      { key: 'c1', name: '优秀第一书记', quota: 3, target: 'PERSON', post: '第一书记' },
      { key: 'c2', name: '十强支部', quota: 10, target: 'ORG' },
    ]);
  });

  it('names each field and row that is wrong, in Chinese, and keeps what was typed', () => {
    const form = roundFormFromBody({ ...body, year: '26', noticeWorkdays: '', contact: '', catQuota: ['0', '10'], catName: ['优秀第一书记', '优秀第一书记'] });
    const { errors } = roundFormToDto(form);
    const by = (f: string) => errors.filter((e) => e.field === f).map((e) => e.message);
    expect(by('year')).toEqual(['年度须在 2000 至 2100 之间']);
    expect(by('noticeWorkdays')).toEqual(['请填写公示期']);
    expect(by('contact')).toEqual(['请填写公示联系人（受理异议的联系人和电话）']);
    expect(by('categoryRows')).toEqual(['评选类别第 1 行：名额须在 1 至 100 名之间', '评选类别第 2 行：类别名称“优秀第一书记”与前面的类别重复']);
    expect(form.categories[0]).toMatchObject({ quota: '0', error: '第 1 行：名额须在 1 至 100 名之间' });
    expect(form.year).toBe('26');
  });

  it('refuses a round without categories and a post on a branch category', () => {
    expect(roundFormToDto(roundFormFromBody({ ...body, catName: [], catQuota: [], catPost: [] })).errors).toContainEqual({
      field: 'categories',
      message: '评选类别：至少设置一个类别（名称、名额、表扬对象）',
    });
    const { errors } = roundFormToDto(roundFormFromBody({ ...body, catPost: ['第一书记', '支部书记'] }));
    expect(errors.map((e) => e.message)).toEqual(['评选类别第 2 行：表扬支部的类别不限定职务，请清空“限定职务”']);
  });
});

describe('评选表扬 step forms', () => {
  it('nomination: a person with their branch, or a branch; the reason required', () => {
    expect(nominationForm({ categoryKey: 'c1', target: `p:${UUID1}:${UUID2}`, reason: '事迹' }).dto).toEqual({
      categoryKey: 'c1',
      personId: UUID1,
      orgId: UUID2,
      reason: '事迹',
    });
    expect(nominationForm({ categoryKey: 'c2', target: `o:${UUID2}`, reason: '事迹' }).dto).toEqual({ categoryKey: 'c2', orgId: UUID2, reason: '事迹' });
    expect(nominationForm({ categoryKey: '', target: 'x', reason: '' }).errors).toEqual([
      { field: 'categoryKey', message: '请选择评选类别' },
      { field: 'target', message: '被推荐对象无效，请重新选择' },
      { field: 'reason', message: '请填写推荐理由（主要事迹）' },
    ]);
  });

  it('ranking: each place once, in range, the order by place', () => {
    const nominees = [
      { id: UUID1, name: '赵第一' },
      { id: UUID2, name: '钱第一' },
    ];
    expect(rankingForm({ [`rank_${UUID1}`]: '2', [`rank_${UUID2}`]: '1' }, nominees)).toEqual({ order: [UUID2, UUID1], errors: [] });
    expect(rankingForm({ [`rank_${UUID1}`]: '1', [`rank_${UUID2}`]: '1' }, nominees).errors).toEqual([
      { field: `rank_${UUID2}`, message: '名次 1 已给了“赵第一”，每个名次只能用一次' },
    ]);
    expect(rankingForm({ [`rank_${UUID1}`]: '3', [`rank_${UUID2}`]: '' }, nominees).errors).toEqual([
      { field: `rank_${UUID1}`, message: '“赵第一”的名次须为 1 至 2 的整数' },
      { field: `rank_${UUID2}`, message: '请填写“钱第一”的名次' },
    ]);
  });

  it('a recorded objection: real name and the day received required', () => {
    expect(recordObjectionForm({ nomineeId: UUID1, channel: 'LETTER', objectorName: '', receivedOn: '2026/11/30', text: '' }).errors).toEqual([
      { field: 'objectorName', message: '异议须实名：请填写异议人的真实姓名' },
      { field: 'receivedOn', message: '收到日期格式应为 年-月-日' },
      { field: 'text', message: '请填写异议内容' },
    ]);
    expect(
      recordObjectionForm({ nomineeId: UUID1, channel: 'PHONE', objectorName: '李来电', objectorPhone: '', receivedOn: '2026-11-30', text: '反映' }).dto,
    ).toEqual({
      nomineeId: UUID1,
      channel: 'PHONE',
      objectorName: '李来电',
      receivedOn: '2026-11-30',
      text: '反映',
    });
  });

  it('approval, resolution and decision: the fields a user sees named', () => {
    expect(approvalForm({ meeting: '', heldOn: '2026/1/1' }, ['c1']).errors.map((e) => e.field)).toEqual(['meeting', 'heldOn', 'categories']);
    expect(approvalForm({ meeting: '党委会', heldOn: '2026-11-30', approve_c1: [UUID1, 'junk'] }, ['c1', 'c2']).dto.categories).toEqual([
      { categoryKey: 'c1', nomineeIds: [UUID1] },
      { categoryKey: 'c2', nomineeIds: [] },
    ]);
    expect(resolveForm({ upheld: '', finding: '' }).errors.map((e) => e.message)).toEqual([
      '请选择核查结论：异议成立或不成立',
      '请填写核查情况（将告知异议人）',
    ]);
    expect(resolveForm({ upheld: 'no', finding: '不属实' }).dto).toEqual({ upheld: false, finding: '不属实' });
    expect(decisionForm({ kind: '决定', approvalRef: '' }).errors).toEqual([
      { field: 'approvalRef', message: '以“决定”授予称号，须填写批准依据（如上级党委的批复文号）' },
    ]);
    expect(decisionForm({}).dto).toEqual({ kind: '通报' });
  });
});
