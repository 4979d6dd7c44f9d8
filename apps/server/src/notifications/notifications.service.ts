import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { NotifyChannelKind, Prisma } from '../prisma/client';
import type { Tx } from '../prisma/prisma.service';
import { Notice, NOTICE_CATEGORY, noticeText } from './notices';

/** What a category is called in an e-mail subject or a robot message's title. */
const CATEGORY_TITLE: Record<string, string> = {
  REMINDER: '提醒',
  OVERDUE: '逾期',
  RETURNED: '退回',
  REVOKED: '废止',
  EXTENSION: '延期',
  RECTIFICATION: '整改',
  REVIEW: '评议',
  ACCOUNTABILITY: '问责',
  COMMENDATION: '评选表扬',
  URGE: '催办',
};

export function noticeSubject(category: string, text: string): string {
  const short = [...text].length > 40 ? `${[...text].slice(0, 40).join('')}…` : text;
  return `【${CATEGORY_TITLE[category] ?? '通知'}】${short}`;
}

interface Reader {
  orgId: string;
  personId: string;
  email: string | null;
  emailOn: boolean;
  mentionOn: boolean;
  phone: string | null;
}

/**
 * One way to tell people something: `notify` inside the transaction of the change that causes it.
 *
 * The in-app notice (the 待办 page) is written here. The channels that leave the app — e-mail and the DingTalk and
 * WeCom group robots, as each person and each organisation chose them — are not sent here: `notify` writes one
 * delivery row per channel and recipient in the same transaction (a transactional outbox), and the worker's
 * DeliveryDispatcher sends them afterwards, with retries. So a change that rolls back sends nothing, a change that
 * commits is never without its deliveries, and no workflow or request ever waits on a mail server or a robot.
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
        subjectType: n.subject?.type ?? null,
        subjectId: n.subject?.id ?? null,
        kind: NOTICE_CATEGORY[n.kind],
        message: noticeText(n),
      })),
      skipDuplicates: true,
    });
    if (count) {
      await this.audit.record(tx, {
        actor: null,
        action: 'notification.send',
        entityType: 'notification',
        entityId: notices[0].key,
        data: { kind: notices[0].kind, count },
      });
      await this.enqueue(tx, notices);
    }
    return count;
  }

  /**
   * The outbox rows. A notice to a person goes to that person's e-mail when they turned it on. A notice to an
   * organisation (a branch's inbox) goes to the organisation's own channels (its group robots, its mailbox), and to the
   * e-mail of each of its active members who turned e-mail on; members who asked for it are @-ed by mobile in the
   * robots' messages. Keys (notice + channel + recipient) make a retried activity enqueue nothing twice.
   */
  private async enqueue(tx: Tx, notices: Notice[]): Promise<void> {
    const orgNotices = notices.filter((n) => !n.to.personId);
    const orgIds = [...new Set(orgNotices.map((n) => n.to.orgId))];
    const personIds = [...new Set(notices.map((n) => n.to.personId).filter((p): p is string => !!p))];
    const [channels, readers] = await Promise.all([
      orgIds.length ? tx.notificationChannel.findMany({ where: { orgId: { in: orgIds }, enabled: true } }) : [],
      this.readers(tx, orgIds, personIds),
    ]);
    if (!channels.length && !readers.length) return;
    const rows: Prisma.NotificationDeliveryCreateManyInput[] = [];
    for (const n of notices) {
      const message = noticeText(n);
      const base = { notificationKey: n.key, orgId: n.to.orgId, subject: noticeSubject(NOTICE_CATEGORY[n.kind], message), message };
      const emails = new Map<string, string | null>();
      if (n.to.personId) {
        for (const r of readers) if (r.personId === n.to.personId && r.emailOn && r.email) emails.set(r.email.toLowerCase(), r.personId);
      } else {
        const members = readers.filter((r) => r.orgId === n.to.orgId);
        const mentions = [...new Set(members.filter((r) => r.mentionOn && r.phone).map((r) => r.phone as string))];
        for (const c of channels.filter((c) => c.orgId === n.to.orgId)) {
          if (c.kind === NotifyChannelKind.EMAIL) emails.set(c.target.toLowerCase(), null);
          else rows.push({ ...base, key: `${n.key}|${c.kind}|${c.id}`, channel: c.kind, channelId: c.id, mentions });
        }
        for (const r of members) if (r.emailOn && r.email && !emails.has(r.email.toLowerCase())) emails.set(r.email.toLowerCase(), r.personId);
      }
      for (const [address, personId] of emails) {
        rows.push({ ...base, key: `${n.key}|EMAIL|${address}`, channel: NotifyChannelKind.EMAIL, address, personId });
      }
    }
    if (rows.length) await tx.notificationDelivery.createMany({ data: rows, skipDuplicates: true });
  }

  /** People who chose a channel beyond the app: members of the organisations addressed, and the persons addressed. */
  private async readers(tx: Tx, orgIds: string[], personIds: string[]): Promise<Reader[]> {
    const parts: Prisma.Sql[] = [];
    if (orgIds.length)
      parts.push(Prisma.sql`
        SELECT m.org_id::text AS "orgId", p.person_id::text AS "personId", p.email, p.email_on AS "emailOn", p.mention_on AS "mentionOn", pe.phone
        FROM notification_preference p
        JOIN person pe ON pe.id = p.person_id AND pe.active
        JOIN membership m ON m.person_id = p.person_id AND m.active
        WHERE (p.email_on OR p.mention_on) AND m.org_id IN (${Prisma.join(orgIds.map((id) => Prisma.sql`${id}::uuid`))})`);
    if (personIds.length)
      parts.push(Prisma.sql`
        SELECT ''::text AS "orgId", p.person_id::text AS "personId", p.email, p.email_on AS "emailOn", false AS "mentionOn", pe.phone
        FROM notification_preference p
        JOIN person pe ON pe.id = p.person_id AND pe.active
        WHERE p.email_on AND p.person_id IN (${Prisma.join(personIds.map((id) => Prisma.sql`${id}::uuid`))})`);
    if (!parts.length) return [];
    return tx.$queryRaw<Reader[]>(Prisma.join(parts, ' UNION ALL '));
  }
}
