import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import type { Actor } from '../../audit/actor';
import { hasPermission } from '../../auth/permissions';
import { ZONE } from '../../calendar/working-calendar';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { DomainError } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { BallotsService } from '../../reviews/ballots.service';
import { ReviewPublishService } from '../../reviews/review-publish.service';
import { ReviewReportsService } from '../../reviews/review-reports.service';
import { ReviewsService } from '../../reviews/reviews.service';
import { liveToken, sendLiveState } from '../directives/live-state';
import { errorMap, statusOf } from '../form';
import { afterPost, viewContext } from '../view-context';
import {
  ballotFromBody,
  formFromSettings,
  linesFromDraft,
  placeReviewErrors,
  placeSheetProblems,
  ReviewForm,
  reviewFormFromBody,
  reviewFormToDto,
  type BallotLine,
  type SheetProblem,
  type SheetShape,
} from './reviews-form';
import { ReviewFormOptions } from './reviews-options';
import { ballotView, detailView, listView, roundFormView } from './reviews-view';

const id = uuidParam('述职评议');
type Sheet = Awaited<ReturnType<BallotsService['sheet']>>;

const DONE: Record<string, string> = {
  created: '已保存。核对考核对象、评分人和考核项目后点“启动”。',
  updated: '已保存修改。',
  started: '已启动：各支部的待办里已有“述职报告”填报任务，述职报告截止后自动开始评分。',
  published: '已签发通报，整改方案任务已发给评定为“一般”“差”的支部。',
};

/**
 * 述职评议考核 (lifecycle 4): the rounds, a round's settings (new, or edited while a draft), the round page with its
 * progress and — once scoring has closed — the results, and the rater's sheet (a phone page: one card per secretary).
 */
@ApiExcludeController()
@Controller('reviews')
export class ReviewsPagesController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly reports: ReviewReportsService,
    private readonly ballots: BallotsService,
    private readonly publisher: ReviewPublishService,
    private readonly options: ReviewFormOptions,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  @RequirePermission('review.read')
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    const actor = req.actor as Actor;
    res.render('reviews/list', {
      ...(await viewContext(req, res, this.csrf, { title: '述职评议' })),
      canCreate: hasPermission(actor.role, 'review.manage'),
      rounds: listView(await this.reviews.list(actor)),
    });
  }

  @Get('new')
  @RequirePermission('review.manage')
  async newForm(@Req() req: AuthedRequest, @Res() res: Response) {
    const actor = req.actor as Actor;
    const [defaults, options] = [this.reports.defaults(), await this.options.load(actor)];
    const year = DateTime.now().setZone(ZONE).year;
    const form = formFromSettings(defaults, {
      title: `${year}年度村（社区）党组织书记抓基层党建工作述职评议考核`,
      year,
      reportWorkdays: 10,
      scoringWorkdays: 5,
      // Every branch with a secretary, as the committee usually reviews them all.
      subjectOrgIds: options.branches.filter((b) => b.secretary).map((b) => b.id),
      raters: {},
    });
    await this.renderForm(req, res, form, {}, { options });
  }

  @Post('new')
  @RequirePermission('review.manage')
  async create(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const form = reviewFormFromBody(body);
    const { dto, errors } = reviewFormToDto(form);
    if (errors.length) return this.renderForm(req, res, form, placeReviewErrors(form, errors, ''), {}, 400);
    try {
      const round = await this.reviews.create(req.actor as Actor, dto);
      res.redirect(303, `/reviews/${round.id}?done=created`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.renderForm(req, res, form, placeReviewErrors(form, err.fields, err.message), {}, statusOf(err));
    }
  }

  @Get(':id')
  @RequirePermission('review.read')
  async detail(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    await this.renderDetail(req, res, roundId, {});
  }

  /** The round page's live status (polled by live.js): moves when reports come in, scoring opens, ballots are cast or results are published. */
  @Get(':id/status')
  @RequirePermission('review.read')
  async status(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    sendLiveState(req, res, liveToken(await this.reviews.detail(req.actor as Actor, roundId)));
  }

  @Get(':id/edit')
  @RequirePermission('review.manage')
  async editForm(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    const d = await this.reviews.detail(req.actor as Actor, roundId);
    if (d.status !== 'DRAFT') return res.redirect(303, `/reviews/${roundId}`);
    const form = formFromSettings(d, {
      title: d.title,
      year: d.year,
      reportWorkdays: d.reportWorkdays,
      scoringWorkdays: d.scoringWorkdays,
      subjectOrgIds: d.subjects.map((s) => s.orgId),
      raters: Object.fromEntries(d.roster.flatMap((g) => g.raters.map((r) => [r.personId, g.key]))),
    });
    await this.renderForm(req, res, form, {}, { roundId });
  }

  @Post(':id')
  @RequirePermission('review.manage')
  async update(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string, @Body() body: Record<string, unknown>) {
    const form = reviewFormFromBody(body);
    const { dto, errors } = reviewFormToDto(form);
    if (errors.length) return this.renderForm(req, res, form, placeReviewErrors(form, errors, ''), { roundId }, 400);
    try {
      await this.reviews.update(req.actor as Actor, roundId, dto);
      res.redirect(303, `/reviews/${roundId}?done=updated`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.renderForm(req, res, form, placeReviewErrors(form, err.fields, err.message), { roundId }, statusOf(err));
    }
  }

  /** 启动: the 述职报告 filings go out; scoring opens by itself at their deadline. */
  @Post(':id/start')
  @RequirePermission('review.manage')
  async start(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    await this.act(req, res, roundId, 'started', () => this.reviews.start(req.actor as Actor, roundId));
  }

  /** 签发通报: the results as a numbered document, signed by the party secretary. */
  @Post(':id/publish')
  @RequirePermission('review.publish')
  async publish(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    await this.act(req, res, roundId, 'published', () => this.publisher.publish(req.actor as Actor, roundId));
  }

  /** The rater's sheet. */
  @Get(':id/ballot')
  @RequirePermission('review.score')
  async sheet(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string) {
    const sheet = await this.ballots.sheet(req.actor as Actor, roundId);
    const saved = typeof req.query.saved === 'string' && /^\d{1,5}$/.test(req.query.saved) ? Number(req.query.saved) : undefined;
    await this.renderSheet(req, res, sheet, { lines: linesFromDraft(sheet.draft, shape(sheet)), problems: [], saved });
  }

  /** 暂存: every valid line is kept; what could not be kept is listed, and the sheet shows what was typed. */
  @Post(':id/ballot/draft')
  @RequirePermission('review.score')
  async saveDraft(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string, @Body() body: Record<string, unknown>) {
    const actor = req.actor as Actor;
    const sheet = await this.ballots.sheet(actor, roundId);
    const { lines, entries, problems } = ballotFromBody(body, shape(sheet));
    try {
      const kept = await this.ballots.saveDraft(actor, roundId, { entries });
      const all = [
        ...problems,
        ...placeSheetProblems(
          kept.problems.map((p) => p.message),
          sheet.subjects,
        ),
      ];
      if (!all.length) return res.redirect(303, afterPost(req, `/reviews/${roundId}/ballot?saved=${kept.saved}`));
      await this.renderSheet(req, res, await this.ballots.sheet(actor, roundId), { lines, problems: all, asked: 'draft', saved: kept.saved });
    } catch (err) {
      // Voted in another tab, or the window closed meanwhile: the sheet as it is now says so.
      const problemsNow = [...problems, ...this.sheetProblems(err, sheet)];
      await this.renderSheet(req, res, await this.ballots.sheet(actor, roundId), { lines, problems: problemsNow, asked: 'draft' }, statusOf(err));
    }
  }

  /** 投票: the whole sheet, once. */
  @Post(':id/ballot')
  @RequirePermission('review.score')
  async cast(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', id) roundId: string, @Body() body: Record<string, unknown>) {
    const actor = req.actor as Actor;
    const sheet = await this.ballots.sheet(actor, roundId);
    const { lines, entries, problems } = ballotFromBody(body, shape(sheet));
    // A sheet that cannot be read as typed is not sent: nothing is cast that the rater did not mean.
    if (problems.length) return this.renderSheet(req, res, sheet, { lines, problems, asked: 'cast' }, 400);
    try {
      await this.ballots.cast(actor, roundId, { entries });
      res.redirect(303, afterPost(req, `/reviews/${roundId}/ballot`));
    } catch (err) {
      await this.renderSheet(
        req,
        res,
        await this.ballots.sheet(actor, roundId),
        { lines, problems: this.sheetProblems(err, sheet), asked: 'cast' },
        statusOf(err),
      );
    }
  }

  private sheetProblems(err: unknown, sheet: Sheet): SheetProblem[] {
    if (!(err instanceof DomainError)) throw err;
    const messages = err.fields.length ? err.fields.map((f) => f.message) : [err.message];
    return placeSheetProblems(messages, sheet.subjects);
  }

  private async act(req: AuthedRequest, res: Response, roundId: string, done: string, run: () => Promise<unknown>) {
    try {
      await run();
      res.redirect(303, `/reviews/${roundId}?done=${done}`);
    } catch (err) {
      await this.renderDetail(req, res, roundId, { error: errorMap(err)._ }, statusOf(err));
    }
  }

  private async renderForm(
    req: AuthedRequest,
    res: Response,
    form: ReviewForm,
    errors: Record<string, string>,
    o: { roundId?: string; options?: Awaited<ReturnType<ReviewFormOptions['load']>> },
    status = 200,
  ) {
    const options = o.options ?? (await this.options.load(req.actor as Actor));
    res.status(status).render('reviews/form', {
      ...(await viewContext(req, res, this.csrf, { title: o.roundId ? '修改述职评议' : '新建述职评议' })),
      ...roundFormView(form, options, errors),
      roundId: o.roundId,
      action: o.roundId ? `/reviews/${o.roundId}` : '/reviews/new',
      cancel: o.roundId ? `/reviews/${o.roundId}` : '/reviews',
    });
  }

  private async renderDetail(req: AuthedRequest, res: Response, roundId: string, extra: { error?: string }, status = 200) {
    const actor = req.actor as Actor;
    const d = await this.reviews.detail(actor, roundId);
    // Once closed, the page shows the 日常考核 the results were computed with (kept with them); before, the record as it stands.
    const daily = d.results ? undefined : await this.reports.daily(actor, roundId);
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    res.status(status).render('reviews/detail', {
      ...(await viewContext(req, res, this.csrf, { title: d.title })),
      ...detailView(d, daily, actor),
      liveVersion: liveToken(d),
      done: status === 200 ? done : undefined,
      ...extra,
    });
  }

  private async renderSheet(
    req: AuthedRequest,
    res: Response,
    sheet: Sheet,
    o: { lines: Record<string, BallotLine>; problems: SheetProblem[]; asked?: 'draft' | 'cast'; saved?: number },
    status = 200,
  ) {
    const thresholds = await this.options.thresholds(sheet.round.id);
    // The sheet is the rater's alone: never kept by a shared cache, nor shown again from the back button after logout.
    res.set('Cache-Control', 'private, no-store');
    res.status(status).render('reviews/ballot', {
      ...(await viewContext(req, res, this.csrf, { title: `评分：${sheet.round.title}` })),
      ...ballotView(sheet, { ...o, thresholds }),
    });
  }
}

function shape(sheet: Sheet): SheetShape {
  return {
    ballotKind: sheet.group.ballotKind,
    subjects: sheet.subjects.map((s) => ({ id: s.id, name: s.name })),
    items: sheet.items.map((i) => ({ key: i.key, name: i.name, max: i.max })),
  };
}
