import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { DomainError, STATUS_OF } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { CommendationNoticeService } from '../../commendations/commendation-notice.service';
import { cnDate } from '../../commendations/notice-period';
import { errorMap } from '../form';
import { viewContext } from '../view-context';

const statusOf = (err: unknown) => (err instanceof DomainError ? STATUS_OF[err.code] : 500);
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The 公示 page (lifecycle 5): every notice of the last year with its list, its period and contact, and — while a
 * notice runs — a real-name objection form under it. Open to anyone logged in, on a phone as at a desk.
 */
@ApiExcludeController()
@Controller('commendations')
export class CommendationsPagesController {
  constructor(
    private readonly notices: CommendationNoticeService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get('notices')
  @RequirePermission('commendation.object')
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.render(req, res, { done: req.query.done === 'objected' });
  }

  /** 提出异议: in the name of the person logged in; refused in plain words when late or not in notice. */
  @Post('notices/objection')
  @RequirePermission('commendation.object')
  async object(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const form = { roundId: text(body.roundId), nomineeId: text(body.nomineeId), text: text(body.text).trim() };
    const errors: Record<string, string> = {};
    if (!form.nomineeId) errors.nomineeId = '请选择对哪一位拟表扬对象提出异议';
    if (!form.text) errors.text = '请填写异议内容';
    if (form.text.length > 2000) errors.text = '异议内容不能超过 2000 个字符';
    if (!/^[0-9a-f-]{36}$/.test(form.roundId) || (form.nomineeId && !/^[0-9a-f-]{36}$/.test(form.nomineeId))) errors._ = '公示对象不存在';
    if (Object.keys(errors).length) return this.render(req, res, { form, errors }, 400);
    try {
      await this.notices.object(req.actor as Actor, form.roundId, { nomineeId: form.nomineeId, text: form.text });
      res.redirect(303, '/commendations/notices?done=objected');
    } catch (err) {
      await this.render(req, res, { form, errors: { _: errorMap(err)._ ?? '提交失败' } }, statusOf(err));
    }
  }

  private async render(
    req: AuthedRequest,
    res: Response,
    o: { done?: boolean; form?: { roundId: string; nomineeId: string; text: string }; errors?: Record<string, string> },
    status = 200,
  ) {
    // The form's errors go under the form of its notice while that notice runs; otherwise at the top of the page.
    const mine = (n: { roundId: string; open: boolean; nominees: { id: string; status: string }[] }) =>
      n.open && o.form?.roundId === n.roundId && n.nominees.some((x) => x.id === o.form?.nomineeId && x.status === 'NOTICE');
    const notices = (await this.notices.notices()).map((n) => ({
      ...n,
      period: `${cnDate(n.startsOn)}至${cnDate(n.endsOn)}`,
      nominees: n.nominees.map((x) => ({ ...x, removed: x.status === 'REMOVED' || x.status === 'INELIGIBLE', selected: o.form?.nomineeId === x.id })),
      inNotice: n.nominees.filter((x) => x.status === 'NOTICE'),
      form: mine(n) ? o.form : null,
      errors: mine(n) ? (o.errors ?? {}) : {},
    }));
    const placed = notices.some((n) => n.form);
    res.status(status).render('commendations/notices', {
      ...(await viewContext(req, res, this.csrf, { title: '评选表扬公示' })),
      notices,
      done: o.done,
      error: placed ? null : (o.errors?._ ?? null),
      objector: req.actor?.name,
    });
  }
}
