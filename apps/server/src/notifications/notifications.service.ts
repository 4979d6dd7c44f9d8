import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Tx } from '../prisma/prisma.service';
import { Notice, NOTICE_CATEGORY, noticeText } from './notices';

/**
 * One way to tell people something: `notify` inside the transaction of the change that causes it.
 * Today the channel is the in-app notice list (the 待办 page); each notice is typed (notices.ts).
 */
@Injectable()
export class NotificationsService {
  constructor(private readonly audit: AuditService) {}

  /** Sends each notice once (by key); returns how many were new. */
  async notify(tx: Tx, notices: Notice[]): Promise<number> {
    if (!notices.length) return 0;
    const { count } = await tx.notification.createMany({
      data: notices.map((n) => ({
        key: n.key,
        orgId: n.to.orgId,
        personId: n.to.personId ?? null,
        taskId: n.taskId ?? null,
        kind: NOTICE_CATEGORY[n.kind],
        message: noticeText(n),
      })),
      skipDuplicates: true,
    });
    if (count)
      await this.audit.record(tx, {
        actor: null,
        action: 'notification.send',
        entityType: 'notification',
        entityId: notices[0].key,
        data: { kind: notices[0].kind, count },
      });
    return count;
  }
}
