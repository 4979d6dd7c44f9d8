import { Injectable } from '@nestjs/common';
import { NotificationsService } from '../notifications/notifications.service';
import { TaskFlowService } from '../tasks/task-flow.service';
import { AuditService } from '../audit/audit.service';
import { PrismaService } from '../prisma/prisma.service';
import type { ChecklistItem } from './checklist';

/** The database side of the round workflow (activity bodies; idempotent). */
@Injectable()
export class SpotCheckFlowService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly tasks: TaskFlowService,
  ) {}

  async schedule(roundId: string): Promise<{ windowEnd: string; status: string }> {
    const r = await this.prisma.spotCheckRound.findUniqueOrThrow({ where: { id: roundId }, select: { windowEnd: true, status: true } });
    return { windowEnd: r.windowEnd.toISOString(), status: r.status };
  }

  /** End of the window: unfinished inspections become overdue and the committee is told which units are unchecked. */
  async windowEnded(roundId: string): Promise<{ unfinished: number }> {
    const round = await this.prisma.spotCheckRound.findUniqueOrThrow({ where: { id: roundId } });
    if (round.status !== 'DRAWN') return { unfinished: 0 };
    const items = (round.checklist as unknown as ChecklistItem[]).length;
    const units = await this.prisma.spotCheckUnit.findMany({ where: { roundId }, select: { id: true, label: true, _count: { select: { findings: true } } } });
    const unfinished = units.filter((u) => u._count.findings < items);
    await this.audit.transaction(async (tx) => {
      await this.tasks.markAllOverdue(tx, { keys: unfinished.map((u) => `inspect:${u.id}`) });
      const count = await this.notifications.notify(tx, [
        {
          kind: 'ROUND_ENDED',
          key: `spotcheck-window:${roundId}`,
          to: { orgId: round.orgId },
          subject: { type: 'spot_check_round', id: roundId },
          facts: { title: round.title, unfinished: unfinished.map((u) => u.label) },
        },
      ]);
      if (count)
        await this.audit.record(tx, {
          actor: null,
          action: 'spotcheck.window-ended',
          entityType: 'spot_check_round',
          entityId: roundId,
          data: { unfinished: unfinished.map((u) => u.id) },
        });
    });
    return { unfinished: unfinished.length };
  }
}
