import { Role } from '../prisma/client';

/**
 * What a capacity may do, named after the action it allows (not after a role).
 * Guards (@RequirePermission) and the menu (view-context.ts) read the one table below; scope
 * (own branch / own subtree) and workflow state are still checked in the services.
 */
export const permissions = {
  // 公文
  /** Import, preview, create and edit a draft document. */
  documentDraft: 'document.draft',

  // 发文
  /** List and open directives, their approval history and receipt progress. */
  directiveRead: 'directive.read',
  /** Draft, edit, submit and withdraw a directive. */
  directiveDraft: 'directive.draft',
  /** Decide on an approval step (核稿 / 会签 / 签发); the service checks that the step is the caller's. */
  directiveApprove: 'directive.approve',
  /** 签发 and 印发 a document: number it, render and archive its PDF. */
  directiveSign: 'directive.sign',
  /** 废止 an issued directive. */
  directiveRevoke: 'directive.revoke',

  // 收文 and 填报
  /** 收文: list the directives sent to the caller's own branch, with its receipt and filings of each. */
  receiptRead: 'receipt.read',
  /** 签收 a directive sent to the caller's branch. */
  receiptAcknowledge: 'receipt.acknowledge',
  /** The branch's side of a filing: fill in, submit, ask for an extension. */
  filingSubmit: 'filing.submit',
  /** Accept or return a filing, grant or refuse an extension (the service checks the named reviewer). */
  filingReview: 'filing.review',
  /** The committee's table of one requirement (summary and exports). */
  filingTable: 'filing.table',

  // 督查抽查
  /** See rounds: the committee all of them, a branch its own units. */
  spotCheckRead: 'spotcheck.read',
  /** The stored draw of a round (rule, input, seed) as files. */
  spotCheckSample: 'spotcheck.sample',
  /** 党建办: create a round, draw the sample, close the round. */
  spotCheckManage: 'spotcheck.manage',
  /** The inspector's field page. */
  spotCheckInspect: 'spotcheck.inspect',

  // 附件
  /** Upload an attachment (any capacity; reading is checked per file in FilesService). */
  fileUpload: 'file.upload',

  // 通知
  /** 催办: urge the branches that have not acknowledged a directive or not submitted a filing. */
  notificationUrge: 'notification.urge',

  // 系统管理
  adminOrgs: 'admin.orgs',
  adminPeople: 'admin.people',
  adminCalendar: 'admin.calendar',
  auditRead: 'audit.read',
  /** The Temporal round trip (POST /api/system/ping). */
  systemPing: 'system.ping',

  // 评议 (lifecycle 4)
  /** Follow a 述职评议: settings, reports, who has voted, and the results once scoring has closed. */
  reviewRead: 'review.read',
  /** Set up and start a 述职评议. */
  reviewManage: 'review.manage',
  /** Sign and publish the 通报 of a round's results. */
  reviewPublish: 'review.publish',
  /** Score a secretary's 述职 (the service checks the roster). */
  reviewScore: 'review.score',

  // 评选表扬 (lifecycle 5)
  /** Open a commendation, shortlist, publish for 公示, confirm. */
  commendationManage: 'commendation.manage',
  /** Put a candidate forward. */
  commendationNominate: 'commendation.nominate',
  /** Object during the 公示期 (anyone logged in); also opens the 公示 page. */
  commendationObject: 'commendation.object',
  /** Follow a round: the committee all of it, a branch the round and its own nominations. */
  commendationRead: 'commendation.read',
  /** The party secretary: approve the list for the committee, issue the 通报表扬 or 决定. */
  commendationDecide: 'commendation.decide',

  // 问责 (lifecycle 6)
  /** Follow accountability: proposals, cases, their evidence, decisions, appeals. */
  accountabilityRead: 'accountability.read',
  /** Open and prepare an accountability case, draft the decision. */
  accountabilityManage: 'accountability.manage',
  /** Decide an accountability case. */
  accountabilityDecide: 'accountability.decide',
  /** Serve on a case's investigation team and record findings (the service checks the team). */
  accountabilityInvestigate: 'accountability.investigate',
  /** The side of the person or organisation concerned: state their case, acknowledge the decision, appeal, report execution. */
  accountabilityRespond: 'accountability.respond',
} as const;

export type Permission = (typeof permissions)[keyof typeof permissions];

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(permissions);

/** Granted to every capacity. */
const EVERYONE: readonly Permission[] = [permissions.fileUpload, permissions.commendationObject];

/** What the committee's capacities share: read directives, decide their own approval steps, review filings, see the table. */
const COMMITTEE_COMMON: readonly Permission[] = [permissions.directiveRead, permissions.directiveApprove, permissions.filingReview, permissions.filingTable];

/** Role → what it may do. Every grant is made here and nowhere else; the guard, the menu and the pages read it. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  [Role.COMMITTEE_STAFF]: [
    ...EVERYONE,
    ...COMMITTEE_COMMON,
    permissions.documentDraft,
    permissions.directiveDraft,
    permissions.notificationUrge,
    permissions.spotCheckRead,
    permissions.spotCheckSample,
    permissions.spotCheckManage,
    permissions.reviewRead,
    permissions.reviewManage,
    permissions.commendationRead,
    permissions.commendationManage,
    permissions.accountabilityRead,
    permissions.accountabilityManage,
    permissions.accountabilityInvestigate,
  ],
  [Role.COMMITTEE_SECRETARY]: [
    ...EVERYONE,
    ...COMMITTEE_COMMON,
    permissions.documentDraft,
    permissions.directiveDraft,
    permissions.directiveSign,
    permissions.directiveRevoke,
    permissions.notificationUrge,
    permissions.spotCheckRead,
    permissions.spotCheckSample,
    permissions.reviewRead,
    permissions.reviewPublish,
    permissions.commendationRead,
    permissions.commendationDecide,
    permissions.accountabilityRead,
    permissions.accountabilityDecide,
    permissions.accountabilityInvestigate,
  ],
  [Role.BRANCH_SECRETARY]: [
    ...EVERYONE,
    permissions.receiptRead,
    permissions.receiptAcknowledge,
    permissions.filingSubmit,
    permissions.spotCheckRead,
    permissions.commendationRead,
    permissions.commendationNominate,
    permissions.accountabilityRespond,
  ],
  [Role.BRANCH_STAFF]: [
    ...EVERYONE,
    permissions.receiptRead,
    permissions.receiptAcknowledge,
    permissions.filingSubmit,
    permissions.spotCheckRead,
    permissions.commendationRead,
    permissions.commendationNominate,
    permissions.accountabilityRespond,
  ],
  [Role.INSPECTOR]: [
    ...EVERYONE,
    ...COMMITTEE_COMMON,
    permissions.spotCheckRead,
    permissions.spotCheckSample,
    permissions.spotCheckInspect,
    permissions.accountabilityInvestigate,
  ],
  [Role.EVALUATOR]: [...EVERYONE, ...COMMITTEE_COMMON, permissions.reviewScore],
  [Role.ADMIN]: [
    ...EVERYONE,
    ...COMMITTEE_COMMON,
    permissions.spotCheckRead,
    permissions.spotCheckSample,
    permissions.adminOrgs,
    permissions.adminPeople,
    permissions.adminCalendar,
    permissions.auditRead,
    permissions.systemPing,
  ],
};

export function hasPermission(role: Role, p: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(p) ?? false;
}

/** True when the role holds every one of `required` (what @RequirePermission asks). */
export function hasEveryPermission(role: Role, required: readonly Permission[]): boolean {
  return required.every((p) => hasPermission(role, p));
}

/** The capacities that hold a permission, in the order of the Role enum. */
export function rolesWith(p: Permission): Role[] {
  return (Object.values(Role) as Role[]).filter((role) => hasPermission(role, p));
}
