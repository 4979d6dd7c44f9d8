import { Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { atLocalTime, shanghaiDay } from '../calendar/working-calendar';
import { Directive, Prisma, Requirement } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { filingWorkflowId, type FilingSchedule } from '../../../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../../../workflows/filing/filing.workflow';

export const filingKey = (requirementId: string, orgId: string) => `filing:${requirementId}:${orgId}`;
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/**
 * The database side of the filing workflow, and the filings' part of a directive's distribution.
 * Activity bodies: idempotent (unique keys, status guards).
 */
@Injectable()
export class FilingFlowService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly temporal: TemporalClientService,
    private readonly scope: OrgScopeService,
  ) {}

  /** The first deadline of a requirement for a directive issued at `issuedAt` (drills: seconds). */
  async initialDeadline(req: Requirement, d: Directive): Promise<Date> {
    const issued = d.issuedAt ?? new Date();
    if (d.reminderAfterSeconds) return new Date(issued.getTime() + 4 * d.reminderAfterSeconds * 1000);
    if (req.deadlineKind === 'FIXED' && req.deadlineAt) return req.deadlineAt;
    return (await this.calendar.calendar()).deadlineAfter(issued, req.deadlineWorkdays ?? 5, req.deadlineTime);
  }

  /** Filing tasks and rows for these branches, for every requirement of the directive (existing ones skipped). */
  async insertFilings(tx: Tx, d: Directive, orgIds: string[]): Promise<number> {
    const requirements = await tx.requirement.findMany({ where: { directiveId: d.id }, orderBy: { sortOrder: 'asc' } });
    let created = 0;
    for (const req of requirements) {
      const dueAt = await this.initialDeadline(req, d);
      const keys = orgIds.map((orgId) => filingKey(req.id, orgId));
      const { count } = await tx.task.createMany({
        data: orgIds.map((orgId) => ({
          key: filingKey(req.id, orgId),
          kind: 'FILING' as const,
          directiveId: d.id,
          orgId,
          title: `填报：${req.title}`,
          dueAt,
          workflowId: filingWorkflowId(filingKey(req.id, orgId)),
          data: { requirementId: req.id },
        })),
        skipDuplicates: true,
      });
      const tasks = await tx.task.findMany({ where: { key: { in: keys } }, select: { id: true, orgId: true } });
      await tx.filing.createMany({
        data: tasks.map((t) => ({ requirementId: req.id, orgId: t.orgId, taskId: t.id, deadlineAt: dueAt })),
        skipDuplicates: true,
      });
      if (count)
        await this.audit.record(tx, {
          actor: null,
          action: 'filing.distribute',
          entityType: 'requirement',
          entityId: req.id,
          data: { created: count, orgIds },
        });
      created += count;
    }
    return created;
  }

  /** Starts the filing workflows of these branches (already started ones are fine). */
  async startFilingWorkflows(directiveId: string, orgIds: string[], each: () => void): Promise<void> {
    const filings = await this.prisma.filing.findMany({
      where: { orgId: { in: orgIds }, requirement: { directiveId } },
      select: { id: true, requirementId: true, orgId: true },
    });
    const client = await this.temporal.client();
    for (const f of filings) {
      try {
        await client.workflow.start<typeof filingWorkflow>('filingWorkflow', {
          taskQueue: this.temporal.taskQueue,
          workflowId: filingWorkflowId(filingKey(f.requirementId, f.orgId)),
          args: [{ filingId: f.id }],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      each();
    }
  }

  /** Status, deadline and the reminders still to send, computed from the calendar (never in workflow code). */
  async filingSchedule(filingId: string): Promise<FilingSchedule> {
    const f = await this.prisma.filing.findUniqueOrThrow({ where: { id: filingId }, include: { requirement: { include: { directive: true } } } });
    const d = f.requirement.directive;
    let reminders: Date[];
    if (d?.reminderAfterSeconds) {
      const s = d.reminderAfterSeconds * 1000;
      reminders = [new Date(f.deadlineAt.getTime() - 2 * s), new Date(f.deadlineAt.getTime() - s)];
    } else {
      const cal = await this.calendar.calendar();
      const day = shanghaiDay(f.deadlineAt);
      reminders = (f.requirement.reminderDays as number[]).map((n) => atLocalTime(cal.addWorkdays(day, -n), '09:00'));
    }
    const sent = new Set(
      (await this.prisma.notification.findMany({ where: { key: { startsWith: `remind:filing:${filingId}:` } }, select: { key: true } })).map((n) => n.key),
    );
    const now = Date.now();
    const upcoming = reminders.filter((r) => r.getTime() > now && r < f.deadlineAt && !sent.has(`remind:filing:${filingId}:${r.toISOString()}`));
    return { status: f.status, deadlineAt: f.deadlineAt.toISOString(), reminders: upcoming.map((r) => r.toISOString()).sort(), overdue: f.overdue };
  }

  async recordSubmission(a: { filingId: string; personId: string; values: Record<string, unknown> }): Promise<{ version: number }> {
    const f = await this.prisma.filing.findUniqueOrThrow({ where: { id: a.filingId } });
    const actor = await this.scope.actorIn(a.personId, f.orgId);
    return this.audit.transaction(async (tx) => {
      const current = await tx.filing.findUniqueOrThrow({ where: { id: a.filingId } });
      if (current.status === 'SUBMITTED') return { version: current.version }; // retried
      const version = current.version + 1;
      await tx.filingVersion.create({ data: { filingId: a.filingId, version, values: json(a.values), submittedById: a.personId } });
      await tx.filing.update({
        where: { id: a.filingId },
        data: { status: 'SUBMITTED', version, submittedAt: new Date(), draft: json(a.values), draftSavedAt: new Date() },
      });
      await this.audit.record(tx, { actor, action: 'filing.submit', entityType: 'filing', entityId: a.filingId, data: { version } });
      return { version };
    });
  }

  async recordReview(a: { filingId: string; personId: string; decision: 'ACCEPT' | 'RETURN'; comment: string; newDeadline?: string }): Promise<void> {
    const f = await this.prisma.filing.findUniqueOrThrow({ where: { id: a.filingId }, include: { requirement: { include: { directive: true } } } });
    const actor = await this.scope.actorIn(a.personId, f.requirement.orgId);
    await this.audit.transaction(async (tx) => {
      const current = await tx.filing.findUniqueOrThrow({ where: { id: a.filingId } });
      if (current.status !== 'SUBMITTED') return; // retried after it was recorded
      const accepted = a.decision === 'ACCEPT';
      const deadline = accepted ? current.deadlineAt : new Date(a.newDeadline as string);
      await tx.filingReview.create({
        data: {
          filingId: a.filingId,
          version: current.version,
          decision: a.decision,
          comment: a.comment,
          newDeadline: accepted ? null : deadline,
          reviewerId: a.personId,
        },
      });
      await tx.filing.update({
        where: { id: a.filingId },
        data: {
          status: accepted ? 'ACCEPTED' : 'RETURNED',
          reviewerId: a.personId,
          acceptedAt: accepted ? new Date() : null,
          deadlineAt: deadline,
          overdue: accepted ? current.overdue : false,
        },
      });
      await tx.task.update({
        where: { id: current.taskId },
        data: accepted ? { status: 'DONE', completedAt: new Date(), completedById: a.personId } : { dueAt: deadline, overdue: false },
      });
      if (!accepted) {
        await tx.notification.create({
          data: {
            key: `filing-returned:${a.filingId}:${current.version}`,
            orgId: current.orgId,
            taskId: current.taskId,
            kind: 'RETURNED',
            message: `《${f.requirement.title}》被退回修改：${a.comment}`,
          },
        });
      }
      await this.audit.record(tx, {
        actor,
        action: accepted ? 'filing.accept' : 'filing.return',
        entityType: 'filing',
        entityId: a.filingId,
        data: { version: current.version, comment: a.comment, newDeadline: accepted ? undefined : deadline.toISOString() },
      });
    });
  }

  async recordExtensionRequest(a: { filingId: string; personId: string; until: string; reason: string }): Promise<void> {
    const f = await this.prisma.filing.findUniqueOrThrow({ where: { id: a.filingId } });
    const actor = await this.scope.actorIn(a.personId, f.orgId);
    await this.audit.transaction(async (tx) => {
      if (await tx.extensionRequest.findFirst({ where: { filingId: a.filingId, status: 'PENDING' } })) return;
      const r = await tx.extensionRequest.create({ data: { filingId: a.filingId, until: new Date(a.until), reason: a.reason, requestedBy: a.personId } });
      await this.audit.record(tx, {
        actor,
        action: 'filing.extension.request',
        entityType: 'filing',
        entityId: a.filingId,
        data: { requestId: r.id, until: a.until, reason: a.reason },
      });
    });
  }

  async recordExtensionDecision(a: { filingId: string; personId: string; grant: boolean; comment: string }): Promise<void> {
    const f = await this.prisma.filing.findUniqueOrThrow({ where: { id: a.filingId }, include: { requirement: { include: { directive: true } } } });
    const actor = await this.scope.actorIn(a.personId, f.requirement.orgId);
    await this.audit.transaction(async (tx) => {
      const pending = await tx.extensionRequest.findFirst({ where: { filingId: a.filingId, status: 'PENDING' } });
      if (!pending) return;
      await tx.extensionRequest.update({
        where: { id: pending.id },
        data: { status: a.grant ? 'GRANTED' : 'REFUSED', decidedBy: a.personId, decidedAt: new Date(), comment: a.comment },
      });
      if (a.grant) {
        await tx.filing.update({ where: { id: a.filingId }, data: { deadlineAt: pending.until, overdue: false } });
        await tx.task.update({ where: { id: f.taskId }, data: { dueAt: pending.until, overdue: false } });
      }
      await tx.notification.create({
        data: {
          key: `extension:${pending.id}`,
          orgId: f.orgId,
          taskId: f.taskId,
          kind: 'EXTENSION',
          message: a.grant ? `《${f.requirement.title}》延期申请已批准` : `《${f.requirement.title}》延期申请未批准：${a.comment}`,
        },
      });
      await this.audit.record(tx, {
        actor,
        action: a.grant ? 'filing.extension.grant' : 'filing.extension.refuse',
        entityType: 'filing',
        entityId: a.filingId,
        data: { requestId: pending.id, until: pending.until.toISOString(), comment: a.comment },
      });
    });
  }

  async remindFiling(a: { filingId: string; at: string }): Promise<void> {
    const f = await this.prisma.filing.findUniqueOrThrow({ where: { id: a.filingId }, include: { requirement: true } });
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.notification.createMany({
        data: [
          {
            key: `remind:filing:${a.filingId}:${a.at}`,
            orgId: f.orgId,
            taskId: f.taskId,
            kind: 'REMINDER',
            message: `请在期限前填报《${f.requirement.title}》`,
          },
        ],
        skipDuplicates: true,
      });
      if (count) {
        await tx.task.update({ where: { id: f.taskId }, data: { remindedCount: { increment: 1 } } });
        await this.audit.record(tx, { actor: null, action: 'filing.remind', entityType: 'filing', entityId: a.filingId, data: { at: a.at } });
      }
    });
  }

  /** Past the deadline: marked overdue, the committee told, and an accountability proposal recorded with the evidence. */
  async markFilingOverdue(a: { filingId: string }): Promise<void> {
    const f = await this.prisma.filing.findUniqueOrThrow({
      where: { id: a.filingId },
      include: { requirement: { include: { directive: { include: { document: true } } } } },
    });
    const org = await this.prisma.organization.findUniqueOrThrow({ where: { id: f.orgId } });
    const reminders = await this.prisma.notification.findMany({ where: { key: { startsWith: `remind:filing:${a.filingId}:` } }, select: { createdAt: true } });
    // A rectification's evidence is the finding it answers.
    const rectification = await this.prisma.rectification.findUnique({
      where: { filingId: a.filingId },
      select: { id: true, roundId: true, finding: { select: { id: true, itemKey: true, notes: true, recordedAt: true, inspectorId: true, photos: true } } },
    });
    await this.audit.transaction(async (tx) => {
      const current = await tx.filing.findUniqueOrThrow({ where: { id: a.filingId } });
      if (current.overdue || (current.status !== 'OPEN' && current.status !== 'RETURNED')) return;
      await tx.filing.update({ where: { id: a.filingId }, data: { overdue: true } });
      await tx.task.update({ where: { id: current.taskId }, data: { overdue: true } });
      const directive = f.requirement.directive;
      await tx.notification.createMany({
        data: [
          {
            key: `overdue:filing:${a.filingId}:${current.deadlineAt.toISOString()}`,
            orgId: f.requirement.orgId,
            taskId: current.taskId,
            kind: 'OVERDUE',
            message: directive ? `${org.name}逾期未填报《${f.requirement.title}》` : `${org.name}逾期未报送《${f.requirement.title}》的整改报告`,
          },
        ],
        skipDuplicates: true,
      });
      await tx.accountabilityProposal.createMany({
        data: [
          {
            key: `overdue:filing:${a.filingId}:${current.deadlineAt.toISOString()}`,
            orgId: f.orgId,
            trigger: directive ? 'OVERDUE_FILING' : 'OVERDUE_RECTIFICATION',
            sourceType: 'filing',
            sourceId: a.filingId,
            evidence: json({
              directive: directive ? { id: directive.id, title: directive.document.title, docNumber: directive.document.docNumber } : undefined,
              rectification: rectification ?? undefined,
              requirement: { id: f.requirement.id, title: f.requirement.title },
              branch: { id: org.id, name: org.name },
              deadlineAt: current.deadlineAt.toISOString(),
              status: current.status,
              remindersSent: reminders.map((r) => r.createdAt.toISOString()),
            }),
          },
        ],
        skipDuplicates: true,
      });
      await this.audit.record(tx, {
        actor: null,
        action: 'filing.overdue',
        entityType: 'filing',
        entityId: a.filingId,
        data: { orgId: f.orgId, deadlineAt: current.deadlineAt.toISOString() },
      });
    });
  }
}
