import { plainWords } from './plain-words';

describe('plainWords', () => {
  it.each([
    ['字段 title（标题）不能为空', '标题不能为空'],
    ['字段 chain.signerId（签发人）必须填写，且须为人员编号', '签发人必须填写，且须为人员编号'],
    ['字段 chain.reviewers[0]（核稿人）不是本党委的在职人员', '核稿人不是本党委的在职人员'],
    ['字段“重点任务”（tasks）第 1 行“任务”（task）必须填写', '重点任务第1行的“任务”必须填写'],
    ['字段“重点任务”第 1 行“任务”必须填写', '重点任务第1行的“任务”必须填写'],
    ['填报内容有误，未提交：字段“联系电话”（contactPhone）格式不正确', '填报内容有误，未提交：“联系电话”格式不正确'],
    [
      '字段 kind 必须是 APPROVAL（审批）、RECEIPT（签收）、FILING（填报）、INSPECTION（抽查）、BALLOT（评议）或 ACCOUNTABILITY（问责）',
      '类别必须是审批、签收、填报、抽查、评议或问责',
    ],
    ['字段 distribution.kinds（类别）只能包含 VILLAGE、COMMUNITY、OFFICE、SCHOOL', '类别只能包含村、社区、机关、学校'],
    ['字段 grant（是否批准）必须是 true 或 false', '是否批准必须选择是或否'],
    ['字段 distribution.orgIds[2] 不是本党委下属的在用支部（abc）', '支部第3项不是本党委下属的在用支部（abc）'],
    ['字段 levels[0].min 必须是非负整数', '层级第1项的最少抽取数必须是非负整数'],
    ['字段 foo 是不允许的字段', '该项是不允许的字段'],
    ['model 与 text 只能填写一个', '公文内容与公文文本只能填写一个'],
    ['字段 model（公文内容）或 text（公文文本）必须填写一个', '公文内容或公文文本必须填写一个'],
    ['字段 membershipId（身份）必须是有效的编号（UUID）', '身份必须是有效的编号'],
    ['字段 status（状态）取值无效，可选：DRAFT（起草中）、IN_REVIEW（审批中）', '状态取值无效，可选：起草中、审批中'],
    ['字段 csv（CSV 内容）不能为空', 'CSV 内容不能为空'],
    ['organCode（机关代字）不能为空', '机关代字不能为空'],
    ['字段 after（翻页位置）无效', '翻页位置无效'],
    ['请上传 PDF（不超过 10 MB）', '请上传 PDF（不超过 10 MB）'],
    ['date（成文日期）格式不正确，应为 YYYY-MM-DD', '成文日期格式不正确，应为“年-月-日”格式（如 2026-01-05）'],
    // Found by the fuzz test (test/fuzz): a Chinese word followed by its code.
    ['决定结果只能是问责（MEASURES）、从轻问责（LIGHTER）或不予问责（NONE）', '决定结果只能是问责、从轻问责或不予问责'],
    ['导出（PDF）失败', '导出（PDF）失败'],
    // Names every object has, sent as field names, are not looked up on Object (“[object Object]”, “function Object()…”).
    ['字段 __proto__ 不能包含空字符', '该项不能包含空字符'],
    ['字段 constructor 不能包含空字符', '该项不能包含空字符'],
    ['字段 requirements[0].deadlineTime（截止时刻）应为 HH:mm，如 17:30', '截止时刻应为“时:分”格式，如 17:30'],
    [
      '字段 requirements[].reviewerRole（审核人）必须是 COMMITTEE_STAFF（党建办工作人员）、COMMITTEE_SECRETARY（党委书记）或 INSPECTOR（督查员）',
      '审核人必须是党建办工作人员、党委书记或督查员',
    ],
  ])('%s → %s', (before, after) => {
    expect(plainWords(before)).toBe(after);
  });

  it('keeps the words of a message that names no field', () => {
    expect(plainWords('本程序按述职评议计分公式 第 1 版计算；“弃权”应为 true 或 false')).toBe('本程序按述职评议计分公式 第 1 版计算；“弃权”应为 true 或 false');
  });
});
