/**
 * Every kind of notice, with what it says. Callers give the kind and its facts; the wording lives here, once.
 * Keys make sending idempotent: an activity retried, or a reminder computed twice, notifies once.
 */
export interface NoticeKinds {
  /** A task's reminder before its deadline. */
  REMINDER: { what: string };
  /** An approval step still waiting, the n-th time. */
  APPROVAL_REMINDER: { title: string; stage: string; count: number };
  /** A branch missed a deadline (to the committee). */
  OVERDUE: { orgName: string; what: string };
  /** A filing past its deadline (to the committee). */
  FILING_OVERDUE: { orgName: string; title: string; rectification: boolean };
  /** A spot-check round's window ended. */
  ROUND_ENDED: { title: string; unfinished: string[] };
  /** A draft or filing returned for revision. */
  RETURNED: { title: string; by?: string; comment: string };
  REVOKED: { title: string; reason: string };
  EXTENSION: { title: string; granted: boolean; comment: string };
  RECTIFICATION: { item: string; deadline: string };
  /** A 述职评议 round's scoring closed (to the committee). */
  REVIEW_CLOSED: { title: string; notVoted: number };
  /** A secretary graded 一般 or 差 is asked for a 整改方案. */
  REMEDY_ASKED: { title: string; grade: string; deadline: string };
  /** The person concerned is told of the case and may state their case (陈述申辩) by the deadline. */
  ACC_DEFENCE_ASKED: { title: string; deadline: string };
  /** A 问责决定书 (or 通报) to acknowledge. */
  ACC_SERVED: { title: string; docNumber: string };
  /** An accountability step past its deadline (to the committee): service, execution, an appeal's answer. */
  ACC_OVERDUE: { title: string; what: string };
  /** An appeal filed (to the committee) or answered (to the person). */
  ACC_APPEAL: { title: string; outcome?: string };
  /** A follow-up task from a commitment in a talk or from a decided measure. */
  ACC_TASK: { title: string; what: string; deadline: string };
  /** A 评选表扬 round opened for nominations (to each branch). */
  COM_NOMINATE: { title: string; deadline: string };
  /** Nominations closed, a 公示 ended, objections to resolve (to the committee). */
  COM_STEP: { title: string; what: string };
  /** An objection's outcome, told to the objector. */
  COM_OBJECTION: { title: string; nominee: string; upheld: boolean; finding: string };
  /** 催办: the committee urges a branch to 签收 a directive or submit a filing. */
  URGE: { by: string; what: string; title: string; deadline?: string };
  /** A branch submitted (or resubmitted) a filing: each of its reviewers is told beside the 审核 task. */
  FILING_SUBMITTED: { orgName: string; title: string; resubmitted: boolean };
}

export type NoticeKind = keyof NoticeKinds;

export const NOTICE_TEXT: { [K in NoticeKind]: (f: NoticeKinds[K]) => string } = {
  REMINDER: (f) => `请及时${f.what}`,
  APPROVAL_REMINDER: (f) => `请尽快办理《${f.title}》的${f.stage}（第 ${f.count} 次提醒）`,
  OVERDUE: (f) => `${f.orgName}逾期未完成：${f.what}`,
  FILING_OVERDUE: (f) => (f.rectification ? `${f.orgName}逾期未报送《${f.title}》的整改报告` : `${f.orgName}逾期未填报《${f.title}》`),
  ROUND_ENDED: (f) =>
    f.unfinished.length
      ? `《${f.title}》检查时间已结束，还有 ${f.unfinished.length} 个对象未检查完：${f.unfinished.join('、')}`
      : `《${f.title}》检查时间已结束，全部对象已检查完毕`,
  RETURNED: (f) => (f.by ? `《${f.title}》被${f.by}退回修改：${f.comment}` : `《${f.title}》被退回修改：${f.comment}`),
  REVOKED: (f) => `《${f.title}》已废止：${f.reason}`,
  EXTENSION: (f) => (f.granted ? `《${f.title}》延期申请已批准` : `《${f.title}》延期申请未批准：${f.comment}`),
  RECTIFICATION: (f) => `督查发现问题“${f.item}”，请于${f.deadline}前报送整改报告`,
  REVIEW_CLOSED: (f) =>
    f.notVoted ? `《${f.title}》评分已结束，${f.notVoted} 名评分人未投票，结果已算出` : `《${f.title}》评分已结束，全部评分人已投票，结果已算出`,
  REMEDY_ASKED: (f) => `《${f.title}》中评定为“${f.grade}”等次，请于${f.deadline}前报送整改方案`,
  ACC_DEFENCE_ASKED: (f) => `${f.title}：您可于${f.deadline}前提交书面陈述申辩`,
  ACC_SERVED: (f) => `${f.title}：${f.docNumber}已送达，请签收`,
  ACC_OVERDUE: (f) => `${f.title}：${f.what}已逾期`,
  ACC_APPEAL: (f) => (f.outcome ? `${f.title}：申诉已答复，${f.outcome}原决定` : `${f.title}：收到申诉，请在一个月内答复`),
  ACC_TASK: (f) => `${f.title}：请于${f.deadline}前${f.what}`,
  COM_NOMINATE: (f) => `${f.title}已开始推荐，请于${f.deadline}前推荐人选`,
  COM_STEP: (f) => `${f.title}：${f.what}`,
  COM_OBJECTION: (f) =>
    f.upheld
      ? `您对${f.title}拟表扬对象“${f.nominee}”提出的异议经核查属实，已取消其表扬资格：${f.finding}`
      : `您对${f.title}拟表扬对象“${f.nominee}”提出的异议经核查不予采纳：${f.finding}`,
  URGE: (f) => `${f.by}催办：请尽快${f.what}《${f.title}》${f.deadline ? `（期限 ${f.deadline}）` : ''}`,
  FILING_SUBMITTED: (f) => `${f.orgName}已${f.resubmitted ? '重新' : ''}提交《${f.title}》，请审核`,
};

/** The category people see and filter by (提醒、逾期、退回…): several kinds share one. */
export const NOTICE_CATEGORY: Record<NoticeKind, string> = {
  REMINDER: 'REMINDER',
  APPROVAL_REMINDER: 'REMINDER',
  OVERDUE: 'OVERDUE',
  FILING_OVERDUE: 'OVERDUE',
  ROUND_ENDED: 'OVERDUE',
  RETURNED: 'RETURNED',
  REVOKED: 'REVOKED',
  EXTENSION: 'EXTENSION',
  RECTIFICATION: 'RECTIFICATION',
  REVIEW_CLOSED: 'REVIEW',
  REMEDY_ASKED: 'RECTIFICATION',
  ACC_DEFENCE_ASKED: 'ACCOUNTABILITY',
  ACC_SERVED: 'ACCOUNTABILITY',
  ACC_OVERDUE: 'OVERDUE',
  ACC_APPEAL: 'ACCOUNTABILITY',
  ACC_TASK: 'ACCOUNTABILITY',
  COM_NOMINATE: 'COMMENDATION',
  COM_STEP: 'COMMENDATION',
  COM_OBJECTION: 'COMMENDATION',
  URGE: 'URGE',
  FILING_SUBMITTED: 'SUBMITTED',
};

/** Who receives it: a person, or everyone acting for an organisation (a branch's inbox). */
export interface Recipient {
  orgId: string;
  personId?: string | null;
}

/** The page a notice is about, when it has no task to find it through (the 消息 list links to it). */
export type NoticeSubjectType = 'directive' | 'filing' | 'review_round' | 'spot_check_round' | 'commendation_round' | 'accountability_case';
export interface NoticeSubject {
  type: NoticeSubjectType;
  id: string;
}

export type Notice = {
  [K in NoticeKind]: { kind: K; key: string; to: Recipient; taskId?: string | null; subject?: NoticeSubject; facts: NoticeKinds[K] };
}[NoticeKind];

export function noticeText(n: Notice): string {
  return (NOTICE_TEXT[n.kind] as (f: unknown) => string)(n.facts);
}
