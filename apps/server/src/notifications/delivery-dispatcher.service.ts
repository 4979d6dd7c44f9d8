import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { NotificationDelivery, NotifyChannelKind } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { ChannelSecrets } from './channel-secrets';
import { dingTalkRequest, RobotMessage, weComRequest } from './robots';
import { failureText, MailSender, PermanentDeliveryError, postRobot } from './senders';

/** After this many attempts a delivery is given up (about a day with the default 30 s first delay, capped at 6 h). */
export const MAX_ATTEMPTS = 8;
const MAX_DELAY_MS = 6 * 3600_000;
/** How long a claimed delivery is held by one dispatcher before another may take it (a crash mid-send). */
const LEASE_MS = 2 * 60_000;
const BATCH = 20;

/** The delay before attempt `attempts + 1`: base × 2^(attempts − 1), capped, with ±10 % jitter. */
export function backoffMs(attempts: number, baseMs: number, random = Math.random): number {
  const raw = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(raw * (0.9 + 0.2 * random()));
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Sends the outbox (NotificationsService.notify writes it in the transaction of the change) — the worker's relay.
 *
 * Why a relay in the worker process and not Temporal activities: a notice is a side effect of a committed change,
 * written from HTTP requests (an urge) as well as from activities. Sending it from the workflow that caused it would
 * put an SMTP server or a robot on that workflow's path (history, timeouts, a patched() change in every long-lived
 * workflow), and starting a workflow per notice from inside the database transaction is a dual write (the start can
 * happen for a change that then rolls back, or be lost after the commit). The outbox row commits atomically with the
 * change; this relay — hosted beside the Temporal worker, started and drained with it — delivers at least once.
 * Retry state (attempts, next attempt, last error) lives in the row, where the settings pages show it, instead of in
 * a poller workflow's ever-growing history.
 *
 * Each round claims due rows with `SELECT … FOR UPDATE SKIP LOCKED` and marks them leased in the same statement, so
 * several worker processes share the work without sending a row twice, and sends outside any transaction (a lease,
 * not an open transaction, covers the send; a dispatcher that dies mid-send leaves the row to be taken again when the
 * lease ends). A failure schedules the next attempt with exponential backoff; one channel failing delays only its own
 * rows. Sent and given-up deliveries are audited.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private readonly mail: MailSender;
  private readonly secrets: ChannelSecrets;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {
    this.mail = new MailSender(config);
    this.secrets = new ChannelSecrets(config.SESSION_SECRET);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    this.mail.close();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .then((r) => (r.sent + r.retrying + r.failed === BATCH ? 0 : this.config.NOTIFY_POLL_MS))
        .catch((err) => {
          this.logger.error({ err }, '通知投递轮询出错');
          return this.config.NOTIFY_POLL_MS;
        })
        .then((next) => this.schedule(next));
    }, ms);
    this.timer.unref?.();
  }

  /** One round: claims up to BATCH due deliveries and sends them side by side. */
  async drain(now = new Date()): Promise<DrainResult> {
    const claimed = await this.prisma.$queryRaw<NotificationDelivery[]>`
      WITH due AS (
        SELECT id FROM notification_delivery
        WHERE status = 'PENDING' AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until <= ${now})
        ORDER BY next_attempt_at
        LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE notification_delivery d
      SET locked_until = ${new Date(now.getTime() + LEASE_MS)}, attempts = d.attempts + 1, last_attempt_at = ${now}
      FROM due WHERE d.id = due.id
      RETURNING d.id, d.channel, d.address, d.channel_id AS "channelId", d.subject, d.message, d.mentions, d.attempts,
        d.notification_key AS "notificationKey"`;
    const out: DrainResult = { sent: 0, retrying: 0, failed: 0 };
    const results = await Promise.allSettled(claimed.map((d) => this.deliver(d, now)));
    for (const r of results) if (r.status === 'fulfilled') out[r.value] += 1;
    return out;
  }

  private async deliver(d: NotificationDelivery, now: Date): Promise<keyof DrainResult> {
    try {
      const to = await this.send(d);
      await this.audit.transaction(async (tx) => {
        await tx.notificationDelivery.update({ where: { id: d.id }, data: { status: 'SENT', sentAt: new Date(), lockedUntil: null, lastError: null } });
        await this.audit.record(tx, {
          actor: null,
          action: 'notification.delivery.sent',
          entityType: 'notification',
          entityId: d.notificationKey,
          data: { deliveryId: d.id, channel: d.channel, to, attempts: d.attempts },
        });
      });
      return 'sent';
    } catch (err) {
      const reason = failureText(err, d.channel);
      const giveUp = err instanceof PermanentDeliveryError || d.attempts >= MAX_ATTEMPTS;
      this.logger.warn({ deliveryId: d.id, channel: d.channel, attempts: d.attempts, error: (err as Error).message }, `通知投递失败：${reason}`);
      await this.audit.transaction(async (tx) => {
        await tx.notificationDelivery.update({
          where: { id: d.id },
          data: giveUp
            ? { status: 'FAILED', lockedUntil: null, lastError: reason }
            : { lockedUntil: null, lastError: reason, nextAttemptAt: new Date(now.getTime() + backoffMs(d.attempts, this.config.NOTIFY_RETRY_SECONDS * 1000)) },
        });
        if (giveUp)
          await this.audit.record(tx, {
            actor: null,
            action: 'notification.delivery.failed',
            entityType: 'notification',
            entityId: d.notificationKey,
            data: { deliveryId: d.id, channel: d.channel, attempts: d.attempts, reason },
          });
      });
      return giveUp ? 'failed' : 'retrying';
    }
  }

  /** Sends one delivery; returns whom it went to, for the audit (an address, or the robot's visible hint). */
  private async send(d: NotificationDelivery): Promise<string> {
    if (d.channel === NotifyChannelKind.EMAIL) {
      const link = this.config.PUBLIC_URL ? `\n\n请登录党建工作台办理：${this.config.PUBLIC_URL.replace(/\/$/, '')}/inbox` : '';
      await this.mail.send(d.address as string, d.subject, `${d.message}${link}\n\n（此邮件由党建工作台自动发送，请勿直接回复。）`);
      return d.address as string;
    }
    const channel = d.channelId ? await this.prisma.notificationChannel.findUnique({ where: { id: d.channelId } }) : null;
    if (!channel || !channel.enabled) throw new PermanentDeliveryError('该机器人已被删除或停用，消息未发送');
    let webhook: string;
    let secret: string | null;
    try {
      webhook = this.secrets.open(channel.target, `${channel.orgId}:${channel.kind}:target`);
      secret = channel.secret ? this.secrets.open(channel.secret, `${channel.orgId}:${channel.kind}:secret`) : null;
    } catch (err) {
      throw new PermanentDeliveryError((err as Error).message);
    }
    const message: RobotMessage = {
      title: d.subject,
      text: d.message,
      link: this.config.PUBLIC_URL ? `${this.config.PUBLIC_URL.replace(/\/$/, '')}/inbox` : undefined,
      mentions: d.mentions ?? [],
    };
    await postRobot(channel.kind === NotifyChannelKind.DINGTALK ? dingTalkRequest(webhook, secret, message) : weComRequest(webhook, message));
    return channel.hint;
  }
}
