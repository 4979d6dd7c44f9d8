import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotificationsService } from '../notifications/notifications.service';
import type { Notice } from '../notifications/notices';
import { Prisma, TaskKind } from '../prisma/client';
import type { Tx } from '../prisma/prisma.service';
import type { OriginType, SubjectRef, SubjectType } from './subjects';

export interface NewTask {
  /** Given when another row already names the task (a filing holds its task's id). */
  id?: string;
  /** Unique per task: opening again (a retried activity) creates nothing. */
  key: string;
  kind: TaskKind;
  subject: SubjectRef<SubjectType>;
  origin?: SubjectRef<OriginType> | null;
  /** The organisation whose inbox shows it (a branch), or the committee of the assignee. */
  orgId: string;
  /** A named person (approvals, inspections); null: anyone acting for orgId. */
  assigneeId?: string | null;
  title: string;
  dueAt?: Date | null;
  workflowId?: string | null;
  data?: Record<string, unknown>;
}

type Which = { ids: string[] } | { keys: string[] } | { where: Prisma.TaskWhereInput };
const whereOf = (w: Which): Prisma.TaskWhereInput => ('ids' in w ? { id: { in: w.ids } } : 'keys' in w ? { key: { in: w.keys } } : w.where);

/**
 * Tasks of every lifecycle: open, remind, mark overdue, reschedule, close. Each runs in the caller's transaction
 * with its audit record, and is idempotent (keys, status guards), so workflow activities may retry it freely.
 */
@Injectable()
export class TaskFlowService {
  constructor(
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  /** Opens the tasks not opened yet; one audit record for those created. Returns how many were created. */
  async open(tx: Tx, tasks: NewTask[]): Promise<number> {
    if (!tasks.length) return 0;
    const { count } = await tx.task.createMany({
      data: tasks.map((t) => ({
        ...(t.id ? { id: t.id } : {}),
        key: t.key,
        kind: t.kind,
        subjectType: t.subject.type,
        subjectId: t.subject.id,
        originType: t.origin?.type ?? null,
        originId: t.origin?.id ?? null,
        orgId: t.orgId,
        assigneeId: t.assigneeId ?? null,
        title: t.title,
        dueAt: t.dueAt ?? null,
        workflowId: t.workflowId ?? null,
        data: JSON.parse(JSON.stringify(t.data ?? {})) as Prisma.InputJsonValue,
      })),
      skipDuplicates: true,
    });
    if (count) {
      const first = tasks[0];
      const origin = first.origin;
      await this.audit.record(tx, {
        actor: null,
        action: 'task.open',
        entityType: origin ? origin.type : 'task',
        entityId: origin ? origin.id : first.key,
        data: { kind: first.kind, count, subjectType: first.subject.type, originType: origin?.type, originId: origin?.id, orgIds: tasks.map((t) => t.orgId) },
      });
    }
    return count;
  }

  /** Done by a person (or by the system when `by` is null). Only open tasks change. */
  async complete(tx: Tx, which: Which, by: string | null): Promise<number> {
    const { count } = await tx.task.updateMany({
      where: { ...whereOf(which), status: 'OPEN' },
      data: { status: 'DONE', completedAt: new Date(), completedById: by },
    });
    return count;
  }

  /** No longer needed (withdrawn, revoked, returned elsewhere, round closed). Only open tasks change. */
  async cancel(tx: Tx, which: Which, reason?: string): Promise<number> {
    const { count } = await tx.task.updateMany({ where: { ...whereOf(which), status: 'OPEN' }, data: { status: 'CANCELLED', completedAt: new Date() } });
    if (count && reason) {
      await this.audit.record(tx, {
        actor: null,
        action: 'task.close',
        entityType: 'task',
        entityId: 'ids' in which ? which.ids[0] : 'keys' in which ? which.keys[0] : 'many',
        data: { status: 'CANCELLED', count, reason },
      });
    }
    return count;
  }

  /**
   * Back in the inbox: a task done earlier that needs doing again (a submitted filing returned for revision), with its
   * new deadline, not overdue. Only done tasks change (a cancelled one stays closed); returns how many reopened.
   */
  async reopen(tx: Tx, taskId: string, dueAt: Date | null): Promise<number> {
    const { count } = await tx.task.updateMany({
      where: { id: taskId, status: 'DONE' },
      data: { status: 'OPEN', completedAt: null, completedById: null, overdue: false, ...(dueAt ? { dueAt } : {}) },
    });
    return count;
  }

  /** A new deadline (returned for revision, extension granted): no longer overdue. */
  async reschedule(tx: Tx, taskId: string, dueAt: Date): Promise<void> {
    await tx.task.update({ where: { id: taskId }, data: { dueAt, overdue: false } });
  }

  /** The reminder due `at`, sent once: the notice and the task's count. Nothing for a task no longer open. */
  async remind(tx: Tx, taskId: string, at: string, notice: Notice): Promise<boolean> {
    const task = await tx.task.findUniqueOrThrow({ where: { id: taskId }, select: { status: true, remindedCount: true } });
    if (task.status !== 'OPEN') return false;
    if (!(await this.notifications.notify(tx, [notice]))) return false;
    await tx.task.update({ where: { id: taskId }, data: { remindedCount: { increment: 1 } } });
    await this.audit.record(tx, { actor: null, action: 'task.remind', entityType: 'task', entityId: taskId, data: { at, count: task.remindedCount + 1 } });
    return true;
  }

  /** Several tasks past a shared deadline (a round's window), marked overdue together; the caller tells the committee once. */
  async markAllOverdue(tx: Tx, which: Which): Promise<number> {
    const { count } = await tx.task.updateMany({ where: { ...whereOf(which), status: 'OPEN', overdue: false }, data: { overdue: true } });
    return count;
  }

  /** Past its deadline and still open: marked overdue once, with the notices given (the committee's). */
  async markOverdue(tx: Tx, taskId: string, notices: Notice[]): Promise<boolean> {
    const task = await tx.task.findUniqueOrThrow({ where: { id: taskId }, select: { status: true, overdue: true, orgId: true, dueAt: true } });
    if (task.status !== 'OPEN' || task.overdue) return false;
    await tx.task.update({ where: { id: taskId }, data: { overdue: true } });
    await this.notifications.notify(tx, notices);
    await this.audit.record(tx, {
      actor: null,
      action: 'task.overdue',
      entityType: 'task',
      entityId: taskId,
      data: { orgId: task.orgId, dueAt: task.dueAt?.toISOString() ?? null },
    });
    return true;
  }
}
