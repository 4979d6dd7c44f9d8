import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { download, XLSX_TYPE } from '../common/http/download';
import { sendFile } from '../files/send-file';
import { sha256Param } from '../files/sha256-param';
import { uuidParam } from '../common/validation/uuid-param';
import { BallotsService } from './ballots.service';
import { BallotSheetDto, CreateReviewRoundDto } from './dto/review.dto';
import { ReviewPublishService } from './review-publish.service';
import { ReviewReportsService } from './review-reports.service';
import { ReviewsService } from './reviews.service';

const id = uuidParam('述职评议');

/** 述职评议考核 (lifecycle 4): the committee sets up, starts and publishes a round; raters score on their sheet. */
@ApiTags('述职评议')
@Controller('api/reviews')
export class ReviewsController {
  constructor(
    private readonly reviews: ReviewsService,
    private readonly ballots: BallotsService,
    private readonly reports: ReviewReportsService,
    private readonly publisher: ReviewPublishService,
  ) {}

  @RequirePermission('review.read')
  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.reviews.list(actor);
  }

  /** The default rubric, rater groups, formula settings and daily weights, for a new round's form. */
  @RequirePermission('review.manage')
  @Get('defaults')
  defaults() {
    return this.reports.defaults();
  }

  @RequirePermission('review.manage')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateReviewRoundDto) {
    return this.reviews.create(actor, dto);
  }

  @RequirePermission('review.read')
  @Get(':id')
  detail(@CurrentActor() actor: Actor, @Param('id', id) roundId: string) {
    return this.reviews.detail(actor, roundId);
  }

  @RequirePermission('review.manage')
  @Put(':id')
  update(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Body() dto: CreateReviewRoundDto) {
    return this.reviews.update(actor, roundId, dto);
  }

  /** 启动: the 述职报告 filings go out, the round's workflow starts. */
  @RequirePermission('review.manage')
  @Post(':id/start')
  @HttpCode(200)
  start(@CurrentActor() actor: Actor, @Param('id', id) roundId: string) {
    return this.reviews.start(actor, roundId);
  }

  /** 日常考核 as the record stands now, each figure with the records behind it. */
  @RequirePermission('review.read')
  @Get(':id/daily')
  daily(@CurrentActor() actor: Actor, @Param('id', id) roundId: string) {
    return this.reports.daily(actor, roundId);
  }

  /** The results: only once scoring has closed (409 before). */
  @RequirePermission('review.read')
  @Get(':id/results')
  results(@CurrentActor() actor: Actor, @Param('id', id) roundId: string) {
    return this.reports.results(actor, roundId);
  }

  @RequirePermission('review.read')
  @Get(':id/results.xlsx')
  @ApiProduces(XLSX_TYPE)
  async xlsx(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Res() res: Response) {
    const { bytes, filename } = await this.reports.xlsx(actor, roundId);
    download(res, bytes, XLSX_TYPE, filename, 'review-results.xlsx');
  }

  /** The anonymous ballots and everything the formula needs: `npm run cli -- aggregate <file>` recounts them. */
  @RequirePermission('review.read')
  @Get(':id/ballots.json')
  @ApiProduces('application/json')
  async exportBallots(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Res() res: Response) {
    const { file, filename } = await this.reports.exportFile(actor, roundId);
    download(res, Buffer.from(JSON.stringify(file, null, 2)), 'application/json; charset=utf-8', filename, 'ballots.json');
  }

  /** 通报: the results as a numbered red-header document, signed by the party secretary. */
  @RequirePermission('review.publish')
  @Post(':id/publish')
  @HttpCode(200)
  publish(@CurrentActor() actor: Actor, @Param('id', id) roundId: string) {
    return this.publisher.publish(actor, roundId);
  }

  /** The rater's sheet. */
  @RequirePermission('review.score')
  @Get(':id/ballot')
  sheet(@CurrentActor() actor: Actor, @Param('id', id) roundId: string) {
    return this.ballots.sheet(actor, roundId);
  }

  /** 暂存: keeps every valid line and lists those it could not keep. */
  @RequirePermission('review.score')
  @Put(':id/ballot/draft')
  saveDraft(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Body() dto: BallotSheetDto) {
    return this.ballots.saveDraft(actor, roundId, dto);
  }

  /** 投票: the whole sheet, once. */
  @RequirePermission('review.score')
  @Post(':id/ballot')
  @HttpCode(200)
  cast(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Body() dto: BallotSheetDto) {
    return this.ballots.cast(actor, roundId, dto);
  }

  /** An attachment of a report the rater may score. */
  @RequirePermission('review.score')
  @Get(':id/ballot/files/:sha256')
  async reportFile(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Param('sha256', sha256Param) sha256: string, @Res() res: Response) {
    await sendFile(res, await this.ballots.reportFile(actor, roundId, sha256));
  }
}
