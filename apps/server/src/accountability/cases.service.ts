import { Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { BRANCH_ROLES } from '../auth/roles';
import { CalendarService } from '../calendar/calendar.service';
import { DomainError } from '../common/errors/domain-error';
import { FilesService } from '../files/files.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Prisma, Role, type AccountabilityCase } from '../prisma/client';
import { PrismaService, type Tx } from '../prisma/prisma.service';
import { Drills } from '../tasks/drills';
import { TaskFlowService } from '../tasks/task-flow.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { accountabilityCaseWorkflowId, caseMovedSignal } from '../../../../workflows/accountability/accountability.definitions';
import type { accountabilityCaseWorkflow } from '../../../../workflows/accountability/accountability.workflow';
import { CASE_SETTINGS, CASE_STATUS_LABELS, CaseClock, endedReason, groupProposals, shanghaiText, targetKey, type CaseStatus } from './case-rules';
import type {
  AskDefenceDto,
  DefenceDto,
  EvidenceDto,
  FindingDto,
  InvestigationDto,
  OpenCaseDto,
  OpenFromProposalsDto,
  TalkDto,
} from './dto/accountability.dto';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

const TRIGGER_LABELS: Record<string, string> = {
  OVERDUE_FILING: '逾期未填报',
  OVERDUE_RECTIFICATION: '逾期未整改',
  FAILED_RECTIFICATION: '整改不合格',
  LOW_GRADE: '述职评议等次为一般或差',
  MANUAL: '人工提出',
};

/** The task keys of a case's steps (unique: a retried step opens nothing twice). */
export const caseTaskKey = {
  defence: (caseId: string) => `acc:${caseId}:defence`,
  talk: (caseId: string, talkId: string, i: number) => `acc:${caseId}:talk:${talkId}:${i}`,
  service: (caseId: string, recipient: 'PERSON' | 'ORG', round = 0) => `acc:${caseId}:serve:${recipient}:${round}`,
  execution: (measureId: string) => `acc:exec:${measureId}`,
};

/** What an ACCOUNTABILITY task is for (its data.step). */
export type CaseTaskStep = 'DEFENCE' | 'TALK' | 'SERVICE' | 'EXECUTION';

/**
 * 问责 cases (lifecycle 6), up to the committee's decision: opened from grouped proposals or by hand with evidence,
 * supervisory talks, the investigation team and its findings, the person's statement and defence. Each step is one
 * transaction with its audit record; the case's workflow is told after the commit and keeps the time.
 * Decisions, service, appeals and execution are in DecisionsService.
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly scope: OrgScopeService,
    private readonly calendar: CalendarService,
    private readonly tasks: TaskFlowService,
    private readonly notifications: NotificationsService,
    private readonly files: FilesService,
    private readonly temporal: TemporalClientService,
  ) {}

  /** The case for the committee that handles it (党建办, 书记) or one of its investigators; anyone else: not found. */
  async forCommittee(actor: Actor, id: string): Promise<AccountabilityCase> {
    const c = await this.prisma.accountabilityCase.findUnique({ where: { id } });
    if (!c || !(await this.scope.canSee(actor, c.orgId))) throw DomainError.notFound('问责案件');
    if (!hasPermission(actor.role, permissions.accountabilityRead) && !c.investigatorIds.includes(actor.personId)) throw DomainError.notFound('问责案件');
    return c;
  }

  /** The case for the organisation or the person concerned, acting in their branch. */
  async forConcerned(actor: Actor, id: string): Promise<AccountabilityCase> {
    const c = await this.prisma.accountabilityCase.findUnique({ where: { id } });
    if (!c || !BRANCH_ROLES.includes(actor.role) || actor.orgId !== c.targetOrgId) throw DomainError.notFound('问责案件');
    return c;
  }

  /** A dismissed or closed case takes no step (409 with the reason); otherwise the status must be one of `allowed`. */
  assertStep(c: AccountabilityCase, allowed: CaseStatus[], doing: string): void {
    const ended = endedReason(c);
    if (ended) throw DomainError.conflict(ended);
    if (!allowed.includes(c.status)) throw DomainError.conflict(`案件${CASE_STATUS_LABELS[c.status]}，不能${doing}`);
  }

  /** Status guard inside the transaction: the row moves only from a status it is still in. */
  async move(tx: Tx, c: AccountabilityCase, from: CaseStatus[], data: Prisma.AccountabilityCaseUpdateManyMutationInput, doing: string): Promise<void> {
    const { count } = await tx.accountabilityCase.updateMany({ where: { id: c.id, status: { in: from } }, data });
    if (!count) {
      const now = await tx.accountabilityCase.findUniqueOrThrow({ where: { id: c.id } });
      this.assertStep(now, from, doing);
      throw DomainError.conflict(`案件状态已变化，不能${doing}`);
    }
  }

  async clock(caseId: string): Promise<CaseClock> {
    return new CaseClock(await this.calendar.calendar(), Drills.secondsFor(caseId));
  }

  /** After the commit: the workflow re-reads the case (a case whose workflow has ended is left alone). */
  async signal(caseId: string): Promise<void> {
    const client = await this.temporal.client();
    try {
      await client.workflow.getHandle(accountabilityCaseWorkflowId(caseId)).signal(caseMovedSignal);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  private async startWorkflow(caseId: string): Promise<void> {
    const client = await this.temporal.client();
    try {
      await client.workflow.start<typeof accountabilityCaseWorkflow>('accountabilityCaseWorkflow', {
        taskQueue: this.temporal.taskQueue,
        workflowId: accountabilityCaseWorkflowId(caseId),
        args: [{ caseId }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  // ---- proposals and opening ----

  /** Pending proposals in the committee's subtree, grouped by target, each group flagged when the target had a case this year. */
  async proposals(actor: Actor) {
    if (!hasPermission(actor.role, permissions.accountabilityRead)) throw DomainError.forbidden();
    const visible = await this.scope.visibleOrgIds(actor);
    const rows = await this.prisma.accountabilityProposal.findMany({ where: { orgId: { in: visible }, status: 'PROPOSED' }, orderBy: { createdAt: 'asc' } });
    const [orgs, people] = await this.names(
      rows.map((r) => r.orgId),
      rows.map((r) => r.personId),
    );
    const year = new Date().getFullYear();
    const out = [];
    for (const g of groupProposals(rows)) {
      const first = g.proposals[0];
      const earlier = await this.earlierCase({ orgId: first.orgId, personId: first.personId }, year);
      out.push({
        key: g.key,
        target: {
          orgId: first.orgId,
          orgName: orgs.get(first.orgId) ?? '',
          personId: first.personId,
          personName: first.personId ? (people.get(first.personId) ?? '') : null,
        },
        repeat: !!earlier,
        earlierCase: earlier ? { id: earlier.id, title: earlier.title } : null,
        proposals: g.proposals.map((p) => ({
          id: p.id,
          trigger: p.trigger,
          triggerLabel: TRIGGER_LABELS[p.trigger] ?? p.trigger,
          sourceType: p.sourceType,
          sourceId: p.sourceId,
          evidence: p.evidence,
          createdAt: p.createdAt,
        })),
      });
    }
    return out;
  }

  private async names(orgIds: string[], personIds: (string | null)[]) {
    const [orgs, people] = await Promise.all([
      this.prisma.organization.findMany({ where: { id: { in: [...new Set(orgIds)] } }, select: { id: true, name: true } }),
      this.prisma.person.findMany({ where: { id: { in: [...new Set(personIds.filter((p): p is string => !!p))] } }, select: { id: true, name: true } }),
    ]);
    return [new Map(orgs.map((o) => [o.id, o.name])), new Map(people.map((p) => [p.id, p.name]))] as const;
  }

  /** The target's earlier case this year (not dismissed): a new one is a repeat (local rules treat it more heavily). */
  private earlierCase(t: { orgId: string; personId: string | null }, year: number, db: Pick<Tx, 'accountabilityCase'> = this.prisma) {
    return db.accountabilityCase.findFirst({
      where: { year, status: { not: 'DISMISSED' }, ...(t.personId ? { targetPersonId: t.personId } : { targetOrgId: t.orgId, targetPersonId: null }) },
      orderBy: { createdAt: 'asc' },
      select: { id: true, title: true },
    });
  }

  private assertManager(actor: Actor) {
    if (!hasPermission(actor.role, permissions.accountabilityManage)) throw DomainError.forbidden('只有党建办可以办理问责案件');
  }

  /** The target checked against the tree and the memberships: an organisation under this committee, the person serving there. */
  private async target(actor: Actor, orgId: string, personId: string | null | undefined) {
    const org = await this.prisma.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true } });
    if (!org || orgId === actor.orgId || !(await this.scope.canSee(actor, orgId)))
      throw DomainError.validation([{ field: 'orgId', message: '问责对象不在本党委管辖的组织中' }]);
    if (!personId) return { org, person: null, post: null };
    const m = await this.prisma.membership.findFirst({
      where: { personId, orgId, active: true },
      include: { person: { select: { id: true, name: true } } },
      orderBy: { createdAt: 'asc' },
    });
    if (!m) throw DomainError.validation([{ field: 'personId', message: `被问责人不在“${org.name}”任职` }]);
    return { org, person: m.person, post: m.post ?? (m.role === Role.BRANCH_SECRETARY ? '党支部书记' : m.role === Role.BRANCH_STAFF ? '支部委员' : null) };
  }

  async openManual(actor: Actor, dto: OpenCaseDto) {
    this.assertManager(actor);
    const t = await this.target(actor, dto.orgId, dto.personId);
    await this.assertFiles(dto.evidence.flatMap((e, i) => (e.files ?? []).map((ref, j) => ({ field: `evidence[${i}].files[${j}]`, ref }))));
    return this.open(actor, { orgId: t.org.id, personId: t.person?.id ?? null, post: t.post }, dto.title.trim(), 'MANUAL', [], dto.evidence);
  }

  /** Proposals about one target, grouped into one case; each proposal then names the case. */
  async openFromProposals(actor: Actor, dto: OpenFromProposalsDto) {
    this.assertManager(actor);
    const ids = [...new Set(dto.proposalIds)];
    const rows = await this.prisma.accountabilityProposal.findMany({ where: { id: { in: ids } } });
    const visible = new Set(await this.scope.visibleOrgIds(actor));
    if (rows.length !== ids.length || rows.some((p) => !visible.has(p.orgId))) throw DomainError.notFound('问责建议');
    if (rows.some((p) => p.status !== 'PROPOSED')) throw DomainError.conflict('所选问责建议中有已立案或已处理的，请刷新后重选');
    if (new Set(rows.map(targetKey)).size > 1)
      throw DomainError.validation([{ field: 'proposalIds', message: '所选问责建议涉及不同的对象，只能合并同一对象的建议' }]);
    const first = rows[0];
    const t = await this.target(actor, first.orgId, first.personId);
    const labels = [...new Set(rows.map((p) => TRIGGER_LABELS[p.trigger] ?? p.trigger))].join('、');
    const title = dto.title?.trim() || `${t.person ? `${t.org.name}${t.person.name}` : t.org.name}：${labels}`;
    return this.open(
      actor,
      { orgId: t.org.id, personId: t.person?.id ?? null, post: t.post },
      title,
      'PROPOSAL',
      rows.map((p) => p.id),
      [],
    );
  }

  private async open(
    actor: Actor,
    target: { orgId: string; personId: string | null; post: string | null },
    title: string,
    source: 'PROPOSAL' | 'MANUAL',
    proposalIds: string[],
    evidence: EvidenceDto[],
  ) {
    const year = new Date().getFullYear();
    const created = await this.audit.transaction(async (tx) => {
      // One serial at a time per committee and year.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`acc-case:${actor.orgId}:${year}`}))`;
      if (proposalIds.length) {
        const { count } = await tx.accountabilityProposal.updateMany({ where: { id: { in: proposalIds }, status: 'PROPOSED' }, data: { status: 'CASE' } });
        if (count !== proposalIds.length) throw DomainError.conflict('所选问责建议中有已立案或已处理的，请刷新后重选');
      }
      const earlier = await this.earlierCase({ orgId: target.orgId, personId: target.personId }, year, tx);
      const last = await tx.accountabilityCase.aggregate({ where: { orgId: actor.orgId, year }, _max: { serial: true } });
      const serial = (last._max.serial ?? 0) + 1;
      const id = randomUUID();
      const c = await tx.accountabilityCase.create({
        data: {
          id,
          orgId: actor.orgId,
          year,
          serial,
          title,
          targetOrgId: target.orgId,
          targetPersonId: target.personId,
          targetPost: target.post,
          source,
          evidence: json(evidence),
          repeatOfId: earlier?.id ?? null,
          workflowId: accountabilityCaseWorkflowId(id),
          createdById: actor.personId,
        },
      });
      if (proposalIds.length) await tx.accountabilityProposal.updateMany({ where: { id: { in: proposalIds } }, data: { caseId: c.id } });
      await this.audit.record(tx, {
        actor,
        action: 'accountability.case.open',
        entityType: 'accountability_case',
        entityId: c.id,
        data: {
          serial,
          targetOrgId: target.orgId,
          targetPersonId: target.personId ?? undefined,
          source,
          proposals: proposalIds,
          evidence: evidence.length,
          repeatOf: earlier?.id,
        },
      });
      return c;
    });
    await this.startWorkflow(created.id);
    return { id: created.id, serial: created.serial, repeat: !!created.repeatOfId, repeatOfId: created.repeatOfId, status: created.status };
  }

  async list(actor: Actor) {
    if (!hasPermission(actor.role, permissions.accountabilityRead)) throw DomainError.forbidden();
    const cases = await this.prisma.accountabilityCase.findMany({
      where: { orgId: { in: await this.scope.visibleOrgIds(actor) } },
      orderBy: [{ year: 'desc' }, { serial: 'desc' }],
    });
    const [orgs, people] = await this.names(
      cases.map((c) => c.targetOrgId),
      cases.map((c) => c.targetPersonId),
    );
    return cases.map((c) => ({
      id: c.id,
      number: `${c.year}-${String(c.serial).padStart(3, '0')}`,
      title: c.title,
      status: c.status,
      statusLabel: CASE_STATUS_LABELS[c.status],
      target: {
        orgId: c.targetOrgId,
        orgName: orgs.get(c.targetOrgId) ?? '',
        personId: c.targetPersonId,
        personName: c.targetPersonId ? (people.get(c.targetPersonId) ?? '') : null,
      },
      repeat: !!c.repeatOfId,
      createdAt: c.createdAt,
    }));
  }

  /** The whole case: proposals and their evidence, talks, findings, the defence, the decision, measures, tasks, the appeal. */
  async detail(actor: Actor, id: string) {
    const committee = actsForCommittee(actor);
    const c = committee ? await this.forCommittee(actor, id) : await this.forConcerned(actor, id);
    const [proposals, talks, findings, measures, appeal, tasks] = await Promise.all([
      this.prisma.accountabilityProposal.findMany({ where: { caseId: id }, orderBy: { createdAt: 'asc' } }),
      this.prisma.accountabilityTalk.findMany({ where: { caseId: id }, orderBy: { heldAt: 'asc' } }),
      committee ? this.prisma.accountabilityFinding.findMany({ where: { caseId: id }, orderBy: { createdAt: 'asc' } }) : Promise.resolve([]),
      this.prisma.accountabilityMeasure.findMany({ where: { caseId: id }, orderBy: { createdAt: 'asc' } }),
      this.prisma.accountabilityAppeal.findUnique({ where: { caseId: id } }),
      this.prisma.task.findMany({
        where: {
          kind: 'ACCOUNTABILITY',
          OR: [
            { originType: 'accountability_case', originId: id },
            { subjectType: 'accountability_case', subjectId: id },
          ],
        },
        orderBy: { createdAt: 'asc' },
        select: { id: true, title: true, status: true, dueAt: true, overdue: true, data: true, orgId: true, completedAt: true },
      }),
    ]);
    const [orgs, people] = await this.names([c.targetOrgId], [c.targetPersonId]);
    const document = c.documentId
      ? await this.prisma.document.findUnique({ where: { id: c.documentId }, select: { id: true, docNumber: true, title: true, kind: true } })
      : null;
    return {
      ...c,
      number: `${c.year}-${String(c.serial).padStart(3, '0')}`,
      statusLabel: CASE_STATUS_LABELS[c.status],
      target: {
        orgId: c.targetOrgId,
        orgName: orgs.get(c.targetOrgId) ?? '',
        personId: c.targetPersonId,
        personName: c.targetPersonId ? (people.get(c.targetPersonId) ?? '') : null,
        post: c.targetPost,
      },
      repeat: !!c.repeatOfId,
      proposals: proposals.map((p) => ({
        id: p.id,
        trigger: p.trigger,
        triggerLabel: TRIGGER_LABELS[p.trigger] ?? p.trigger,
        sourceType: p.sourceType,
        sourceId: p.sourceId,
        evidence: p.evidence,
        createdAt: p.createdAt,
      })),
      talks,
      findings,
      measures,
      appeal,
      tasks,
      document,
    };
  }

  async dismiss(actor: Actor, id: string, reason: string) {
    this.assertManager(actor);
    const c = await this.forCommittee(actor, id);
    this.assertStep(c, ['OPEN', 'INVESTIGATING', 'DEFENCE', 'DELIBERATING'], '撤案');
    await this.audit.transaction(async (tx) => {
      await this.move(
        tx,
        c,
        ['OPEN', 'INVESTIGATING', 'DEFENCE', 'DELIBERATING'],
        { status: 'DISMISSED', closeReason: reason.trim(), closedAt: new Date() },
        '撤案',
      );
      await this.tasks.cancel(tx, { where: { kind: 'ACCOUNTABILITY', originType: 'accountability_case', originId: id } }, '问责案件已撤案');
      // Its proposals are settled by the case, not offered again.
      await this.audit.record(tx, {
        actor,
        action: 'accountability.case.dismiss',
        entityType: 'accountability_case',
        entityId: id,
        data: { reason: reason.trim(), status: c.status },
      });
    });
    await this.signal(id);
    return { id, status: 'DISMISSED' };
  }

  // ---- talks ----

  /** 提醒谈话 / 约谈 / 诫勉谈话: who, when, minutes; each commitment becomes a follow-up task of the organisation concerned. */
  async recordTalk(actor: Actor, id: string, dto: TalkDto) {
    this.assertManager(actor);
    const c = await this.forCommittee(actor, id);
    this.assertStep(c, ['OPEN', 'INVESTIGATING', 'DEFENCE', 'DELIBERATING', 'EXECUTING'], '记录谈话');
    await this.assertCommitteePeople(actor, dto.talkerIds, 'talkerIds', '谈话人');
    const clock = await this.clock(id);
    const talkId = randomUUID();
    const now = new Date();
    const commitments = (dto.commitments ?? []).map((x, i) => ({
      text: x.text.trim(),
      dueAt: clock.after(now, { workdays: x.workdays }).toISOString(),
      taskId: randomUUID(),
      i,
    }));
    await this.audit.transaction(async (tx) => {
      await tx.accountabilityTalk.create({
        data: {
          id: talkId,
          caseId: id,
          kind: dto.kind,
          heldAt: new Date(dto.heldAt),
          talkerIds: [...new Set(dto.talkerIds)],
          minutes: dto.minutes.trim(),
          commitments: json(commitments.map(({ text, dueAt, taskId }) => ({ text, dueAt, taskId }))),
          createdById: actor.personId,
        },
      });
      await this.tasks.open(
        tx,
        commitments.map((x) => ({
          id: x.taskId,
          key: caseTaskKey.talk(id, talkId, x.i),
          kind: 'ACCOUNTABILITY' as const,
          subject: { type: 'accountability_case' as const, id },
          origin: { type: 'accountability_case' as const, id },
          orgId: c.targetOrgId,
          title: `谈话承诺事项：${x.text}`,
          dueAt: new Date(x.dueAt),
          workflowId: c.workflowId,
          data: { caseId: id, step: 'TALK' satisfies CaseTaskStep, talkId, personId: c.targetPersonId },
        })),
      );
      await this.notifications.notify(
        tx,
        commitments.map((x) => ({
          kind: 'ACC_TASK' as const,
          key: `acc-todo:${x.taskId}`,
          to: { orgId: c.targetOrgId },
          taskId: x.taskId,
          facts: { title: dto.kind, what: `落实承诺事项“${x.text}”`, deadline: shanghaiText(new Date(x.dueAt)) },
        })),
      );
      await this.audit.record(tx, {
        actor,
        action: 'accountability.talk.record',
        entityType: 'accountability_case',
        entityId: id,
        data: { talkId, kind: dto.kind, heldAt: new Date(dto.heldAt).toISOString(), commitments: commitments.length },
      });
    });
    await this.signal(id);
    return { id: talkId, commitments: commitments.map(({ text, dueAt, taskId }) => ({ text, dueAt, taskId })) };
  }

  /** A case handled by talks alone, without formal accountability: it follows the commitments and closes when they are done. */
  async concludeWithTalk(actor: Actor, id: string, reason: string) {
    this.assertManager(actor);
    const c = await this.forCommittee(actor, id);
    this.assertStep(c, ['OPEN', 'INVESTIGATING'], '以谈话方式了结');
    if (!(await this.prisma.accountabilityTalk.count({ where: { caseId: id } }))) throw DomainError.conflict('尚未记录谈话，不能以谈话方式了结');
    await this.audit.transaction(async (tx) => {
      await this.move(tx, c, ['OPEN', 'INVESTIGATING'], { status: 'EXECUTING', outcome: 'TALK', closeReason: reason.trim() }, '以谈话方式了结');
      await this.audit.record(tx, {
        actor,
        action: 'accountability.talk.conclude',
        entityType: 'accountability_case',
        entityId: id,
        data: { reason: reason.trim() },
      });
    });
    await this.signal(id);
    return { id, status: 'EXECUTING' };
  }

  // ---- investigation and defence ----

  private async assertCommitteePeople(actor: Actor, ids: string[], field: string, what: string) {
    const unique = [...new Set(ids)];
    const rows = await this.prisma.membership.findMany({
      where: { personId: { in: unique }, orgId: actor.orgId, active: true, person: { active: true } },
      select: { personId: true, role: true },
    });
    const ok = new Set(rows.filter((m) => hasPermission(m.role, permissions.accountabilityInvestigate)).map((m) => m.personId));
    const missing = unique.filter((p) => !ok.has(p));
    if (missing.length) {
      const people = await this.prisma.person.findMany({ where: { id: { in: missing } }, select: { name: true } });
      throw DomainError.validation([{ field, message: `${people.map((p) => `“${p.name}”`).join('、') || '所选人员'}不是本党委的工作人员，不能担任${what}` }]);
    }
    return unique;
  }

  async startInvestigation(actor: Actor, id: string, dto: InvestigationDto) {
    this.assertManager(actor);
    const c = await this.forCommittee(actor, id);
    this.assertStep(c, ['OPEN', 'INVESTIGATING'], '组成调查组');
    const team = await this.assertCommitteePeople(actor, dto.investigatorIds, 'investigatorIds', '调查组成员');
    if (team.length < 2) throw DomainError.validation([{ field: 'investigatorIds', message: '调查组至少需要两名不同的成员' }]);
    if (c.targetPersonId && team.includes(c.targetPersonId))
      throw DomainError.validation([{ field: 'investigatorIds', message: '被问责人不能担任调查组成员' }]);
    await this.audit.transaction(async (tx) => {
      await this.move(
        tx,
        c,
        ['OPEN', 'INVESTIGATING'],
        { status: 'INVESTIGATING', investigatorIds: team, investigationAt: c.investigationAt ?? new Date() },
        '组成调查组',
      );
      await this.audit.record(tx, {
        actor,
        action: 'accountability.investigation.start',
        entityType: 'accountability_case',
        entityId: id,
        data: { investigators: team },
      });
    });
    return { id, status: 'INVESTIGATING', investigatorIds: team };
  }

  /** A finding with its evidence, by a member of the investigation team. */
  async addFinding(actor: Actor, id: string, dto: FindingDto) {
    const c = await this.forCommittee(actor, id);
    this.assertStep(c, ['INVESTIGATING', 'DEFENCE', 'DELIBERATING'], '补充调查事实');
    if (!c.investigatorIds.includes(actor.personId)) throw DomainError.forbidden('只有调查组成员可以记录调查事实');
    await this.assertFiles((dto.files ?? []).map((ref, i) => ({ field: `files[${i}]`, ref })));
    const finding = await this.audit.transaction(async (tx) => {
      const f = await tx.accountabilityFinding.create({ data: { caseId: id, authorId: actor.personId, text: dto.text.trim(), files: json(dto.files ?? []) } });
      await this.audit.record(tx, {
        actor,
        action: 'accountability.finding.add',
        entityType: 'accountability_case',
        entityId: id,
        data: { findingId: f.id, files: dto.files?.length ?? 0 },
      });
      return f;
    });
    return { id: finding.id };
  }

  /** The person concerned is told and may state their case in writing by a deadline in working days. */
  async askDefence(actor: Actor, id: string, dto: AskDefenceDto) {
    this.assertManager(actor);
    const c = await this.forCommittee(actor, id);
    this.assertStep(c, ['INVESTIGATING'], '告知陈述申辩');
    if (!(await this.prisma.accountabilityFinding.count({ where: { caseId: id } }))) throw DomainError.conflict('调查组尚未记录调查事实，不能告知陈述申辩');
    const workdays = dto.workdays ?? CASE_SETTINGS.defenceWorkdays;
    const now = new Date();
    const dueAt = (await this.clock(id)).after(now, { workdays });
    const taskId = randomUUID();
    await this.audit.transaction(async (tx) => {
      await this.move(tx, c, ['INVESTIGATING'], { status: 'DEFENCE', defenceAskedAt: now, defenceDueAt: dueAt }, '告知陈述申辩');
      await this.tasks.open(tx, [
        {
          id: taskId,
          key: caseTaskKey.defence(id),
          kind: 'ACCOUNTABILITY',
          subject: { type: 'accountability_case', id },
          origin: { type: 'accountability_case', id },
          orgId: c.targetOrgId,
          title: `陈述申辩：${c.title}`,
          dueAt,
          workflowId: c.workflowId,
          data: { caseId: id, step: 'DEFENCE' satisfies CaseTaskStep, personId: c.targetPersonId },
        },
      ]);
      await this.notifications.notify(tx, [
        { kind: 'ACC_DEFENCE_ASKED', key: `acc-defence:${id}`, to: { orgId: c.targetOrgId }, taskId, facts: { title: c.title, deadline: shanghaiText(dueAt) } },
      ]);
      await this.audit.record(tx, {
        actor,
        action: 'accountability.defence.ask',
        entityType: 'accountability_case',
        entityId: id,
        data: { dueAt: dueAt.toISOString(), workdays },
      });
    });
    await this.signal(id);
    return { id, status: 'DEFENCE', defenceDueAt: dueAt };
  }

  /** 陈述申辩 by the person concerned (or, for an organisation, its branch), kept with the case; late ones are kept and marked. */
  async submitDefence(actor: Actor, id: string, dto: DefenceDto) {
    const c = await this.forConcerned(actor, id);
    if (c.targetPersonId && c.targetPersonId !== actor.personId) throw DomainError.forbidden('只有被问责人本人可以提交陈述申辩');
    this.assertStep(c, ['DEFENCE', 'DELIBERATING'], '提交陈述申辩');
    if (c.defenceAt) throw DomainError.conflict('已经提交过陈述申辩');
    await this.assertFiles((dto.files ?? []).map((ref, i) => ({ field: `files[${i}]`, ref })));
    const now = new Date();
    const late = !!c.defenceDueAt && now > c.defenceDueAt;
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.accountabilityCase.updateMany({
        where: { id, status: { in: ['DEFENCE', 'DELIBERATING'] }, defenceAt: null },
        data: { status: 'DELIBERATING', defence: dto.statement.trim(), defenceFiles: json(dto.files ?? []), defenceAt: now, defenceById: actor.personId },
      });
      if (!count) throw DomainError.conflict('已经提交过陈述申辩，或案件已作出决定');
      await this.tasks.complete(tx, { keys: [caseTaskKey.defence(id)] }, actor.personId);
      await this.audit.record(tx, {
        actor,
        action: 'accountability.defence.submit',
        entityType: 'accountability_case',
        entityId: id,
        data: { late, files: dto.files?.length ?? 0 },
      });
    });
    await this.signal(id);
    return { id, status: 'DELIBERATING', late };
  }

  async assertFiles(refs: { field: string; ref: { name: string; mimeType: string; size: number; sha256: string } }[]): Promise<void> {
    await this.files.assertStored(refs);
  }
}

/** Committee capacities read the whole case; a branch reads its own (without the investigators' working notes). */
export const actsForCommittee = (actor: Actor) => !BRANCH_ROLES.includes(actor.role);
