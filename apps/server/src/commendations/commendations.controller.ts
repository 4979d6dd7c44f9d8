import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { download } from '../common/http/download';
import { uuidParam } from '../common/validation/uuid-param';
import { CommendationNoticeService } from './commendation-notice.service';
import { CommendationsService } from './commendations.service';
import {
  ApproveDto,
  CancelRoundDto,
  CreateCommendationRoundDto,
  DecideDto,
  NominateDto,
  ObjectionDto,
  RankingDto,
  ResolveObjectionDto,
} from './dto/commendation.dto';

const id = uuidParam('评选表扬');
const objectionId = uuidParam('异议');
const noticeId = uuidParam('公示');

/** 评选表扬 (lifecycle 5): rounds, nominations, ranking and approval, the 公示 with objections, the decision. */
@ApiTags('评选表扬')
@Controller('api/commendations')
export class CommendationsController {
  constructor(
    private readonly rounds: CommendationsService,
    private readonly notices: CommendationNoticeService,
  ) {}

  @RequirePermission('commendation.read')
  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.rounds.list(actor);
  }

  @RequirePermission('commendation.manage')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateCommendationRoundDto) {
    return this.rounds.create(actor, dto);
  }

  /** The 公示 page's content: every notice of the last year, for anyone logged in. */
  @RequirePermission('commendation.object')
  @Get('notices')
  noticeList() {
    return this.notices.notices();
  }

  @RequirePermission('commendation.object')
  @Get('notices/:noticeId/pdf')
  @ApiProduces('application/pdf')
  async noticePdf(@CurrentActor() actor: Actor, @Param('noticeId', noticeId) nid: string, @Res() res: Response) {
    const { bytes, filename } = await this.notices.noticePdf(actor, nid);
    download(res, bytes, 'application/pdf', filename, 'notice.pdf');
  }

  @RequirePermission('commendation.read')
  @Get(':id')
  detail(@CurrentActor() actor: Actor, @Param('id', id) roundId: string) {
    return this.rounds.detail(actor, roundId);
  }

  /** 启动: branches are told; the round's workflow closes nominations at the deadline. */
  @RequirePermission('commendation.manage')
  @Post(':id/start')
  @HttpCode(200)
  start(@CurrentActor() actor: Actor, @Param('id', id) roundId: string) {
    return this.rounds.start(actor, roundId);
  }

  @RequirePermission('commendation.manage')
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Body() dto: CancelRoundDto) {
    return this.rounds.cancel(actor, roundId, dto);
  }

  /** 推荐 (a branch for its own people, the committee for anyone); eligibility checked from the record. */
  @RequirePermission('commendation.read')
  @Post(':id/nominations')
  nominate(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Body() dto: NominateDto) {
    return this.rounds.nominate(actor, roundId, dto);
  }

  @RequirePermission('commendation.manage')
  @Put(':id/ranking')
  rank(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Body() dto: RankingDto) {
    return this.rounds.rank(actor, roundId, dto);
  }

  /** 党委审定: the committee's decision, recorded by the party secretary. */
  @RequirePermission('commendation.decide')
  @Post(':id/approval')
  @HttpCode(200)
  approve(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Body() dto: ApproveDto) {
    return this.rounds.approve(actor, roundId, dto);
  }

  /** 发布公示: a numbered notice; the period on the working-day calendar. */
  @RequirePermission('commendation.manage')
  @Post(':id/notice')
  @HttpCode(200)
  openNotice(@CurrentActor() actor: Actor, @Param('id', id) roundId: string) {
    return this.notices.openNotice(actor, roundId);
  }

  /** 异议 during the notice period (anyone logged in, real name). */
  @RequirePermission('commendation.object')
  @Post(':id/objections')
  object(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Body() dto: ObjectionDto) {
    return this.notices.object(actor, roundId, dto);
  }

  @RequirePermission('commendation.manage')
  @Post(':id/objections/:objectionId/resolve')
  @HttpCode(200)
  resolve(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Param('objectionId', objectionId) oid: string, @Body() dto: ResolveObjectionDto) {
    return this.notices.resolve(actor, roundId, oid, dto);
  }

  /** 表扬决定: the 通报表扬 (or 决定), signed by the party secretary; commendations written to the record. */
  @RequirePermission('commendation.decide')
  @Post(':id/decision')
  @HttpCode(200)
  decide(@CurrentActor() actor: Actor, @Param('id', id) roundId: string, @Body() dto: DecideDto) {
    return this.notices.decide(actor, roundId, dto);
  }
}
