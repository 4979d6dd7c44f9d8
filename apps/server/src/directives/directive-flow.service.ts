import { Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { canonicalJson } from '../audit/audit-hash';
import { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { addWorkingHours, atLocalTime, shanghaiDay } from '../calendar/working-calendar';
import { DocumentsService } from '../documents/documents.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { ApprovalStage, Directive, OrgKind, Role, Prisma } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import { NotificationsService } from '../notifications/notifications.service';
import { Drills } from '../tasks/drills';
import { TaskFlowService } from '../tasks/task-flow.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import {
  closeReceiptSignal,
  receiptWorkflowId,
  type ActiveStep,
  type ChainPlan,
  type DecisionOutcome,
  type ReceiptInput,
} from '../../../../workflows/directive/directive.definitions';
import { closeFilingSignal } from '../../../../workflows/filing/filing.definitions';
import { FilingFlowService } from '../filings/filing-flow.service';
import { ChainConfig, DistributionConfig, planOf, STAGE_LABELS, stagesOf } from './chain';

const START_CONCURRENCY = 32;
/** Receipt task rows per insert (and per audit record). */
const TASK_INSERT_BATCH = 250;
export const receiptKey = (directiveId: string, orgId: string) => `receipt:${directiveId}:${orgId}`;
const sameText = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * The database side of the directive and receipt workflows. Every method is an activity body:
 * idempotent (unique keys, status guards), so a retry or a worker restart never duplicates a row.
 */
@Injectable()
export class DirectiveFlowService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly documents: DocumentsService,
    private readonly scope: OrgScopeService,
    private readonly temporal: TemporalClientService,
    private readonly filings: FilingFlowService,
    private readonly tasks: TaskFlowService,
    private readonly notifications: NotificationsService,
  ) {}

  private async directive(id: string): Promise<Directive & { document: { title: string } }> {
    return this.prisma.directive.findUniqueOrThrow({ where: { id }, include: { document: { select: { title: true } } } });
  }

  private async createSteps(tx: Tx, d: Directive, round: number, version: number): Promise<void> {
    for (const s of stagesOf(d.chain as unknown as ChainConfig)) {
      for (const [k, assigneeId] of s.assignees.entries()) {
        await tx.approvalStep.upsert({
          where: { directiveId_round_stage_seq: { directiveId: d.id, round, stage: s.stage as ApprovalStage, seq: s.seqs[k] } },
          create: { directiveId: d.id, round, stage: s.stage as ApprovalStage, seq: s.seqs[k], assigneeId, version },
          update: {},
        });
      }
    }
  }

  async startReview(directiveId: string): Promise<ChainPlan> {
    return this.audit.transaction(async (tx) => {
      const d = await tx.directive.findUniqueOrThrow({ where: { id: directiveId } });
      await this.createSteps(tx, d, d.round, d.version);
      return planOf(d.chain as unknown as ChainConfig, d.drafterId, d.version, d.round);
    });
  }

  /**
   * A resubmission after a return: the next round of steps on the new version. Approvals count only for the text
   * they were given on: restarting from the returning step keeps the earlier approvals only when the text is the one
   * they saw; a changed text goes through the whole chain again.
   */
  async startRound(directiveId: string, version: number): Promise<ChainPlan> {
    return this.audit.transaction(async (tx) => {
      const d = await tx.directive.findUniqueOrThrow({ where: { id: directiveId } });
      const chain = d.chain as unknown as ChainConfig;
      // Retried activity: the round was already opened for this version.
      const opened = d.status === 'IN_REVIEW' && (await tx.approvalStep.count({ where: { directiveId, round: d.round, version } })) > 0;
      const round = opened ? d.round : d.round + 1;
      let restartFrom = chain.restartFrom;
      if (restartFrom === 'RETURNING_STEP') {
        const previous = await tx.approvalStep.findFirst({ where: { directiveId, round: round - 1 }, select: { version: true } });
        const models = await tx.directiveVersion.findMany({
          where: { directiveId, version: { in: [previous?.version ?? -1, version] } },
          select: { version: true, model: true },
        });
        const before = models.find((m) => m.version === previous?.version);
        const now = models.find((m) => m.version === version);
        if (!before || !now || !sameText(before.model, now.model)) restartFrom = 'START';
      }
      if (!opened) {
        await tx.directive.update({ where: { id: directiveId }, data: { status: 'IN_REVIEW', round } });
        await this.audit.record(tx, {
          actor: null,
          action: 'directive.round',
          entityType: 'directive',
          entityId: directiveId,
          data: { round, version, restartFrom },
        });
      }
      await this.createSteps(tx, { ...d, round, version }, round, version);
      return { ...planOf(chain, d.drafterId, version, round), restartFrom };
    });
  }

  async activateStage(directiveId: string, round: number, stageIndex: number): Promise<ActiveStep[]> {
    return this.audit.transaction(async (tx) => {
      const d = await tx.directive.findUniqueOrThrow({ where: { id: directiveId }, include: { document: { select: { title: true } } } });
      const stage = stagesOf(d.chain as unknown as ChainConfig)[stageIndex];
      const steps = await tx.approvalStep.findMany({
        where: { directiveId, round, stage: stage.stage as ApprovalStage, seq: { in: stage.seqs } },
        orderBy: { seq: 'asc' },
      });
      const out: ActiveStep[] = [];
      for (const step of steps) {
        if (step.status === 'WAITING') {
          await tx.approvalStep.update({ where: { id: step.id }, data: { status: 'PENDING' } });
          await this.tasks.open(tx, [
            {
              key: `approval:${step.id}`,
              kind: 'APPROVAL',
              subject: { type: 'approval_step', id: step.id },
              origin: { type: 'directive', id: directiveId },
              orgId: d.orgId,
              assigneeId: step.assigneeId,
              title: `${STAGE_LABELS[stage.stage]}：${d.document.title}`,
              data: { stepId: step.id, stage: stage.stage, round, version: step.version },
            },
          ]);
          await this.audit.record(tx, {
            actor: null,
            action: 'directive.step.pending',
            entityType: 'directive',
            entityId: directiveId,
            data: { stepId: step.id, stage: stage.stage, assigneeId: step.assigneeId, round },
          });
        }
        out.push({ stepId: step.id, stage: stage.stage, assigneeId: step.assigneeId, decided: step.status === 'APPROVED' || step.status === 'RETURNED' });
      }
      return out;
    });
  }

  /**
   * One decision on one step, recorded once. A retry of the same decision is harmless; a step already decided
   * otherwise, a stale version or a directive no longer in review is refused with the reason (never silently kept).
   */
  async recordDecision(a: {
    directiveId: string;
    stepId: string;
    personId: string;
    decision: 'APPROVE' | 'RETURN';
    comment: string;
    version: number;
  }): Promise<DecisionOutcome> {
    const d = await this.directive(a.directiveId);
    const actor = await this.scope.actorIn(a.personId, d.orgId);
    const status = a.decision === 'APPROVE' ? 'APPROVED' : 'RETURNED';
    return this.audit.transaction(async (tx) => {
      // The directive row is the lock: decisions on one directive commit one after another.
      const [current] = await tx.$queryRaw<{ status: string; version: number }[]>`
        SELECT status::text, version FROM directive WHERE id = ${a.directiveId}::uuid FOR UPDATE`;
      const step = await tx.approvalStep.findUniqueOrThrow({ where: { id: a.stepId } });
      if (step.status === status && step.assigneeId === a.personId && step.decidedAt) return { recorded: true }; // retried
      if (step.status !== 'PENDING') return { recorded: false, reason: '该步骤已经办理过' };
      if (current.status !== 'IN_REVIEW') return { recorded: false, reason: '该发文当前不在审批中' };
      if (a.version !== current.version || step.version !== current.version)
        return { recorded: false, reason: `文稿已更新为第 ${current.version} 版，请刷新后再办理` };
      await tx.approvalStep.update({ where: { id: step.id }, data: { status, comment: a.comment || null, decidedAt: new Date() } });
      await this.tasks.complete(tx, { keys: [`approval:${step.id}`] }, a.personId);
      await this.audit.record(tx, {
        actor,
        action: a.decision === 'APPROVE' ? 'directive.approve' : 'directive.return',
        entityType: 'directive',
        entityId: d.id,
        data: { stepId: step.id, stage: step.stage, round: step.round, version: step.version, comment: a.comment },
      });
      if (a.decision === 'RETURN') {
        const others = await tx.approvalStep.findMany({
          where: { directiveId: d.id, round: step.round, status: { in: ['PENDING', 'WAITING'] } },
          select: { id: true },
        });
        await tx.approvalStep.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { status: 'CANCELLED' } });
        await this.tasks.cancel(tx, { keys: others.map((o) => `approval:${o.id}`) });
        await tx.directive.update({ where: { id: d.id }, data: { status: 'RETURNED' } });
        await this.notifications.notify(tx, [
          {
            kind: 'RETURNED',
            key: `returned:${step.id}`,
            to: { orgId: d.orgId, personId: d.drafterId },
            subject: { type: 'directive', id: d.id },
            facts: { title: d.document.title, by: actor.name, comment: a.comment },
          },
        ]);
      }
      return { recorded: true };
    });
  }

  /** When the pending steps are next reminded: N working hours later, or (drills) N seconds. */
  async reminderDue(directiveId: string, since: Date): Promise<number> {
    const d = await this.prisma.directive.findUniqueOrThrow({ where: { id: directiveId } });
    const drill = Drills.secondsFor(directiveId);
    if (drill) return since.getTime() + drill * 1000;
    return addWorkingHours(await this.calendar.calendar(), since, d.reminderWorkingHours).getTime();
  }

  async remindPending(directiveId: string, stepIds: string[]): Promise<number> {
    const d = await this.directive(directiveId);
    return this.audit.transaction(async (tx) => {
      const steps = await tx.approvalStep.findMany({ where: { id: { in: stepIds }, status: 'PENDING' } });
      for (const step of steps) {
        const n = step.remindedCount + 1;
        await tx.approvalStep.update({ where: { id: step.id }, data: { remindedCount: n, lastRemindedAt: new Date() } });
        const task = await tx.task.findUniqueOrThrow({ where: { key: `approval:${step.id}` }, select: { id: true } });
        await this.tasks.remind(tx, task.id, new Date().toISOString(), {
          kind: 'APPROVAL_REMINDER',
          key: `remind:${step.id}:${n}`,
          to: { orgId: d.orgId, personId: step.assigneeId },
          taskId: task.id,
          facts: { title: d.document.title, stage: STAGE_LABELS[step.stage], count: n },
        });
        await this.audit.record(tx, {
          actor: null,
          action: 'directive.remind',
          entityType: 'directive',
          entityId: directiveId,
          data: { stepId: step.id, count: n },
        });
      }
      return steps.length;
    });
  }

  async withdraw(directiveId: string, personId: string, reason: string): Promise<void> {
    const d = await this.directive(directiveId);
    const actor = await this.scope.actorIn(personId, d.orgId);
    await this.audit.transaction(async (tx) => {
      if (d.status === 'WITHDRAWN') return;
      await tx.directive.update({ where: { id: directiveId }, data: { status: 'WITHDRAWN' } });
      const open = await tx.approvalStep.findMany({ where: { directiveId, status: { in: ['PENDING', 'WAITING'] } }, select: { id: true } });
      await tx.approvalStep.updateMany({ where: { id: { in: open.map((o) => o.id) } }, data: { status: 'CANCELLED' } });
      await this.tasks.cancel(tx, { where: { originType: 'directive', originId: directiveId } });
      await this.audit.record(tx, { actor, action: 'directive.withdraw', entityType: 'directive', entityId: directiveId, data: { reason } });
    });
  }

  /**
   * 签发: the signature, the document number and the directive's status in one transaction, so a retried activity
   * (or a worker that died half-way) finds either nothing done or everything done. Only what the chain approved is
   * signed: the signer's step approved on the current version, and the document's text that version's text.
   */
  async signDirective(directiveId: string, signerId: string): Promise<{ docNumber: string | null }> {
    const d = await this.prisma.directive.findUniqueOrThrow({ where: { id: directiveId } });
    const signer = await this.scope.actorIn(signerId, d.orgId, Role.COMMITTEE_SECRETARY);
    return this.audit.transaction(
      async (tx) => {
        const [locked] = await tx.$queryRaw<{ status: string; version: number }[]>`
          SELECT status::text, version FROM directive WHERE id = ${directiveId}::uuid FOR UPDATE`;
        const doc = await tx.document.findUniqueOrThrow({ where: { id: d.documentId } });
        if (locked.status !== 'IN_REVIEW') {
          if (doc.docNumber && ['SIGNED', 'ISSUED', 'REVOKED'].includes(locked.status)) return { docNumber: doc.docNumber }; // retried
          throw new Error(`发文状态为 ${locked.status}，不能签发`);
        }
        // Any return needs a new version, so an approval of the signing step on the current version is this round's.
        const signed = await tx.approvalStep.findFirst({
          where: { directiveId, stage: 'SIGN', assigneeId: signerId, status: 'APPROVED', version: locked.version },
        });
        if (!signed) throw new Error(`签发人尚未同意第 ${locked.version} 版`);
        const text = await tx.directiveVersion.findUnique({ where: { directiveId_version: { directiveId, version: locked.version } } });
        if (!text || !sameText(text.model, doc.model)) throw new Error(`公文内容与审批的第 ${locked.version} 版不一致`);
        const done = await this.documents.signIn(tx, signer, d.documentId, { id: directiveId, version: locked.version });
        await tx.directive.update({ where: { id: directiveId }, data: { status: 'SIGNED' } });
        await this.audit.record(tx, {
          actor: signer,
          action: 'directive.sign',
          entityType: 'directive',
          entityId: directiveId,
          data: { docNumber: done.docNumber as string, version: locked.version },
        });
        return { docNumber: done.docNumber };
      },
      { timeout: 30_000 },
    );
  }

  async issueDocument(directiveId: string): Promise<{ sha256: string }> {
    const d = await this.prisma.directive.findUniqueOrThrow({ where: { id: directiveId }, include: { document: true } });
    const signer = d.document.signedById ? await this.scope.actorIn(d.document.signedById, d.orgId, Role.COMMITTEE_SECRETARY) : null;
    const { sha256 } = await this.documents.issuePdf(signer, d.documentId);
    await this.prisma.directive.updateMany({ where: { id: directiveId, issuedAt: null }, data: { issuedAt: new Date() } });
    return { sha256 };
  }

  /** Resolves the addressed branches once, so every batch (and every retry) sees the same list. */
  async planDistribution(directiveId: string): Promise<{ total: number }> {
    const d = await this.prisma.directive.findUniqueOrThrow({ where: { id: directiveId } });
    const dist = d.distribution as unknown as DistributionConfig;
    if (dist.resolved) return { total: dist.resolved.length };
    const subtree = await this.scope.subtreeIds(d.orgId);
    const where: Prisma.OrganizationWhereInput = { id: { in: subtree }, active: true, kind: { not: OrgKind.COMMITTEE } };
    if (dist.mode === 'KINDS') where.kind = { in: (dist.kinds ?? []) as OrgKind[] };
    if (dist.mode === 'LIST') where.id = { in: (dist.orgIds ?? []).filter((id) => subtree.includes(id)) };
    const orgs = await this.prisma.organization.findMany({ where, select: { id: true }, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
    const resolved = orgs.map((o) => o.id);
    const withDoc = await this.directive(directiveId);
    const { dueAt } = await this.receiptSchedule(withDoc);
    await this.audit.transaction(
      async (tx) => {
        await tx.directive.update({
          where: { id: directiveId },
          data: { distribution: { ...dist, resolved } as unknown as Prisma.InputJsonValue, recipientCount: resolved.length },
        });
        await this.audit.record(tx, {
          actor: null,
          action: 'directive.distribution.plan',
          entityType: 'directive',
          entityId: directiveId,
          data: { mode: dist.mode, count: resolved.length },
        });
        // Every branch's task row with the plan, so the branches see the directive at once; the batches then
        // start the workflows. Until the last one has, acknowledging answers "正在分发" (DirectivesService).
        for (let offset = 0; offset < resolved.length; offset += TASK_INSERT_BATCH) {
          await this.insertReceiptTasks(tx, withDoc, resolved.slice(offset, offset + TASK_INSERT_BATCH), dueAt);
          await this.filings.insertFilings(tx, withDoc, resolved.slice(offset, offset + TASK_INSERT_BATCH));
        }
      },
      { timeout: 60_000 },
    );
    return { total: resolved.length };
  }

  /** Receipt task rows for some branches (existing ones are skipped). */
  private async insertReceiptTasks(tx: Tx, d: Directive & { document: { title: string } }, orgIds: string[], dueAt: Date): Promise<void> {
    await this.tasks.open(
      tx,
      orgIds.map((orgId) => ({
        key: receiptKey(d.id, orgId),
        kind: 'RECEIPT' as const,
        subject: { type: 'directive' as const, id: d.id },
        origin: { type: 'directive' as const, id: d.id },
        orgId,
        title: `签收：${d.document.title}`,
        dueAt,
        workflowId: receiptWorkflowId(receiptKey(d.id, orgId)),
      })),
    );
  }

  /** What a branch's receipt workflow starts with: its task, deadline and reminders (for a start on first use too). */
  async receiptInput(taskId: string): Promise<ReceiptInput> {
    const task = await this.prisma.task.findUniqueOrThrow({ where: { id: taskId } });
    const d = await this.prisma.directive.findUniqueOrThrow({ where: { id: task.subjectId } });
    const { dueAt, reminders } = await this.receiptSchedule(d);
    return { taskId, dueAt: (task.dueAt ?? dueAt).toISOString(), reminders: reminders.map((r) => r.toISOString()) };
  }

  /** Deadline and reminders of a receipt: N working days after issue at 17:30, reminded the working day before and on the day at 09:00. */
  private async receiptSchedule(d: Directive): Promise<{ dueAt: Date; reminders: Date[] }> {
    const issued = d.issuedAt ?? new Date();
    const drill = Drills.secondsFor(d.id);
    if (drill) {
      const s = drill * 1000;
      return { dueAt: new Date(issued.getTime() + 3 * s), reminders: [new Date(issued.getTime() + s), new Date(issued.getTime() + 2 * s)] };
    }
    const cal = await this.calendar.calendar();
    const dueDay = cal.addWorkdays(shanghaiDay(issued), d.receiptWorkdays);
    const reminders = [atLocalTime(cal.addWorkdays(dueDay, -1), '09:00'), atLocalTime(dueDay, '09:00')].filter((r) => r > issued);
    return { dueAt: atLocalTime(dueDay, '17:30'), reminders };
  }

  /** One batch of the fan-out: one receipt workflow per task, started a few dozen at a time. */
  async distributeBatch(directiveId: string, offset: number, limit: number, heartbeat: (done: number) => void): Promise<{ done: number }> {
    const d = await this.directive(directiveId);
    const orgIds = ((d.distribution as unknown as DistributionConfig).resolved ?? []).slice(offset, offset + limit);
    const { dueAt, reminders } = await this.receiptSchedule(d);
    // The rows came with the plan; inserting again (skipping existing rows) keeps a retry from ever losing one.
    const tasks = await this.audit.transaction(async (tx) => {
      await this.insertReceiptTasks(tx, d, orgIds, dueAt);
      await this.filings.insertFilings(tx, d, orgIds);
      return tx.task.findMany({ where: { key: { in: orgIds.map((orgId) => receiptKey(directiveId, orgId)) } }, select: { id: true, key: true } });
    });
    heartbeat(0);
    const client = await this.temporal.client();
    let started = 0;
    await inParallel(tasks, START_CONCURRENCY, async (t) => {
      try {
        await client.workflow.start('receiptWorkflow', {
          taskQueue: this.temporal.taskQueue,
          workflowId: receiptWorkflowId(t.key),
          args: [{ taskId: t.id, dueAt: dueAt.toISOString(), reminders: reminders.map((r) => r.toISOString()) } satisfies ReceiptInput],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      if (++started % 50 === 0) heartbeat(started);
    });
    await this.filings.startFilingWorkflows(directiveId, orgIds, () => {
      if (++started % 50 === 0) heartbeat(started);
    });
    return { done: tasks.length };
  }

  async markIssued(directiveId: string): Promise<void> {
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.directive.updateMany({ where: { id: directiveId, status: 'SIGNED' }, data: { status: 'ISSUED' } });
      if (count) await this.audit.record(tx, { actor: null, action: 'directive.issued', entityType: 'directive', entityId: directiveId });
    });
  }

  /** 废止: closes every open branch task, tells the branches, and stops their receipt and filing workflows. */
  async revoke(directiveId: string, personId: string, reason: string, heartbeat: (n: number) => void): Promise<{ closedTasks: number }> {
    const d = await this.directive(directiveId);
    const actor = await this.scope.actorIn(personId, d.orgId, Role.COMMITTEE_SECRETARY);
    const open = await this.audit.transaction(async (tx) => {
      const tasks = await tx.task.findMany({
        where: { originType: 'directive', originId: directiveId, kind: { in: ['RECEIPT', 'FILING'] }, status: 'OPEN' },
        select: { id: true, key: true, orgId: true, kind: true, subjectId: true, data: true },
      });
      // A submitted filing's open task is its reviewers' 审核 task: the filing closes too, and its workflow is told.
      const review = (t: (typeof tasks)[number]) => (t.data as { review?: boolean } | null)?.review === true;
      await tx.filing.updateMany({
        where: { OR: [{ taskId: { in: tasks.map((t) => t.id) } }, { id: { in: tasks.filter(review).map((t) => t.subjectId) }, status: 'SUBMITTED' }] },
        data: { status: 'CLOSED' },
      });
      await this.tasks.cancel(tx, { ids: tasks.map((t) => t.id) });
      const recipients = ((d.distribution as unknown as DistributionConfig).resolved ?? []) as string[];
      await this.notifications.notify(
        tx,
        recipients.map((orgId) => ({
          kind: 'REVOKED' as const,
          key: `revoked:${directiveId}:${orgId}`,
          to: { orgId },
          subject: { type: 'directive' as const, id: directiveId },
          facts: { title: d.document.title, reason },
        })),
      );
      if (d.status !== 'REVOKED') {
        await tx.directive.update({ where: { id: directiveId }, data: { status: 'REVOKED', revokedAt: new Date(), revokeReason: reason } });
        await this.audit.record(tx, {
          actor,
          action: 'directive.revoke',
          entityType: 'directive',
          entityId: directiveId,
          data: { reason, closedTasks: tasks.length },
        });
      }
      // One signal per workflow: a review task stands for its filing's workflow, named after the branch's task key.
      const workflows = new Map<string, { key: string; kind: string }>();
      for (const t of tasks) {
        const key = review(t) ? (t.data as { filingTaskKey?: string }).filingTaskKey : t.key;
        if (key) workflows.set(key, { key, kind: t.kind });
      }
      return { workflows: [...workflows.values()], closed: tasks.length };
    });
    const client = await this.temporal.client();
    let n = 0;
    await inParallel(open.workflows, START_CONCURRENCY, async (t) => {
      // Receipt and filing workflows are both named after their task's key.
      const handle = client.workflow.getHandle(receiptWorkflowId(t.key));
      const sent = t.kind === 'FILING' ? handle.signal(closeFilingSignal, { reason }) : handle.signal(closeReceiptSignal, { reason });
      await sent.catch((err) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
      if (++n % 50 === 0) heartbeat(n);
    });
    return { closedTasks: open.closed };
  }

  async acknowledgeReceipt(taskId: string, personId: string): Promise<void> {
    const task = await this.prisma.task.findUniqueOrThrow({ where: { id: taskId } });
    const actor = await this.scope.actorIn(personId, task.orgId);
    await this.audit.transaction(async (tx) => {
      if (await this.tasks.complete(tx, { ids: [taskId] }, personId))
        await this.audit.record(tx, {
          actor,
          action: 'receipt.acknowledge',
          entityType: 'task',
          entityId: taskId,
          data: { directiveId: task.subjectId, orgId: task.orgId },
        });
    });
  }

  async remindTask(taskId: string, at: string): Promise<void> {
    await this.audit.transaction(async (tx) => {
      const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
      await this.tasks.remind(tx, taskId, at, {
        kind: 'REMINDER',
        key: `remind:${taskId}:${at}`,
        to: { orgId: task.orgId },
        taskId,
        facts: { what: task.title },
      });
    });
  }

  async markOverdue(taskId: string): Promise<void> {
    await this.audit.transaction(async (tx) => {
      const task = await tx.task.findUniqueOrThrow({ where: { id: taskId }, include: { org: true } });
      const directive = task.originType === 'directive' && task.originId ? await tx.directive.findUnique({ where: { id: task.originId } }) : null;
      await this.tasks.markOverdue(
        tx,
        taskId,
        directive
          ? [{ kind: 'OVERDUE', key: `overdue:${taskId}`, to: { orgId: directive.orgId }, taskId, facts: { orgName: task.org.name, what: task.title } }]
          : [],
      );
    });
  }
}
