import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PrismaService } from '../prisma/prisma.service';
import { Drills } from '../tasks/drills';
import { TaskFlowService } from '../tasks/task-flow.service';
import type { CaseProgress } from '../../../../workflows/accountability/activities';
import { CaseClock, shanghaiText } from './case-rules';
import { caseTaskKey, type CaseTaskStep } from './cases.service';

const STEP_WORDS: Record<CaseTaskStep, string> = { DEFENCE: '陈述申辩', TALK: '谈话承诺事项', SERVICE: '问责决定书签收', EXECUTION: '问责执行事项' };

/** The database side of the case workflow: everything that falls due with time, each step once (status guards, keys). */
@Injectable()
export class AccountabilityFlowService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly tasks: TaskFlowService,
    private readonly notifications: NotificationsService,
  ) {}

  async advance(caseId: string): Promise<CaseProgress> {
    const c = await this.prisma.accountabilityCase.findUniqueOrThrow({ where: { id: caseId } });
    if (c.status === 'CLOSED' || c.status === 'DISMISSED') return { status: c.status, nextAt: null };
    const clock = new CaseClock(await this.calendar.calendar(), Drills.secondsFor(caseId));
    const now = new Date();
    const next: Date[] = [];
    let status = c.status;

    // 陈述申辩: a reminder on the last day, then the period ends and the case goes to the committee.
    if (c.status === 'DEFENCE' && c.defenceDueAt) {
      const remindAt = clock.reminderBefore(c.defenceDueAt);
      if (now >= c.defenceDueAt) {
        await this.audit.transaction(async (tx) => {
          const { count } = await tx.accountabilityCase.updateMany({ where: { id: caseId, status: 'DEFENCE' }, data: { status: 'DELIBERATING' } });
          if (!count) return;
          await this.tasks.cancel(tx, { keys: [caseTaskKey.defence(caseId)] }, '陈述申辩期限已届满');
          await this.audit.record(tx, {
            actor: null,
            action: 'accountability.defence.lapse',
            entityType: 'accountability_case',
            entityId: caseId,
            data: { dueAt: c.defenceDueAt!.toISOString() },
          });
        });
        status = 'DELIBERATING';
      } else {
        if (now >= remindAt) {
          const task = await this.prisma.task.findUnique({ where: { key: caseTaskKey.defence(caseId) }, select: { id: true } });
          if (task)
            await this.audit.transaction((tx) =>
              this.tasks.remind(tx, task.id, remindAt.toISOString(), {
                kind: 'REMINDER',
                key: `remind:acc-defence:${caseId}`,
                to: { orgId: c.targetOrgId },
                taskId: task.id,
                facts: { what: `提交陈述申辩（${shanghaiText(c.defenceDueAt!)}截止）` },
              }),
            );
        } else next.push(remindAt);
        next.push(c.defenceDueAt);
      }
    }

    // Receipts, execution tasks and commitments past their deadline: marked overdue once, the committee told.
    const open = await this.prisma.task.findMany({
      where: { kind: 'ACCOUNTABILITY', originType: 'accountability_case', originId: caseId, status: 'OPEN', overdue: false, dueAt: { not: null } },
      select: { id: true, title: true, dueAt: true, data: true },
    });
    for (const t of open) {
      const step = (t.data as { step?: CaseTaskStep }).step as CaseTaskStep;
      if (step === 'DEFENCE') continue;
      if (t.dueAt! > now) {
        next.push(t.dueAt!);
        continue;
      }
      await this.audit.transaction(async (tx) => {
        const marked = await this.tasks.markOverdue(tx, t.id, [
          {
            kind: 'ACC_OVERDUE',
            key: `acc-overdue:${t.id}`,
            to: { orgId: c.orgId },
            taskId: t.id,
            facts: { title: c.title, what: `${STEP_WORDS[step]}“${t.title}”` },
          },
          {
            kind: 'ACC_OVERDUE',
            key: `acc-overdue:${t.id}:officer`,
            to: { orgId: c.orgId, personId: c.createdById },
            taskId: t.id,
            facts: { title: c.title, what: `${STEP_WORDS[step]}“${t.title}”` },
          },
        ]);
        if (marked)
          await this.audit.record(tx, {
            actor: null,
            action: step === 'SERVICE' ? 'accountability.serve.overdue' : 'accountability.execution.overdue',
            entityType: 'accountability_case',
            entityId: caseId,
            ...(step === 'SERVICE' ? { data: { taskId: t.id } } : { data: { taskId: t.id, dueAt: t.dueAt!.toISOString() } }),
          } as Parameters<AuditService['record']>[1]);
      });
    }

    // An appeal not answered within its month: escalated once.
    const appeal = await this.prisma.accountabilityAppeal.findUnique({ where: { caseId } });
    if (appeal && !appeal.answeredAt && !appeal.overdue) {
      if (now >= appeal.answerDueAt) {
        await this.audit.transaction(async (tx) => {
          const { count } = await tx.accountabilityAppeal.updateMany({ where: { id: appeal.id, overdue: false, answeredAt: null }, data: { overdue: true } });
          if (!count) return;
          await this.notifications.notify(tx, [
            {
              kind: 'ACC_OVERDUE',
              key: `acc-appeal-overdue:${appeal.id}`,
              to: { orgId: c.orgId },
              subject: { type: 'accountability_case', id: caseId },
              facts: { title: c.title, what: '申诉答复' },
            },
          ]);
          await this.audit.record(tx, {
            actor: null,
            action: 'accountability.appeal.overdue',
            entityType: 'accountability_case',
            entityId: caseId,
            data: { appealId: appeal.id, answerDueAt: appeal.answerDueAt.toISOString() },
          });
        });
      } else next.push(appeal.answerDueAt);
    }

    // The close: every follow-up done, and for a decision the appeal window passed with no appeal waiting.
    if (status === 'EXECUTING') {
      const formal = c.outcome === 'MEASURES' || c.outcome === 'LIGHTER';
      const windowOpen = formal && (!c.appealUntil || now <= c.appealUntil);
      if (formal && c.appealUntil && now <= c.appealUntil) next.push(new Date(c.appealUntil.getTime() + 1000));
      const pending = await this.prisma.task.count({ where: { kind: 'ACCOUNTABILITY', originType: 'accountability_case', originId: caseId, status: 'OPEN' } });
      const appealWaiting = !!appeal && !appeal.answeredAt;
      if (!pending && !windowOpen && !appealWaiting) {
        const reason = formal ? '问责决定已执行完毕，申诉期已满' : '谈话承诺事项已落实';
        const closed = await this.audit.transaction(async (tx) => {
          const { count } = await tx.accountabilityCase.updateMany({
            where: { id: caseId, status: 'EXECUTING' },
            data: { status: 'CLOSED', closedAt: now, closeReason: reason },
          });
          if (count)
            await this.audit.record(tx, {
              actor: null,
              action: 'accountability.case.close',
              entityType: 'accountability_case',
              entityId: caseId,
              data: { reason },
            });
          return count > 0;
        });
        if (closed) return { status: 'CLOSED', nextAt: null };
      }
    }

    const soonest = next.filter((d) => d > now).sort((a, b) => a.getTime() - b.getTime())[0];
    return { status, nextAt: soonest ? soonest.toISOString() : null };
  }
}
