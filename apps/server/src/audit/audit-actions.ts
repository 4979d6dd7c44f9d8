/**
 * Every audited action, with the entity it is about and the shape of its data (documenso's typed audit log).
 * A new action is added here first; `AuditService.record` accepts only these, each with its own data.
 */
type Id = string;
type Iso = string;
type Nothing = Record<string, never>;

interface Spec<E extends string, D> {
  entity: E;
  data: D;
}

export interface AuditActions {
  'auth.login': Spec<'person', { username: string }>;
  /** A failed login: the account name tried (the person's id when it exists), the address, and why (never the password). */
  'auth.login.failed': Spec<'person', { username: string; ip: string; reason: 'unknown' | 'inactive' | 'password' }>;
  'auth.logout': Spec<'person', Nothing>;
  /** The capacity (任职) a person chose to act in. */
  'auth.capacity': Spec<'person', { membershipId: Id; role: string; orgId: Id }>;
  'system.ping': Spec<'workflow', { echo: string; organizations: number; ackBy: string | null }>;

  'org.create': Spec<'organization', Record<string, unknown>>;
  'org.update': Spec<'organization', { before: Record<string, unknown>; after: Record<string, unknown> }>;
  'org.activate': Spec<'organization', Nothing>;
  'org.deactivate': Spec<'organization', Nothing>;
  'org.import.update': Spec<'organization', Record<string, unknown>>;
  'person.create': Spec<'person', { username: string; name?: string; memberships?: unknown[]; seed?: string }>;
  'person.update': Spec<'person', { name?: string; phone?: string | null; passwordChanged: boolean }>;
  'person.activate': Spec<'person', Nothing>;
  'person.deactivate': Spec<'person', Nothing>;
  /** The person's sessions were ended (password changed by an administrator or by themselves, account deactivated). */
  'person.sessions.end': Spec<'person', { count: number; reason: 'password' | 'deactivate' }>;
  'person.import.create': Spec<'person', { username: string; name: string }>;
  'membership.add': Spec<'membership', Record<string, unknown>>;
  'membership.remove': Spec<'membership', { personId: Id; orgId: Id; role: string }>;
  'membership.import': Spec<'membership', { personId: Id; orgId: Id; role: string }>;
  'calendar.override.set': Spec<'calendar', { kind: string; note: string }>;
  'calendar.override.remove': Spec<'calendar', Nothing>;

  'document.create': Spec<'document', { title: string; kind: string }>;
  'document.update': Spec<'document', { title: string; directiveId?: Id; version?: number }>;
  'document.sign': Spec<'document', { docNumber: string; title: string; directiveId?: Id; version?: number }>;
  'document.issue': Spec<'document', { docNumber: string | null; sha256: string; size: number }>;
  'file.upload': Spec<'file', { name: string; size: number; mimeType: string }>;
  /** An attachment opened (downloaded or shown), by whom and under which name. */
  'file.read': Spec<'file', { name: string }>;
  /** An upload no record referred to, removed by the cleanup after the grace period (by the system). */
  'file.remove': Spec<'file', { size: number; uploadedAt: Iso; reason: string }>;
  /** An issued document downloaded. */
  'document.read': Spec<'document', { docNumber: string | null; format: 'pdf' | 'ofd' }>;
  /** One of a document's attachment files opened (the Nth in its 附件说明). */
  'document.attachment.read': Spec<'document', { docNumber: string | null; seq: number; name: string; sha256: string }>;

  'directive.create': Spec<'directive', { title: string; chain: unknown }>;
  'directive.update': Spec<'directive', { version: number; changes: string[] }>;
  'directive.submit': Spec<'directive', { version: number }>;
  'directive.resubmit': Spec<'directive', { version: number }>;
  'directive.round': Spec<'directive', { round: number; version: number; restartFrom: 'START' | 'RETURNING_STEP' }>;
  'directive.step.pending': Spec<'directive', { stepId: Id; stage: string; assigneeId: Id; round: number }>;
  'directive.approve': Spec<'directive', { stepId: Id; stage: string; round: number; version: number; comment: string }>;
  'directive.return': Spec<'directive', { stepId: Id; stage: string; round: number; version: number; comment: string }>;
  'directive.remind': Spec<'directive', { stepId: Id; count: number }>;
  'directive.withdraw': Spec<'directive', { reason: string }>;
  'directive.sign': Spec<'directive', { docNumber: string; version: number }>;
  'directive.distribution.plan': Spec<'directive', { mode: string; count: number }>;
  'directive.issued': Spec<'directive', Nothing>;
  'directive.revoke': Spec<'directive', { reason: string; closedTasks: number }>;

  'task.open': Spec<
    'task' | 'directive' | 'spot_check_round' | 'review_round' | 'accountability_case',
    { kind: string; count: number; subjectType: string; originType?: string; originId?: Id; orgIds?: Id[] }
  >;
  'task.remind': Spec<'task', { at: Iso; count: number }>;
  'task.overdue': Spec<'task', { orgId: Id; dueAt: Iso | null }>;
  'task.close': Spec<'task', { status: 'DONE' | 'CANCELLED'; count: number; reason?: string }>;
  'receipt.acknowledge': Spec<'task', { directiveId: Id; orgId: Id }>;

  /** An autosave: the draft's new version, and the parts left out as invalid (their paths). */
  'filing.draft': Spec<'filing', { draftVersion: number; skipped: string[] }>;
  'filing.submit': Spec<'filing', { version: number }>;
  'filing.accept': Spec<'filing', { version: number; comment: string }>;
  'filing.return': Spec<'filing', { version: number; comment: string; newDeadline: Iso }>;
  'filing.extension.request': Spec<'filing', { requestId: Id; until: Iso; reason: string }>;
  'filing.extension.grant': Spec<'filing', { requestId: Id; until: Iso; comment: string }>;
  'filing.extension.refuse': Spec<'filing', { requestId: Id; until: Iso; comment: string }>;
  'filing.overdue': Spec<'filing', { orgId: Id; deadlineAt: Iso }>;

  'spotcheck.create': Spec<'spot_check_round', { title: string }>;
  'spotcheck.draw': Spec<'spot_check_round', { seed: string; selected: string[]; excluded: string[]; assignment: Record<string, string> }>;
  'spotcheck.close': Spec<'spot_check_round', Nothing>;
  'spotcheck.window-ended': Spec<'spot_check_round', { unfinished: Id[] }>;
  'spotcheck.finding.record': Spec<'spot_check_finding', FindingData>;
  'spotcheck.finding.update': Spec<'spot_check_finding', FindingData>;
  'spotcheck.rectification.open': Spec<'rectification', { findingId: Id; filingId: Id; orgId: Id; deadlineAt: Iso }>;

  'review.round.create': Spec<'review_round', { title: string; year: number; subjects: number; raters: number }>;
  'review.round.update': Spec<'review_round', { title: string; subjects: number; raters: number }>;
  'review.round.start': Spec<'review_round', { reportDueAt: Iso; scoringEndsAt: Iso; subjects: number }>;
  'review.round.scoring': Spec<'review_round', { raters: number }>;
  'review.round.close': Spec<'review_round', { formulaVersion: number; subjects: number; notVoted: number }>;
  'review.round.publish': Spec<'review_round', { documentId: Id; docNumber: string; low: Id[] }>;
  /** A rater kept a draft: how many lines, never what they say. */
  'review.ballot.draft': Spec<'review_round', { entries: number }>;
  /** A rater cast their sheet: the group and how many ballots, never what they say. */
  'review.ballot.cast': Spec<'review_round', { groupKey: string; ballots: number }>;
  /** At close: the secretaries' 自评等次 from their reports, as the 自评 group's ballots. */
  'review.self.ballots': Spec<'review_round', { groupKey: string; ballots: number }>;
  'accountability.measure.record': Spec<'accountability_measure', { personId: Id; orgId: Id; kind: string; effectiveOn: string }>;
  /** A Party-discipline sanction decided by the 纪委 outside the system, registered by the committee (登记党纪处分). */
  'accountability.sanction.record': Spec<
    'accountability_measure',
    { personId: Id; orgId: Id; kind: string; effectiveOn: string; influenceUntil: string; reference: string }
  >;

  /** A case opened from grouped proposals or by hand; `repeatOf` when the target had a case earlier the same year. */
  'accountability.case.open': Spec<
    'accountability_case',
    { serial: number; targetOrgId: Id; targetPersonId?: Id; source: 'PROPOSAL' | 'MANUAL'; proposals: Id[]; evidence: number; repeatOf?: Id }
  >;
  'accountability.case.dismiss': Spec<'accountability_case', { reason: string; status: string }>;
  'accountability.talk.record': Spec<'accountability_case', { talkId: Id; kind: string; heldAt: Iso; commitments: number }>;
  'accountability.talk.conclude': Spec<'accountability_case', { reason: string }>;
  'accountability.investigation.start': Spec<'accountability_case', { investigators: Id[] }>;
  'accountability.finding.add': Spec<'accountability_case', { findingId: Id; files: number }>;
  'accountability.defence.ask': Spec<'accountability_case', { dueAt: Iso; workdays: number }>;
  'accountability.defence.submit': Spec<'accountability_case', { late: boolean; files: number }>;
  'accountability.defence.lapse': Spec<'accountability_case', { dueAt: Iso }>;
  'accountability.decide': Spec<
    'accountability_case',
    {
      outcome: string;
      measures: { kind: string; detail?: string; personId?: Id; orgId: Id }[];
      meeting: string;
      effectiveOn?: string;
      documentId?: Id;
      docNumber?: string;
    }
  >;
  'accountability.serve.acknowledge': Spec<'accountability_case', { taskId: Id; recipient: 'PERSON' | 'ORG'; appealUntil?: Iso }>;
  'accountability.serve.overdue': Spec<'accountability_case', { taskId: Id }>;
  'accountability.appeal.file': Spec<'accountability_case', { appealId: Id; answerDueAt: Iso }>;
  'accountability.appeal.answer': Spec<'accountability_case', { appealId: Id; outcome: string; documentId?: Id; docNumber?: string; measures: Id[] }>;
  'accountability.appeal.overdue': Spec<'accountability_case', { appealId: Id; answerDueAt: Iso }>;
  'accountability.execution.done': Spec<'accountability_case', { taskId: Id; measureId?: Id; note: string }>;
  'accountability.execution.overdue': Spec<'accountability_case', { taskId: Id; dueAt: Iso | null }>;
  'accountability.measure.change': Spec<'accountability_measure', { caseId: Id; status: 'CHANGED' | 'REVOKED' }>;
  'accountability.case.close': Spec<'accountability_case', { reason: string }>;

  'commendation.round.create': Spec<'commendation_round', { title: string; year: number; categories: { key: string; name: string; quota: number }[] }>;
  'commendation.round.start': Spec<'commendation_round', { nominationDueAt: Iso; workdays: number }>;
  'commendation.round.cancel': Spec<'commendation_round', { reason: string; status: string }>;
  /** A nomination, with the eligibility found at that moment (an ineligible one is refused and not recorded). */
  'commendation.nominate': Spec<'commendation_round', { nomineeId: Id; categoryKey: string; personId?: Id; orgId: Id; byOrgId: Id }>;
  'commendation.nomination.close': Spec<'commendation_round', { nominees: number; dueAt: Iso }>;
  'commendation.rank': Spec<'commendation_round', { categoryKey: string; order: Id[] }>;
  /** The committee's approval: who is approved per category, within the quota; the meeting that decided it. */
  'commendation.approve': Spec<'commendation_round', { meeting: string; heldOn: string; approved: { key: string; nomineeIds: Id[] }[] }>;
  /** An eligibility check that excluded a nominee (at the notice or the decision), with the rules that did. */
  'commendation.ineligible': Spec<'commendation_round', { nomineeId: Id; stage: string; rules: string[] }>;
  'commendation.notice.issue': Spec<
    'commendation_round',
    { noticeId: Id; seq: number; documentId: Id; docNumber: string; startsOn: string; endsOn: string; nominees: Id[] }
  >;
  'commendation.notice.end': Spec<'commendation_round', { noticeId: Id; endsOn: string; openObjections: number }>;
  'commendation.objection.file': Spec<'commendation_round', { objectionId: Id; nomineeId: Id; channel: string; receivedOn: string; files: number }>;
  'commendation.objection.resolve': Spec<
    'commendation_round',
    { objectionId: Id; nomineeId: Id; upheld: boolean; replacementId?: Id; toldTo?: Id; vacancy?: boolean }
  >;
  /** 党建办 told the objector of a phone or letter objection the outcome, by the recorded contact. */
  'commendation.objection.told': Spec<'commendation_round', { objectionId: Id; how: string }>;
  'commendation.decide': Spec<
    'commendation_round',
    {
      kind: string;
      approvalRef?: string;
      documentId: Id;
      docNumber: string;
      commended: Id[];
      excluded: Id[];
      vacancies?: { categoryKey: string; nomineeId: Id }[];
    }
  >;
  /** The decision's re-check excluded someone: the next-ranked take their places in a fresh notice; the decision waits for it. */
  'commendation.decide.replace': Spec<'commendation_round', { replacements: { nomineeId: Id; replacesId: Id }[]; excluded: Id[]; noticeId: Id }>;

  'notification.send': Spec<'notification', { kind: string; count: number }>;
  /** An outbox delivery sent (to: the address, or the robot's visible hint), or given up after its attempts. */
  'notification.delivery.sent': Spec<'notification', { deliveryId: Id; channel: string; to: string; attempts: number }>;
  'notification.delivery.failed': Spec<'notification', { deliveryId: Id; channel: string; attempts: number; reason: string }>;
  /** A person's channels (e-mail, @ in group robots), or an organisation's channel set, changed or removed (never the secrets). */
  'notification.preference.set': Spec<'person', { email: string | null; emailOn: boolean; mentionOn: boolean }>;
  'notification.channel.set': Spec<'organization', { kind: string; enabled: boolean; hint: string; secretChanged: boolean }>;
  'notification.channel.remove': Spec<'organization', { kind: string }>;
  /** 催办: the branches urged about a directive's 签收 or a requirement's 填报, and those refused by the 4-hour limit. */
  'urge.send': Spec<'directive' | 'requirement', { orgIds: Id[]; limited: Id[] }>;
  'accountability.propose': Spec<'accountability_proposal', { trigger: string; orgId: Id; personId?: Id; sourceType: string; sourceId: Id }>;
}

interface FindingData {
  roundId: Id;
  unitId: Id;
  itemKey: string;
  passed: boolean;
  score?: number | null;
  photos: string[];
}

export type AuditAction = keyof AuditActions;
export type AuditEntityType = AuditActions[AuditAction]['entity'];

/** One record: the action names its entity type and its data; actions without data take none. */
export type AuditEntryOf<A extends AuditAction, Actor> = {
  actor: Actor | null;
  action: A;
  entityType: AuditActions[A]['entity'];
  entityId: string;
} & (AuditActions[A]['data'] extends Nothing ? { data?: Nothing } : { data: AuditActions[A]['data'] });
