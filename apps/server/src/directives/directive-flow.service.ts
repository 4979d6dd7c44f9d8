import { Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { addWorkingHours, atLocalTime, shanghaiDay } from '../calendar/working-calendar';
import { DocumentsService } from '../documents/documents.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { ApprovalStage, Directive, OrgKind, Role, Prisma } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { closeReceiptSignal, receiptWorkflowId, type ActiveStep, type ChainPlan } from '../../../../workflows/directive/directive.definitions';
import { closeFilingSignal } from '../../../../workflows/filing/filing.definitions';
import { FilingFlowService } from '../filings/filing-flow.service';
import type { receiptWorkflow } from '../../../../workflows/directive/receipt.workflow';
import { ChainConfig, DistributionConfig, planOf, STAGE_LABELS, stagesOf } from './chain';

const START_CONCURRENCY = 32;
/** Receipt task rows per insert (and per audit record). */
const TASK_INSERT_BATCH = 250;
const receiptKey = (directiveId: string, orgId: string) => `receipt:${directiveId}:${orgId}`;

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
  private readonly logger = new Logger('DirectiveFlow');

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly documents: DocumentsService,
    private readonly scope: OrgScopeService,
    private readonly temporal: TemporalClientService,
    private readonly filings: FilingFlowService,
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

  /** A resubmission after a return: the next round of steps on the new version. */
  async startRound(directiveId: string, version: number): Promise<ChainPlan> {
    return this.audit.transaction(async (tx) => {
      const d = await tx.directive.findUniqueOrThrow({ where: { id: directiveId } });
      // Retried activity: the round was already opened for this version.
      const opened = d.status === 'IN_REVIEW' && (await tx.approvalStep.count({ where: { directiveId, round: d.round, version } })) > 0;
      const round = opened ? d.round : d.round + 1;
      if (!opened) {
        await tx.directive.update({ where: { id: directiveId }, data: { status: 'IN_REVIEW', round } });
        await this.audit.record(tx, { actor: null, action: 'directive.round', entityType: 'directive', entityId: directiveId, data: { round, version } });
      }
      const fresh = { ...d, round, version };
      await this.createSteps(tx, fresh, round, version);
      return planOf(d.chain as unknown as ChainConfig, d.drafterId, version, round);
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
          await tx.task.upsert({
            where: { key: `approval:${step.id}` },
            create: {
              key: `approval:${step.id}`,
              kind: 'APPROVAL',
              directiveId,
              orgId: d.orgId,
              assigneeId: step.assigneeId,
              title: `${STAGE_LABELS[stage.stage]}：${d.document.title}`,
              data: { stepId: step.id, stage: stage.stage, round },
            },
            update: {},
          });
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

  async recordDecision(a: { directiveId: string; stepId: string; personId: string; decision: 'APPROVE' | 'RETURN'; comment: string }): Promise<void> {
    const d = await this.directive(a.directiveId);
    const actor = await this.scope.actorIn(a.personId, d.orgId);
    await this.audit.transaction(async (tx) => {
      const step = await tx.approvalStep.findUniqueOrThrow({ where: { id: a.stepId } });
      if (step.status !== 'PENDING') return; // retried after it was recorded
      const status = a.decision === 'APPROVE' ? 'APPROVED' : 'RETURNED';
      await tx.approvalStep.update({ where: { id: step.id }, data: { status, comment: a.comment || null, decidedAt: new Date() } });
      await tx.task.updateMany({
        where: { key: `approval:${step.id}`, status: 'OPEN' },
        data: { status: 'DONE', completedAt: new Date(), completedById: a.personId },
      });
      await this.audit.record(tx, {
        actor,
        action: a.decision === 'APPROVE' ? 'directive.approve' : 'directive.return',
        entityType: 'directive',
        entityId: d.id,
        data: { stepId: step.id, stage: step.stage, round: step.round, comment: a.comment },
      });
      if (a.decision === 'RETURN') {
        const others = await tx.approvalStep.findMany({
          where: { directiveId: d.id, round: step.round, status: { in: ['PENDING', 'WAITING'] } },
          select: { id: true },
        });
        await tx.approvalStep.updateMany({ where: { id: { in: others.map((o) => o.id) } }, data: { status: 'CANCELLED' } });
        await tx.task.updateMany({
          where: { key: { in: others.map((o) => `approval:${o.id}`) }, status: 'OPEN' },
          data: { status: 'CANCELLED', completedAt: new Date() },
        });
        await tx.directive.update({ where: { id: d.id }, data: { status: 'RETURNED' } });
        await tx.notification.create({
          data: {
            key: `returned:${step.id}`,
            personId: d.drafterId,
            orgId: d.orgId,
            kind: 'RETURNED',
            message: `《${d.document.title}》被${actor.name}退回修改：${a.comment}`,
          },
        });
      }
    });
  }

  /** When the pending steps are next reminded: N working hours later, or (drills) N seconds. */
  async reminderDue(directiveId: string, since: Date): Promise<number> {
    const d = await this.prisma.directive.findUniqueOrThrow({ where: { id: directiveId } });
    if (d.reminderAfterSeconds) return since.getTime() + d.reminderAfterSeconds * 1000;
    return addWorkingHours(await this.calendar.calendar(), since, d.reminderWorkingHours).getTime();
  }

  async remindPending(directiveId: string, stepIds: string[]): Promise<number> {
    const d = await this.directive(directiveId);
    return this.audit.transaction(async (tx) => {
      const steps = await tx.approvalStep.findMany({ where: { id: { in: stepIds }, status: 'PENDING' } });
      for (const step of steps) {
        const n = step.remindedCount + 1;
        await tx.approvalStep.update({ where: { id: step.id }, data: { remindedCount: n, lastRemindedAt: new Date() } });
        await tx.task.updateMany({ where: { key: `approval:${step.id}` }, data: { remindedCount: n } });
        await tx.notification.upsert({
          where: { key: `remind:${step.id}:${n}` },
          create: {
            key: `remind:${step.id}:${n}`,
            personId: step.assigneeId,
            orgId: d.orgId,
            kind: 'REMINDER',
            message: `请尽快办理《${d.document.title}》的${STAGE_LABELS[step.stage]}（第 ${n} 次提醒）`,
          },
          update: {},
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
      await tx.task.updateMany({ where: { directiveId, status: 'OPEN' }, data: { status: 'CANCELLED', completedAt: new Date() } });
      await this.audit.record(tx, { actor, action: 'directive.withdraw', entityType: 'directive', entityId: directiveId, data: { reason } });
    });
  }

  /** 签发: the document number and the signature, in one transaction (DocumentsService). */
  async signDirective(directiveId: string, signerId: string): Promise<{ docNumber: string | null }> {
    const d = await this.prisma.directive.findUniqueOrThrow({ where: { id: directiveId }, include: { document: true } });
    if (d.document.status === 'DRAFT') {
      const signer = await this.scope.actorIn(signerId, d.orgId, Role.COMMITTEE_SECRETARY);
      const signed = await this.documents.sign(signer, d.documentId);
      await this.audit.transaction(async (tx) => {
        await tx.directive.update({ where: { id: directiveId }, data: { status: 'SIGNED' } });
        await this.audit.record(tx, {
          actor: signer,
          action: 'directive.sign',
          entityType: 'directive',
          entityId: directiveId,
          data: { docNumber: signed.docNumber },
        });
      });
      return { docNumber: signed.docNumber };
    }
    return { docNumber: d.document.docNumber };
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
          await this.insertReceiptTasks(tx, withDoc, resolved.slice(offset, offset + TASK_INSERT_BATCH), offset, dueAt);
          await this.filings.insertFilings(tx, withDoc, resolved.slice(offset, offset + TASK_INSERT_BATCH));
        }
      },
      { timeout: 60_000 },
    );
    return { total: resolved.length };
  }

  /** Receipt task rows for some branches (existing ones are skipped), with one audit record for those created. */
  private async insertReceiptTasks(tx: Tx, d: Directive & { document: { title: string } }, orgIds: string[], offset: number, dueAt: Date): Promise<void> {
    const { count } = await tx.task.createMany({
      data: orgIds.map((orgId) => ({
        key: receiptKey(d.id, orgId),
        kind: 'RECEIPT' as const,
        directiveId: d.id,
        orgId,
        title: `签收：${d.document.title}`,
        dueAt,
        workflowId: receiptWorkflowId(receiptKey(d.id, orgId)),
      })),
      skipDuplicates: true,
    });
    if (count > 0) {
      await this.audit.record(tx, {
        actor: null,
        action: 'directive.distribute',
        entityType: 'directive',
        entityId: d.id,
        data: { offset, created: count, orgIds },
      });
    }
  }

  /** Deadline and reminders of a receipt: N working days after issue at 17:30, reminded the working day before and on the day at 09:00. */
  private async receiptSchedule(d: Directive): Promise<{ dueAt: Date; reminders: Date[] }> {
    const issued = d.issuedAt ?? new Date();
    if (d.reminderAfterSeconds) {
      const s = d.reminderAfterSeconds * 1000;
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
      await this.insertReceiptTasks(tx, d, orgIds, offset, dueAt);
      await this.filings.insertFilings(tx, d, orgIds);
      return tx.task.findMany({ where: { key: { in: orgIds.map((orgId) => receiptKey(directiveId, orgId)) } }, select: { id: true, key: true } });
    });
    heartbeat(0);
    const client = await this.temporal.client();
    let started = 0;
    await inParallel(tasks, START_CONCURRENCY, async (t) => {
      try {
        await client.workflow.start<typeof receiptWorkflow>('receiptWorkflow', {
          taskQueue: this.temporal.taskQueue,
          workflowId: receiptWorkflowId(t.key),
          args: [{ taskId: t.id, dueAt: dueAt.toISOString(), reminders: reminders.map((r) => r.toISOString()) }],
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

  /** 废止: closes every open branch task, tells the branches, and stops their receipt workflows. */
  async revoke(directiveId: string, personId: string, reason: string, heartbeat: (n: number) => void): Promise<{ closedTasks: number }> {
    const d = await this.directive(directiveId);
    const actor = await this.scope.actorIn(personId, d.orgId, Role.COMMITTEE_SECRETARY);
    const open = await this.audit.transaction(async (tx) => {
      const tasks = await tx.task.findMany({
        where: { directiveId, kind: { in: ['RECEIPT', 'FILING'] }, status: 'OPEN' },
        select: { id: true, key: true, orgId: true, kind: true },
      });
      await tx.filing.updateMany({ where: { taskId: { in: tasks.map((t) => t.id) } }, data: { status: 'CLOSED' } });
      await tx.task.updateMany({ where: { id: { in: tasks.map((t) => t.id) } }, data: { status: 'CANCELLED', completedAt: new Date() } });
      const recipients = ((d.distribution as unknown as DistributionConfig).resolved ?? []) as string[];
      await tx.notification.createMany({
        data: recipients.map((orgId) => ({
          key: `revoked:${directiveId}:${orgId}`,
          orgId,
          kind: 'REVOKED',
          message: `《${d.document.title}》已废止：${reason}`,
        })),
        skipDuplicates: true,
      });
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
      return tasks;
    });
    const client = await this.temporal.client();
    let n = 0;
    await inParallel(open, START_CONCURRENCY, async (t) => {
      // Receipt and filing workflows are both named after their task's key.
      const handle = client.workflow.getHandle(receiptWorkflowId(t.key));
      const sent = t.kind === 'FILING' ? handle.signal(closeFilingSignal, { reason }) : handle.signal(closeReceiptSignal, { reason });
      await sent.catch((err) => {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
      if (++n % 50 === 0) heartbeat(n);
    });
    return { closedTasks: open.length };
  }

  async acknowledgeReceipt(taskId: string, personId: string): Promise<void> {
    const task = await this.prisma.task.findUniqueOrThrow({ where: { id: taskId } });
    const actor = await this.scope.actorIn(personId, task.orgId);
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.task.updateMany({
        where: { id: taskId, status: 'OPEN' },
        data: { status: 'DONE', completedAt: new Date(), completedById: personId },
      });
      if (count)
        await this.audit.record(tx, {
          actor,
          action: 'receipt.acknowledge',
          entityType: 'task',
          entityId: taskId,
          data: { directiveId: task.directiveId, orgId: task.orgId },
        });
    });
  }

  async remindTask(taskId: string, at: string): Promise<void> {
    await this.audit.transaction(async (tx) => {
      const task = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
      if (task.status !== 'OPEN') return;
      const created = await tx.notification.createMany({
        data: [{ key: `remind:${taskId}:${at}`, orgId: task.orgId, taskId, kind: 'REMINDER', message: `请及时${task.title}` }],
        skipDuplicates: true,
      });
      if (created.count) {
        await tx.task.update({ where: { id: taskId }, data: { remindedCount: { increment: 1 } } });
        await this.audit.record(tx, { actor: null, action: 'task.remind', entityType: 'task', entityId: taskId, data: { at } });
      }
    });
  }

  async markOverdue(taskId: string): Promise<void> {
    await this.audit.transaction(async (tx) => {
      const task = await tx.task.findUniqueOrThrow({ where: { id: taskId }, include: { org: true, directive: true } });
      if (task.status !== 'OPEN' || task.overdue) return;
      await tx.task.update({ where: { id: taskId }, data: { overdue: true } });
      if (task.directive) {
        await tx.notification.createMany({
          data: [{ key: `overdue:${taskId}`, orgId: task.directive.orgId, taskId, kind: 'OVERDUE', message: `${task.org.name}逾期未完成：${task.title}` }],
          skipDuplicates: true,
        });
      }
      await this.audit.record(tx, { actor: null, action: 'task.overdue', entityType: 'task', entityId: taskId, data: { orgId: task.orgId } });
    });
  }
}
