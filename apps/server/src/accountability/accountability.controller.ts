import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { CasesService } from './cases.service';
import { DecisionsService } from './decisions.service';
import {
  AppealAnswerDto,
  AskDefenceDto,
  DecisionDto,
  DefenceDto,
  FindingDto,
  InfluenceQueryDto,
  InvestigationDto,
  NoteDto,
  OpenCaseDto,
  OpenFromProposalsDto,
  ReasonDto,
  TalkDto,
} from './dto/accountability.dto';
import { AccountabilityQueriesService } from './accountability-queries.service';

const id = uuidParam('问责案件');
const taskId = uuidParam('问责待办');

/** 问责 (lifecycle 6): the committee opens, investigates and decides a case; the person concerned answers, signs for and appeals it. */
@ApiTags('问责')
@Controller('api/accountability')
export class AccountabilityController {
  constructor(
    private readonly cases: CasesService,
    private readonly decisions: DecisionsService,
    private readonly queries: AccountabilityQueriesService,
  ) {}

  /** Pending proposals grouped by target, each group flagged when the target already had a case this year. */
  @RequirePermission('accountability.read')
  @Get('proposals')
  proposals(@CurrentActor() actor: Actor) {
    return this.cases.proposals(actor);
  }

  @RequirePermission('accountability.read')
  @Get('cases')
  list(@CurrentActor() actor: Actor) {
    return this.cases.list(actor);
  }

  /** 人工立案 with evidence. */
  @RequirePermission('accountability.manage')
  @Post('cases')
  open(@CurrentActor() actor: Actor, @Body() dto: OpenCaseDto) {
    return this.cases.openManual(actor, dto);
  }

  /** 立案 from the proposals about one target. */
  @RequirePermission('accountability.manage')
  @Post('cases/from-proposals')
  openFromProposals(@CurrentActor() actor: Actor, @Body() dto: OpenFromProposalsDto) {
    return this.cases.openFromProposals(actor, dto);
  }

  /** The committee, the case's investigators, or the organisation concerned (its own case): the service decides. */
  @Get('cases/:id')
  detail(@CurrentActor() actor: Actor, @Param('id', id) caseId: string) {
    return this.cases.detail(actor, caseId);
  }

  @RequirePermission('accountability.manage')
  @Post('cases/:id/talks')
  talk(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: TalkDto) {
    return this.cases.recordTalk(actor, caseId, dto);
  }

  /** Handled by talks alone: follows the commitments, no formal accountability. */
  @RequirePermission('accountability.manage')
  @Post('cases/:id/conclude')
  @HttpCode(200)
  conclude(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: ReasonDto) {
    return this.cases.concludeWithTalk(actor, caseId, dto.reason);
  }

  @RequirePermission('accountability.manage')
  @Post('cases/:id/investigation')
  @HttpCode(200)
  investigation(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: InvestigationDto) {
    return this.cases.startInvestigation(actor, caseId, dto);
  }

  @RequirePermission('accountability.investigate')
  @Post('cases/:id/findings')
  finding(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: FindingDto) {
    return this.cases.addFinding(actor, caseId, dto);
  }

  /** 告知陈述申辩: the deadline in working days. */
  @RequirePermission('accountability.manage')
  @Post('cases/:id/defence/ask')
  @HttpCode(200)
  askDefence(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: AskDefenceDto) {
    return this.cases.askDefence(actor, caseId, dto);
  }

  /** 陈述申辩 by the person concerned. */
  @RequirePermission('accountability.respond')
  @Post('cases/:id/defence')
  @HttpCode(200)
  defence(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: DefenceDto) {
    return this.cases.submitDefence(actor, caseId, dto);
  }

  /** 集体决定, signed by the party secretary: the 问责决定书 is numbered, issued and served. */
  @RequirePermission('accountability.decide')
  @Post('cases/:id/decision')
  @HttpCode(200)
  decide(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: DecisionDto) {
    return this.decisions.decide(actor, caseId, dto);
  }

  @RequirePermission('accountability.manage')
  @Post('cases/:id/dismiss')
  @HttpCode(200)
  dismiss(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: ReasonDto) {
    return this.cases.dismiss(actor, caseId, dto.reason);
  }

  /** 申诉 within one month of service. */
  @RequirePermission('accountability.respond')
  @Post('cases/:id/appeal')
  @HttpCode(200)
  appeal(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: ReasonDto) {
    return this.decisions.fileAppeal(actor, caseId, dto.reason);
  }

  @RequirePermission('accountability.decide')
  @Post('cases/:id/appeal/answer')
  @HttpCode(200)
  answer(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Body() dto: AppealAnswerDto) {
    return this.decisions.answerAppeal(actor, caseId, dto);
  }

  /** A document of the case (决定书, 复查决定), for the committee and the organisation concerned. */
  @Get('cases/:id/documents/:documentId/pdf')
  @ApiProduces('application/pdf')
  async pdf(@CurrentActor() actor: Actor, @Param('id', id) caseId: string, @Param('documentId', uuidParam('公文')) documentId: string, @Res() res: Response) {
    const { bytes, filename } = await this.queries.documentPdf(actor, caseId, documentId);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.end(bytes);
  }

  /** The case officer's side of execution (组织调整 carried out, 诫勉谈话 held). */
  @RequirePermission('accountability.manage')
  @Post('tasks/:taskId/carry-out')
  @HttpCode(200)
  carryOut(@CurrentActor() actor: Actor, @Param('taskId', taskId) task: string, @Body() dto: NoteDto) {
    return this.decisions.completeTask(actor, task, dto.note, 'COMMITTEE');
  }

  /** 签收 of the decision, by the organisation or the person concerned. */
  @RequirePermission('accountability.respond')
  @Post('tasks/:taskId/acknowledge')
  @HttpCode(200)
  acknowledge(@CurrentActor() actor: Actor, @Param('taskId', taskId) task: string) {
    return this.decisions.acknowledge(actor, task);
  }

  /** The organisation's side: 书面检查, 整改报告, a talk's commitment. */
  @RequirePermission('accountability.respond')
  @Post('tasks/:taskId/complete')
  @HttpCode(200)
  complete(@CurrentActor() actor: Actor, @Param('taskId', taskId) task: string, @Body() dto: NoteDto) {
    return this.decisions.completeTask(actor, task, dto.note, 'CONCERNED');
  }

  /** A person's measures in force on a day and what each bars (评优, 最高等次, 提拔, 调离): what lifecycles 4 and 5 read. */
  @RequirePermission('accountability.read')
  @Get('people/:personId/influence')
  influence(@CurrentActor() actor: Actor, @Param('personId', uuidParam('人员')) personId: string, @Query() q: InfluenceQueryDto) {
    return this.queries.influence(actor, personId, q.day);
  }
}
