import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { hasPermission } from '../../auth/permissions';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';

import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { CHANNEL_LABELS, ChannelSettingsService, DELIVERY_STATUS_LABELS } from '../../notifications/channel-settings.service';
import { URGE_INTERVAL_HOURS, UrgeService, UrgeSubject, whenText } from '../../notifications/urge.service';
import { OrgScopeService } from '../../orgs/org-scope.service';
import { NotifyChannelKind } from '../../prisma/client';
import { errorMap, statusOf } from '../form';
import { viewContext } from '../view-context';

const KINDS: NotifyChannelKind[] = ['EMAIL', 'DINGTALK', 'WECOM'];
/** A form's list field: one value is a string, several an array, none undefined. */
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

const deliveryRows = <T extends { channel: string; status: string }>(rows: T[]) =>
  rows.map((d) => ({ ...d, channelLabel: CHANNEL_LABELS[d.channel as NotifyChannelKind], statusLabel: DELIVERY_STATUS_LABELS[d.status] ?? d.status }));

/**
 * Notification pages: a person's own channels (/me/notifications), an organisation's mailbox and group robots for the
 * administrator, and the 催办 page of a directive's receipts or a requirement's filings (the urge form itself also
 * sits on the receipts card and the filing table; both post here and land on this page with the outcome).
 */
@ApiExcludeController()
@Controller()
export class NotificationsPagesController {
  constructor(
    private readonly settings: ChannelSettingsService,
    private readonly urges: UrgeService,
    private readonly scope: OrgScopeService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get('me/notifications')
  async me(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.renderMe(req, res, {});
  }

  @Post('me/notifications')
  async saveMe(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    try {
      await this.settings.setPreference(req.actor as Actor, { email: body.email, emailOn: body.emailOn === 'on', mentionOn: body.mentionOn === 'on' });
      res.redirect(303, '/me/notifications?saved=1');
    } catch (err) {
      await this.renderMe(
        req,
        res,
        { errors: errorMap(err), form: { ...body, emailOn: body.emailOn === 'on', mentionOn: body.mentionOn === 'on' } },
        statusOf(err),
      );
    }
  }

  @Get('admin/orgs/:id/notifications')
  @RequirePermission('admin.orgs')
  async org(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('组织')) id: string) {
    await this.scope.assertVisible(req.actor as Actor, id);
    await this.renderOrg(req, res, id, {});
  }

  /** One channel at a time: `kind` says which; `remove` deletes it. */
  @Post('admin/orgs/:id/notifications')
  @RequirePermission('admin.orgs')
  async saveOrg(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('组织')) id: string, @Body() body: Record<string, string>) {
    const actor = req.actor as Actor;
    await this.scope.assertVisible(actor, id);
    const kind = KINDS.find((k) => k === body.kind);
    if (!kind) return this.renderOrg(req, res, id, { error: '请选择要设置的渠道（邮箱、钉钉或企业微信）' }, 400);
    try {
      if (body.remove === '1') await this.settings.removeChannel(actor, id, kind);
      else
        await this.settings.setChannel(actor, id, {
          kind,
          target: body.target,
          secret: body.secret,
          clearSecret: body.clearSecret === 'on',
          enabled: body.enabled === 'on',
        });
      res.redirect(303, `/admin/orgs/${id}/notifications?saved=${kind}`);
    } catch (err) {
      // What was typed comes back except the secrets: a webhook address or 加签 secret is never put in a page.
      await this.renderOrg(
        req,
        res,
        id,
        { errors: { [kind]: errorMap(err) }, typed: { [kind]: { enabled: body.enabled === 'on', target: kind === 'EMAIL' ? body.target : '' } } },
        statusOf(err),
      );
    }
  }

  @Get('directives/:id/urges')
  @RequirePermission('directive.read')
  async directiveUrges(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('发文')) id: string) {
    await this.renderUrges(req, res, 'directive', id, {});
  }

  @Post('directives/:id/urges')
  @RequirePermission('notification.urge')
  async urgeDirective(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('发文')) id: string, @Body() body: Record<string, unknown>) {
    await this.urge(req, res, 'directive', id, body);
  }

  @Get('requirements/:id/urges')
  @RequirePermission('filing.table')
  async requirementUrges(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('填报要求')) id: string) {
    await this.renderUrges(req, res, 'requirement', id, {});
  }

  @Post('requirements/:id/urges')
  @RequirePermission('notification.urge')
  async urgeRequirement(
    @Req() req: AuthedRequest,
    @Res() res: Response,
    @Param('id', uuidParam('填报要求')) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    await this.urge(req, res, 'requirement', id, body);
  }

  private async urge(req: AuthedRequest, res: Response, type: UrgeSubject, id: string, body: Record<string, unknown>) {
    const orgIds = list(body.orgIds);
    try {
      const r = await this.urges.urge(req.actor as Actor, type, id, { all: body.all === '1', orgIds });
      const q = new URLSearchParams({ urged: String(r.urged.length), limited: String(r.limited.length) });
      res.redirect(303, `/${type === 'directive' ? 'directives' : 'requirements'}/${id}/urges?${q.toString()}`);
    } catch (err) {
      const map = errorMap(err);
      await this.renderUrges(req, res, type, id, { error: map._, chosen: orgIds }, statusOf(err));
    }
  }

  private async renderMe(req: AuthedRequest, res: Response, extra: Record<string, unknown>, status = 200) {
    const actor = req.actor as Actor;
    const pref = await this.settings.preference(actor.personId);
    res.status(status).render('notifications/me', {
      ...(await viewContext(req, res, this.csrf, { title: '我的通知方式' })),
      form: pref,
      phone: pref.phone,
      mailConfigured: this.settings.mailConfigured,
      deliveries: deliveryRows(pref.deliveries),
      saved: req.query.saved === '1',
      errors: {},
      ...extra,
    });
  }

  private async renderOrg(
    req: AuthedRequest,
    res: Response,
    orgId: string,
    extra: { errors?: Record<string, Record<string, string>>; typed?: Record<string, unknown>; error?: string },
    status = 200,
  ) {
    const c = await this.settings.channels(orgId);
    const saved = typeof req.query.saved === 'string' ? CHANNEL_LABELS[req.query.saved as NotifyChannelKind] : undefined;
    const channel = (x: typeof c.email) => ({
      ...x,
      ...((extra.typed?.[x.kind] as object) ?? {}),
      errors: extra.errors?.[x.kind] ?? {},
      isEmail: x.kind === 'EMAIL',
      isDingTalk: x.kind === 'DINGTALK',
    });
    res.status(status).render('notifications/org', {
      ...(await viewContext(req, res, this.csrf, { title: `${c.org.name} · 通知渠道` })),
      org: c.org,
      channels: [channel(c.email), channel(c.dingtalk), channel(c.wecom)],
      mailConfigured: this.settings.mailConfigured,
      deliveries: deliveryRows(c.deliveries),
      saved,
      error: extra.error,
    });
  }

  private async renderUrges(req: AuthedRequest, res: Response, type: UrgeSubject, id: string, extra: { error?: string; chosen?: string[] }, status = 200) {
    const actor = req.actor as Actor;
    const c = await this.urges.candidates(actor, type, id);
    const now = new Date();
    const chosen = new Set(extra.chosen ?? []);
    const urged = Number(req.query.urged ?? NaN);
    const limited = Number(req.query.limited ?? 0);
    const base = type === 'directive' ? `/directives/${id}` : `/requirements/${id}`;
    res.status(status).render('notifications/urges', {
      ...(await viewContext(req, res, this.csrf, { title: `催办 · ${c.title}` })),
      subject: {
        ...c,
        action: `${base}/urges`,
        back: type === 'directive' ? base : `${base}/filings`,
        backLabel: type === 'directive' ? '返回发文' : '返回填报情况',
      },
      notActed: type === 'directive' ? '尚未签收' : '尚未提交',
      canUrge: hasPermission(actor.role, 'notification.urge'),
      intervalHours: URGE_INTERVAL_HOURS,
      candidates: c.candidates.map((x) => ({
        ...x,
        checked: chosen.has(x.orgId),
        lastText: x.lastAt ? `${whenText(x.lastAt, now)} 由${x.lastBy}催办（共 ${x.count} 次）` : '未催办过',
        nextText: x.nextAt ? `${whenText(x.nextAt, now)}后可再催办` : '',
      })),
      history: c.history.map((h) => ({ ...h, atText: whenText(h.at, now) })),
      done: Number.isFinite(urged) ? { urged, limited } : undefined,
      error: extra.error,
    });
  }
}
