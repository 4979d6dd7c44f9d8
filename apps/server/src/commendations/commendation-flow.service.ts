import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PrismaService } from '../prisma/prisma.service';
import type { CommendationProgress } from '../../../../workflows/commendation/activities';
import { cnDate } from './notice-period';

/** The database side of the round workflow (activity bodies; each idempotent). */
@Injectable()
export class CommendationFlowService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Does what is due by now, each once: nominations close at their deadline (the committee is told how many), each
   * notice whose period is over is ended (the committee is told of objections still open). Returns the next instant.
   */
  async advance(roundId: string): Promise<CommendationProgress> {
    const round = await this.prisma.commendationRound.findUniqueOrThrow({ where: { id: roundId } });
    const now = new Date();
    if (round.status === 'NOMINATING' && round.nominationDueAt) {
      if (round.nominationDueAt > now) return { status: round.status, nextAt: round.nominationDueAt.toISOString() };
      await this.audit.transaction(async (tx) => {
        const { count } = await tx.commendationRound.updateMany({ where: { id: roundId, status: 'NOMINATING' }, data: { status: 'SELECTING' } });
        if (!count) return;
        const nominees = await tx.commendationNominee.count({ where: { roundId } });
        await this.notifications.notify(tx, [
          {
            kind: 'COM_STEP',
            key: `com-nominations-closed:${roundId}`,
            to: { orgId: round.orgId },
            subject: { type: 'commendation_round', id: roundId },
            facts: { title: round.title, what: `推荐已截止，共推荐 ${nominees} 名（个），请排序并提请党委审定` },
          },
        ]);
        await this.audit.record(tx, {
          actor: null,
          action: 'commendation.nomination.close',
          entityType: 'commendation_round',
          entityId: roundId,
          data: { nominees, dueAt: (round.nominationDueAt as Date).toISOString() },
        });
      });
      return this.advance(roundId);
    }
    if (round.status === 'NOTICE') {
      const running = await this.prisma.commendationNotice.findMany({ where: { roundId, endedAt: null }, orderBy: { endsAt: 'asc' } });
      for (const n of running.filter((x) => x.endsAt <= now)) {
        await this.audit.transaction(async (tx) => {
          const { count } = await tx.commendationNotice.updateMany({ where: { id: n.id, endedAt: null }, data: { endedAt: now } });
          if (!count) return;
          const open = await tx.commendationObjection.count({ where: { noticeId: n.id, status: 'OPEN' } });
          await this.notifications.notify(tx, [
            {
              kind: 'COM_STEP',
              key: `com-notice-ended:${n.id}`,
              to: { orgId: round.orgId },
              subject: { type: 'commendation_round', id: roundId },
              facts: {
                title: round.title,
                what: open ? `公示期已于${cnDate(n.endsOn)}结束，还有 ${open} 件异议待处理` : `公示期已于${cnDate(n.endsOn)}结束，可提请党委书记签发表扬文件`,
              },
            },
          ]);
          await this.audit.record(tx, {
            actor: null,
            action: 'commendation.notice.end',
            entityType: 'commendation_round',
            entityId: roundId,
            data: { noticeId: n.id, endsOn: n.endsOn, openObjections: open },
          });
        });
      }
      const next = running.find((x) => x.endsAt > now);
      return { status: 'NOTICE', nextAt: next ? next.endsAt.toISOString() : null };
    }
    return { status: round.status, nextAt: null };
  }
}
