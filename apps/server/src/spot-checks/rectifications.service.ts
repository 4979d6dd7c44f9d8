import { Injectable } from '@nestjs/common';
import { hasPermission, permissions } from '../auth/permissions';
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { CalendarService } from '../calendar/calendar.service';
import { DomainError } from '../common/errors/domain-error';
import { filingKey } from '../filings/filing-flow.service';
import { RECTIFICATION_REPORT } from '../filings/forms';
import { Prisma } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { NotificationsService } from '../notifications/notifications.service';
import { OrgScopeService } from '../orgs/org-scope.service';
import { TaskFlowService } from '../tasks/task-flow.service';
import { TemporalClientService } from '../temporal/temporal-client.service';
import { filingWorkflowId } from '../../../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../../../workflows/filing/filing.workflow';
import type { ChecklistItem } from './checklist';
import { RectificationDto } from './dto/spot-check.dto';
import { SpotChecksService } from './spot-checks.service';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/**
 * 整改: a failed item opens a rectification for the unit's branch. It is a filing with the ready-made 整改报告 form,
 * so it runs in the filing workflow: reminders, extensions, overdue escalation with an accountability proposal; the
 * inspector who recorded the finding verifies it (accept → closed; return with a reason and a new deadline).
 */
@Injectable()
export class RectificationsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly temporal: TemporalClientService,
    private readonly rounds: SpotChecksService,
    private readonly tasks: TaskFlowService,
    private readonly notifications: NotificationsService,
    private readonly scope: OrgScopeService,
  ) {}

  async open(actor: Actor, findingId: string, dto: RectificationDto) {
    const finding = await this.prisma.spotCheckFinding.findUnique({ where: { id: findingId }, include: { unit: true, rectification: true } });
    if (!finding) throw DomainError.notFound('检查结果');
    const { round, checklist, branchOrgId } = await this.rounds.view(actor, finding.roundId);
    if (branchOrgId) throw DomainError.notFound('检查结果');
    if (!(
      hasPermission(actor.role, permissions.spotCheckManage) ||
      (hasPermission(actor.role, permissions.spotCheckInspect) && actor.personId === finding.inspectorId)
    ))
      throw DomainError.forbidden('只有记录该问题的督查员或党建办可以开具整改');
    if (await this.scope.isMember(actor.personId, finding.unit.orgId)) throw DomainError.forbidden('不能为本人所在组织开具整改');
    if (finding.passed) throw DomainError.conflict('该项检查合格，无需整改');
    if (finding.rectification) throw DomainError.conflict('该问题已经开具整改');
    if (round.status !== 'DRAWN') throw DomainError.conflict('本轮抽查已结束，不能再开具整改');
    const item = checklist.find((i) => i.key === finding.itemKey) as ChecklistItem;

    const deadlineAt = dto.deadlineAt
      ? new Date(dto.deadlineAt)
      : (await this.calendar.calendar()).deadlineAfter(new Date(), dto.deadlineWorkdays ?? round.rectifyWorkdays, '17:30');
    if (deadlineAt.getTime() <= Date.now()) throw DomainError.validation([{ field: 'deadlineAt', message: '字段 deadlineAt（整改期限）必须晚于现在' }]);
    const instructions = dto.instructions?.trim();
    const problem = [`${round.title}：${item.text}（${finding.unit.label}）`, finding.notes, instructions ? `整改要求：${instructions}` : '']
      .filter(Boolean)
      .join('\n');

    const created = await this.audit.transaction(async (tx) => {
      const requirement = await tx.requirement.create({
        data: {
          directiveId: null,
          orgId: round.orgId,
          reviewerId: finding.inspectorId,
          reviewerRole: 'INSPECTOR',
          title: `整改：${item.text}`,
          form: json(RECTIFICATION_REPORT),
          deadlineKind: 'FIXED',
          deadlineAt,
        },
      });
      const key = filingKey(requirement.id, finding.unit.orgId);
      // The report starts from the problem as the inspector recorded it.
      const filing = await tx.filing.create({
        data: { requirementId: requirement.id, orgId: finding.unit.orgId, taskId: randomUUID(), deadlineAt, draft: json({ problem }) },
      });
      await this.tasks.open(tx, [
        {
          id: filing.taskId,
          key,
          kind: 'FILING',
          subject: { type: 'filing', id: filing.id },
          origin: { type: 'spot_check_round', id: round.id },
          orgId: finding.unit.orgId,
          title: `整改：${item.text}（${round.title}）`,
          dueAt: deadlineAt,
          workflowId: filingWorkflowId(key),
          data: { requirementId: requirement.id, roundId: round.id, findingId },
        },
      ]);
      const task = { id: filing.taskId };
      const rectification = await tx.rectification.create({
        data: { findingId, roundId: round.id, orgId: finding.unit.orgId, requirementId: requirement.id, filingId: filing.id, createdById: actor.personId },
      });
      await this.notifications.notify(tx, [
        {
          kind: 'RECTIFICATION',
          key: `rectification:${rectification.id}`,
          to: { orgId: finding.unit.orgId },
          taskId: task.id,
          facts: { item: item.text, deadline: deadlineAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) },
        },
      ]);
      await this.audit.record(tx, {
        actor,
        action: 'spotcheck.rectification.open',
        entityType: 'rectification',
        entityId: rectification.id,
        data: { findingId, filingId: filing.id, orgId: finding.unit.orgId, deadlineAt: deadlineAt.toISOString() },
      });
      return { rectification, filing, key };
    });

    const client = await this.temporal.client();
    try {
      await client.workflow.start<typeof filingWorkflow>('filingWorkflow', {
        taskQueue: this.temporal.taskQueue,
        workflowId: filingWorkflowId(created.key),
        args: [{ filingId: created.filing.id }],
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return { id: created.rectification.id, filingId: created.filing.id, deadlineAt };
  }
}
