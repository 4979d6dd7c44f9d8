import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../../audit/actor';
import { BRANCH_ROLES } from '../../auth/roles';
import { hasPermission } from '../../auth/permissions';
import { AuthedRequest, Public, RequirePermission } from '../../common/decorators/auth.decorators';
import { DomainError, STATUS_OF } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { PROJECT_ROOT } from '../../common/paths';
import { uuidParam } from '../../common/validation/uuid-param';
import { OrgsService } from '../../orgs/orgs.service';
import { Role } from '../../prisma/client';
import { SpotCheckReportService } from '../../spot-checks/spot-check-report.service';
import { SpotChecksService } from '../../spot-checks/spot-checks.service';
import { errorMap, statusOf } from '../form';
import { blankRoundForm, LEVEL_CHOICES, placeErrors, RoundForm, roundFormFromBody, roundFormToDto, RULE_TYPES } from './spot-checks-form';
import { detailView, inspectView, roundFormView } from './spot-checks-view';
import { viewContext } from '../view-context';
import { liveToken, sendLiveState } from '../directives/live-state';

const id = uuidParam('抽查轮次');
const SW = path.join(PROJECT_ROOT, 'templates/pages/static/spot-checks-sw.js');

/** 督查抽查: the rounds, a new round, the round with its draw, results and report, and the inspector's field page (works offline). */
@ApiExcludeController()
@Controller('spot-checks')
export class SpotChecksPagesController {
  constructor(
    private readonly rounds: SpotChecksService,
    private readonly reports: SpotCheckReportService,
    private readonly orgs: OrgsService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  /** The inspector page's service worker; served from /spot-checks/ so that its scope may be /spot-checks/. Holds no data. */
  @Get('sw.js')
  @Public()
  serviceWorker(@Res() res: Response) {
    res.type('application/javascript').set('Cache-Control', 'no-cache');
    fs.createReadStream(SW).pipe(res);
  }

  @Get()
  @RequirePermission('spotcheck.read')
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    const actor = req.actor as Actor;
    const rounds = await this.rounds.list(actor);
    res.render('spot-checks/list', {
      ...(await viewContext(req, res, this.csrf, { title: '督查抽查' })),
      canCreate: hasPermission(actor.role, 'spotcheck.manage'),
      isBranch: BRANCH_ROLES.includes(actor.role),
      isInspector: actor.role === Role.INSPECTOR,
      rounds,
    });
  }

  @Get('new')
  @RequirePermission('spotcheck.manage')
  async newForm(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.renderForm(req, res, blankRoundForm((req.actor as Actor).orgId), {});
  }

  @Post('new')
  @RequirePermission('spotcheck.manage')
  async create(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const form = roundFormFromBody(body);
    const { dto, errors } = roundFormToDto(form);
    if (errors.length) return this.renderForm(req, res, form, placeErrors(form, errors, ''), 400);
    try {
      const round = await this.rounds.create(req.actor as Actor, dto);
      res.redirect(303, `/spot-checks/${round.id}?done=created`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.renderForm(req, res, form, placeErrors(form, err.fields, err.message), statusOf(err));
    }
  }

  @Get(':id')
  @RequirePermission('spotcheck.read')
  async detail(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    await this.renderDetail(req, res, roundId, {});
  }

  /**
   * The round page's live status (polled by live.js): a token of what the page shows this capacity, which moves when the
   * round is drawn or closed, a unit is checked or a rectification moves.
   */
  @Get(':id/status')
  @RequirePermission('spotcheck.read')
  async status(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    sendLiveState(req, res, liveToken(await this.rounds.detail(req.actor as Actor, roundId)));
  }

  /** 抽取: a seed typed in (to repeat a draw made elsewhere) or a random one, stored with the sample. */
  @Post(':id/draw')
  @RequirePermission('spotcheck.manage')
  async draw(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string, @Body() body: Record<string, string>) {
    const seed = (body.seed ?? '').trim();
    if (seed && !/^[\w.:-]{1,64}$/.test(seed))
      return this.renderDetail(req, res, roundId, { errors: { seed: '随机种子只能用字母、数字和 _ . : -，不超过 64 个字符' }, seed }, 400);
    await this.act(req, res, roundId, 'drawn', { seed }, () => this.rounds.draw(req.actor as Actor, roundId, seed || undefined));
  }

  @Post(':id/close')
  @RequirePermission('spotcheck.manage')
  async close(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    await this.act(req, res, roundId, 'closed', {}, () => this.rounds.close(req.actor as Actor, roundId));
  }

  /** rule.json and orgs.json of `npm run cli -- sample --rule rule.json --orgs orgs.json --seed <seed>`, as downloads. */
  @Get(':id/rule.json')
  @RequirePermission('spotcheck.sample')
  async ruleFile(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    const s = await this.rounds.sampleFiles(req.actor as Actor, roundId);
    res
      .attachment('rule.json')
      .type('application/json')
      .send(`${JSON.stringify(s.rule, null, 2)}\n`);
  }

  @Get(':id/orgs.json')
  @RequirePermission('spotcheck.sample')
  async orgsFile(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    const s = await this.rounds.sampleFiles(req.actor as Actor, roundId);
    res
      .attachment('orgs.json')
      .type('application/json')
      .send(`${JSON.stringify(s.orgs, null, 2)}\n`);
  }

  /** The inspector's field page: the units assigned to them, item by item; records are queued on the phone and sent when online. */
  @Get(':id/inspect')
  @RequirePermission('spotcheck.inspect')
  async inspect(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    const actor = req.actor as Actor;
    const detail = await this.rounds.detail(actor, roundId);
    // The page is kept by the service worker for use without a connection: never by shared caches.
    res.set('Cache-Control', 'private, no-cache');
    res.render('spot-checks/inspect', {
      ...(await viewContext(req, res, this.csrf, { title: `${detail.title} · 现场检查` })),
      ...inspectView(detail, actor.personId),
    });
  }

  private async act(req: AuthedRequest, res: Response, roundId: string, done: string, keep: { seed?: string }, run: () => Promise<unknown>) {
    try {
      await run();
      res.redirect(303, `/spot-checks/${roundId}?done=${done}`);
    } catch (err) {
      await this.renderDetail(req, res, roundId, { ...keep, error: errorMap(err)._ }, statusOf(err));
    }
  }

  /** The stored draw; a round without one (drawn before draws were stored) shows no draw section. */
  private async sample(actor: Actor, roundId: string) {
    try {
      return await this.rounds.sampleFiles(actor, roundId);
    } catch (err) {
      if (err instanceof DomainError && STATUS_OF[err.code] === 409) return undefined;
      throw err;
    }
  }

  private async renderForm(req: AuthedRequest, res: Response, form: RoundForm, errors: Record<string, string>, status = 200) {
    const actor = req.actor as Actor;
    const [orgs, inspectors] = await Promise.all([this.orgs.list(actor), this.rounds.inspectorCandidates(actor.orgId)]);
    res.status(status).render('spot-checks/form', {
      ...(await viewContext(req, res, this.csrf, { title: '新建抽查' })),
      ...roundFormView(form, orgs, inspectors),
      ruleTypes: RULE_TYPES,
      levelChoices: LEVEL_CHOICES,
      errors,
    });
  }

  private async renderDetail(
    req: AuthedRequest,
    res: Response,
    roundId: string,
    extra: { error?: string; errors?: Record<string, string>; seed?: string },
    status = 200,
  ) {
    const actor = req.actor as Actor;
    const detail = await this.rounds.detail(actor, roundId);
    const isBranch = BRANCH_ROLES.includes(actor.role);
    // A branch sees its own units only; the report, the sample and the other branches are the committee's.
    const [report, sample] = isBranch
      ? [undefined, undefined]
      : await Promise.all([this.reports.report(actor, roundId), detail.seed ? this.sample(actor, roundId) : Promise.resolve(undefined)]);
    res.status(status).render('spot-checks/detail', {
      ...(await viewContext(req, res, this.csrf, { title: detail.title })),
      ...detailView(detail, { report, sample, actor, isBranch }),
      liveVersion: liveToken(detail),
      done: typeof req.query.done === 'string' ? req.query.done : '',
      errors: {},
      ...extra,
    });
  }
}
