import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { atLocalTime, shanghaiDay } from '../calendar/working-calendar';
import { Directive, Prisma, Requirement, Role } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { AccountabilityService } from '../accountability/accountability.service';
import { NotificationsService } from '../notifications/notifications.service';
import { Drills } from '../tasks/drills';
import type { OriginType } from '../tasks/subjects';
import { TaskFlowService } from '../tasks/task-flow.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { filingWorkflowId, type FilingInput, type FilingSchedule } from '../../../../workflows/filing/filing.definitions';

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
    private readonly tasks: TaskFlowService,
    private readonly notifications: NotificationsService,
    private readonly accountability: AccountabilityService,
  ) {}

  /** The first deadline of a requirement for a directive issued at `issuedAt` (drills: seconds). */
  async initialDeadline(req: Requirement, d: Directive): Promise<Date> {
    const issued = d.issuedAt ?? new Date();
    const drill = Drills.secondsFor(d.id);
    if (drill) return new Date(issued.getTime() + 4 * drill * 1000);
    if (req.deadlineKind === 'FIXED' && req.deadlineAt) return req.deadlineAt;
    return (await this.calendar.calendar()).deadlineAfter(issued, req.deadlineWorkdays ?? 5, req.deadlineTime);
  }

  /** Filing tasks and rows for these branches, for every requirement of the directive (existing ones skipped). */
  async insertFilings(tx: Tx, d: Directive, orgIds: string[]): Promise<number> {
    const requirements = await tx.requirement.findMany({ where: { directiveId: d.id }, orderBy: { sortOrder: 'asc' } });
    let created = 0;
    for (const req of requirements) {
      const dueAt = await this.initialDeadline(req, d);
      // The filing rows first (their ids are the tasks' subjects), each naming its task.
      await tx.filing.createMany({
        data: orgIds.map((orgId) => ({ requirementId: req.id, orgId, taskId: randomUUID(), deadlineAt: dueAt })),
        skipDuplicates: true,
      });
      const filings = await tx.filing.findMany({ where: { requirementId: req.id, orgId: { in: orgIds } }, select: { id: true, orgId: true, taskId: true } });
      created += await this.tasks.open(
        tx,
        filings.map((f) => ({
          key: filingKey(req.id, f.orgId),
          kind: 'FILING' as const,
          subject: { type: 'filing' as const, id: f.id },
          origin: { type: 'directive' as const, id: d.id },
          orgId: f.orgId,
          title: `填报：${req.title}`,
          dueAt,
          workflowId: filingWorkflowId(filingKey(req.id, f.orgId)),
          data: { requirementId: req.id },
          // The filing names its task: the id is the one the filing row holds, so a retry opens the same task.
          id: f.taskId,
        })),
      );
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
        await client.workflow.start('filingWorkflow', {
          taskQueue: this.temporal.taskQueue,
          workflowId: filingWorkflowId(filingKey(f.requirementId, f.orgId)),
          args: [{ filingId: f.id } satisfies FilingInput],
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
    const drill = Drills.secondsFor(d?.id);
    if (drill) {
      const s = drill * 1000;
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
        data: {
          status: 'SUBMITTED',
          version,
          submittedAt: new Date(),
          draft: json(a.values),
          draftSavedAt: new Date(),
          draftVersion: { increment: 1 },
          draftEditor: null,
        },
      });
      // The branch's part is done (待审核 in its 已办); the reviewers get a 审核 task each.
      await this.tasks.complete(tx, { ids: [current.taskId] }, a.personId);
      await this.openReviewTasks(tx, current, version);
      await this.audit.record(tx, { actor, action: 'filing.submit', entityType: 'filing', entityId: a.filingId, data: { version } });
      return { version };
    });
  }

  /**
   * A 审核 task for each person who may review this version: the named reviewer (a rectification's inspector), else
   * everyone acting for the requirement's committee in its reviewer role (the secretary when that role has nobody),
   * never someone of the filing's own branch. Keyed by filing, version and person, so a retried activity opens none twice.
   */
  private async openReviewTasks(tx: Tx, f: { id: string; orgId: string; taskId: string; requirementId: string }, version: number): Promise<void> {
    const req = await tx.requirement.findUniqueOrThrow({ where: { id: f.requirementId } });
    const [branchTask, org] = await Promise.all([
      tx.task.findUnique({ where: { id: f.taskId }, select: { key: true, originType: true, originId: true } }),
      tx.organization.findUniqueOrThrow({ where: { id: f.orgId }, select: { name: true } }),
    ]);
    const holders = async (role: Role) =>
      (
        await tx.membership.findMany({
          where: { orgId: req.orgId, role, active: true, person: { active: true, memberships: { none: { orgId: f.orgId, active: true } } } },
          select: { personId: true },
        })
      ).map((m) => m.personId);
    let reviewers = req.reviewerId ? [req.reviewerId] : await holders(req.reviewerRole);
    if (!reviewers.length && !req.reviewerId) reviewers = await holders(Role.COMMITTEE_SECRETARY);
    reviewers = [...new Set(reviewers)];
    // Told beside the task, through each reviewer's channels (e-mail, robots), not only when they next open 待办.
    await this.notifications.notify(
      tx,
      reviewers.map((personId) => ({
        kind: 'FILING_SUBMITTED' as const,
        key: `filing-submitted:${f.id}:${version}:${personId}`,
        to: { orgId: req.orgId, personId },
        subject: { type: 'filing' as const, id: f.id },
        facts: { orgName: org.name, title: req.title, resubmitted: version > 1 },
      })),
    );
    await this.tasks.open(
      tx,
      reviewers.map((personId) => ({
        key: `filing-review:${f.id}:${version}:${personId}`,
        kind: 'FILING' as const,
        subject: { type: 'filing' as const, id: f.id },
        origin: branchTask?.originType && branchTask.originId ? { type: branchTask.originType as OriginType, id: branchTask.originId } : null,
        orgId: req.orgId,
        assigneeId: personId,
        title: `审核：${req.title}（${org.name}）`,
        data: { review: true, filingId: f.id, version, requirementId: req.id, filingTaskKey: branchTask?.key },
      })),
    );
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
      // The reviewer's 审核 task is done; the other reviewers' are no longer needed.
      const reviewTasks = { subjectType: 'filing', subjectId: a.filingId, kind: 'FILING' as const, assigneeId: { not: null } };
      await this.tasks.complete(tx, { where: { ...reviewTasks, assigneeId: a.personId } }, a.personId);
      await this.tasks.cancel(tx, { where: reviewTasks });
      if (accepted) await this.tasks.complete(tx, { ids: [current.taskId] }, a.personId);
      else {
        // Back in the branch's 待办, with the new deadline.
        await this.tasks.reopen(tx, current.taskId, deadline);
        await this.tasks.reschedule(tx, current.taskId, deadline);
        await this.notifications.notify(tx, [
          {
            kind: 'RETURNED',
            key: `filing-returned:${a.filingId}:${current.version}`,
            to: { orgId: current.orgId },
            taskId: current.taskId,
            facts: { title: f.requirement.title, comment: a.comment },
          },
        ]);
      }
      await this.audit.record(
        tx,
        accepted
          ? { actor, action: 'filing.accept', entityType: 'filing', entityId: a.filingId, data: { version: current.version, comment: a.comment } }
          : {
              actor,
              action: 'filing.return',
              entityType: 'filing',
              entityId: a.filingId,
              data: { version: current.version, comment: a.comment, newDeadline: deadline.toISOString() },
            },
      );
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
        await this.tasks.reschedule(tx, f.taskId, pending.until);
      }
      await this.notifications.notify(tx, [
        {
          kind: 'EXTENSION',
          key: `extension:${pending.id}`,
          to: { orgId: f.orgId },
          taskId: f.taskId,
          facts: { title: f.requirement.title, granted: a.grant, comment: a.comment },
        },
      ]);
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
      await this.tasks.remind(tx, f.taskId, a.at, {
        kind: 'REMINDER',
        key: `remind:filing:${a.filingId}:${a.at}`,
        to: { orgId: f.orgId },
        taskId: f.taskId,
        facts: { what: `在期限前填报《${f.requirement.title}》` },
      });
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
      const directive = f.requirement.directive;
      const cause = `overdue:filing:${a.filingId}:${current.deadlineAt.toISOString()}`;
      await this.tasks.markOverdue(tx, current.taskId, [
        {
          kind: 'FILING_OVERDUE',
          key: cause,
          to: { orgId: f.requirement.orgId },
          taskId: current.taskId,
          facts: { orgName: org.name, title: f.requirement.title, rectification: !directive },
        },
      ]);
      await this.accountability.propose(tx, {
        key: cause,
        trigger: directive ? 'OVERDUE_FILING' : 'OVERDUE_RECTIFICATION',
        target: { orgId: f.orgId },
        source: { type: 'filing', id: a.filingId },
        evidence: {
          directive: directive ? { id: directive.id, title: directive.document.title, docNumber: directive.document.docNumber } : undefined,
          rectification: rectification ?? undefined,
          requirement: { id: f.requirement.id, title: f.requirement.title },
          branch: { id: org.id, name: org.name },
          deadlineAt: current.deadlineAt.toISOString(),
          status: current.status,
          remindersSent: reminders.map((r) => r.createdAt.toISOString()),
        },
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
