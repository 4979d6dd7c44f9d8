import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { NotifyChannelKind } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { ChannelSecrets } from './channel-secrets';
import { webhookHint, webhookProblem } from './robots';

export const CHANNEL_LABELS: Record<NotifyChannelKind, string> = { EMAIL: '电子邮件', DINGTALK: '钉钉群机器人', WECOM: '企业微信群机器人' };
export const DELIVERY_STATUS_LABELS: Record<string, string> = { PENDING: '待发送', SENT: '已发送', FAILED: '发送失败' };

const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;
/** A form field as typed: a single string (a field sent twice, or not a string, counts as empty). */
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export interface PreferenceInput {
  email?: string;
  emailOn?: boolean;
  mentionOn?: boolean;
}

export interface ChannelInput {
  kind: NotifyChannelKind;
  /** EMAIL: the address; robots: the webhook address (blank keeps the stored one). */
  target?: string;
  /** DingTalk's 加签 secret (blank keeps the stored one). */
  secret?: string;
  clearSecret?: boolean;
  enabled?: boolean;
}

/** Who receives what outside the app: a person's own choices, an organisation's mailbox and group robots. */
@Injectable()
export class ChannelSettingsService {
  private readonly secrets: ChannelSecrets;

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {
    this.secrets = new ChannelSecrets(config.SESSION_SECRET);
  }

  get mailConfigured(): boolean {
    return !!(this.config.SMTP_URL || this.config.SMTP_HOST);
  }

  async preference(personId: string) {
    const [pref, person, deliveries] = await Promise.all([
      this.prisma.notificationPreference.findUnique({ where: { personId } }),
      this.prisma.person.findUniqueOrThrow({ where: { id: personId }, select: { phone: true } }),
      this.prisma.notificationDelivery.findMany({ where: { personId }, orderBy: { createdAt: 'desc' }, take: 10 }),
    ]);
    return { email: pref?.email ?? '', emailOn: pref?.emailOn ?? false, mentionOn: pref?.mentionOn ?? false, phone: person.phone, deliveries };
  }

  async setPreference(actor: Actor, input: PreferenceInput) {
    const email = str(input.email);
    const errors: FieldError[] = [];
    if (email && (!EMAIL.test(email) || email.length > 200)) errors.push({ field: 'email', message: '邮箱地址格式不对，应形如 name@example.cn' });
    if (input.emailOn && !email) errors.push({ field: 'email', message: '要收邮件，请先填写邮箱地址' });
    const person = await this.prisma.person.findUniqueOrThrow({ where: { id: actor.personId }, select: { phone: true } });
    if (input.mentionOn && !person.phone) errors.push({ field: 'mentionOn', message: '群里按手机号提醒您，须先由管理员登记您的手机号' });
    if (errors.length) throw DomainError.validation(errors);
    const data = { email: email || null, emailOn: !!input.emailOn, mentionOn: !!input.mentionOn };
    await this.audit.transaction(async (tx) => {
      await tx.notificationPreference.upsert({ where: { personId: actor.personId }, create: { personId: actor.personId, ...data }, update: data });
      await this.audit.record(tx, { actor, action: 'notification.preference.set', entityType: 'person', entityId: actor.personId, data });
    });
    return data;
  }

  /** An organisation's channels as the settings page shows them: never the webhook address or the secret. */
  async channels(orgId: string) {
    const org = await this.prisma.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true } });
    if (!org) throw DomainError.notFound('组织');
    const [rows, deliveries] = await Promise.all([
      this.prisma.notificationChannel.findMany({ where: { orgId } }),
      this.prisma.notificationDelivery.findMany({ where: { orgId, personId: null }, orderBy: { createdAt: 'desc' }, take: 20 }),
    ]);
    const of = (kind: NotifyChannelKind) => {
      const r = rows.find((x) => x.kind === kind);
      return {
        kind,
        label: CHANNEL_LABELS[kind],
        set: !!r,
        enabled: r?.enabled ?? false,
        hint: r?.hint ?? '',
        hasSecret: !!r?.secret,
        updatedAt: r?.updatedAt,
      };
    };
    return { org, email: of('EMAIL'), dingtalk: of('DINGTALK'), wecom: of('WECOM'), deliveries };
  }

  async setChannel(actor: Actor, orgId: string, input: ChannelInput) {
    const org = await this.prisma.organization.findUnique({ where: { id: orgId }, select: { id: true } });
    if (!org) throw DomainError.notFound('组织');
    const kind = input.kind;
    const existing = await this.prisma.notificationChannel.findUnique({ where: { orgId_kind: { orgId, kind } } });
    const target = str(input.target);
    const secret = str(input.secret);
    const errors: FieldError[] = [];
    let stored: { target: string; hint: string } | undefined;
    if (kind === NotifyChannelKind.EMAIL) {
      if (!target) errors.push({ field: 'target', message: '请填写组织的邮箱地址' });
      else if (!EMAIL.test(target) || target.length > 200) errors.push({ field: 'target', message: '邮箱地址格式不对，应形如 dzb@example.cn' });
      else stored = { target, hint: target };
    } else if (target) {
      const problem = webhookProblem(kind, target);
      if (problem) errors.push({ field: 'target', message: problem });
      else stored = { target: this.secrets.seal(target, `${orgId}:${kind}:target`), hint: webhookHint(kind, target) };
    } else if (!existing) errors.push({ field: 'target', message: '请填写机器人的 Webhook 地址' });
    if (kind === NotifyChannelKind.DINGTALK && secret && !/^SEC[0-9a-f]{20,}$/i.test(secret))
      errors.push({ field: 'secret', message: '加签密钥应是机器人安全设置里以 SEC 开头的一串字符' });
    if (errors.length) throw DomainError.validation(errors);
    const sealedSecret =
      kind !== NotifyChannelKind.DINGTALK
        ? null
        : secret
          ? this.secrets.seal(secret, `${orgId}:${kind}:secret`)
          : input.clearSecret
            ? null
            : (existing?.secret ?? null);
    const data = { ...(stored ?? {}), secret: sealedSecret, enabled: input.enabled ?? true, updatedById: actor.personId };
    return this.audit.transaction(async (tx) => {
      const row = existing
        ? await tx.notificationChannel.update({ where: { id: existing.id }, data })
        : await tx.notificationChannel.create({ data: { orgId, kind, target: stored?.target ?? '', hint: stored?.hint ?? '', ...data } });
      await this.audit.record(tx, {
        actor,
        action: 'notification.channel.set',
        entityType: 'organization',
        entityId: orgId,
        data: { kind, enabled: row.enabled, hint: row.hint, secretChanged: sealedSecret !== (existing?.secret ?? null) },
      });
      return { kind, enabled: row.enabled, hint: row.hint, hasSecret: !!row.secret };
    });
  }

  async removeChannel(actor: Actor, orgId: string, kind: NotifyChannelKind) {
    await this.audit.transaction(async (tx) => {
      const { count } = await tx.notificationChannel.deleteMany({ where: { orgId, kind } });
      if (!count) throw DomainError.notFound(CHANNEL_LABELS[kind]);
      await this.audit.record(tx, { actor, action: 'notification.channel.remove', entityType: 'organization', entityId: orgId, data: { kind } });
    });
  }
}
