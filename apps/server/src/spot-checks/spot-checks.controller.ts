import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { CurrentActor } from '../common/decorators/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { uuidParam } from '../common/validation/uuid-param';
import { sendFile } from '../files/send-file';
import { CreateRoundDto, DrawDto, FindingDto, RectificationDto } from './dto/spot-check.dto';
import { FindingsService } from './findings.service';
import { RectificationsService } from './rectifications.service';
import { SpotCheckReportService } from './spot-check-report.service';
import { SpotChecksService } from './spot-checks.service';

const roundId = uuidParam('抽查轮次');
const findingId = uuidParam('检查结果');

/** Spot checks (抽查/明查暗访). Scope and capacity are checked in the services: a branch sees only its own units and findings. */
@ApiTags('督查抽查')
@Controller('api/spot-checks')
export class SpotChecksController {
  constructor(
    private readonly rounds: SpotChecksService,
    private readonly findings: FindingsService,
    private readonly rectifications: RectificationsService,
    private readonly reports: SpotCheckReportService,
  ) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateRoundDto) {
    return this.rounds.create(actor, dto);
  }

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.rounds.list(actor);
  }

  @Get(':id')
  detail(@CurrentActor() actor: Actor, @Param('id', roundId) id: string) {
    return this.rounds.detail(actor, id);
  }

  /** Draws the sample (seed stored), assigns inspectors, starts the round's workflow. */
  @Post(':id/draw')
  @HttpCode(200)
  draw(@CurrentActor() actor: Actor, @Param('id', roundId) id: string, @Body() dto: DrawDto) {
    return this.rounds.draw(actor, id, dto.seed);
  }

  /** The stored rule, input and seed: `npm run cli -- sample --rule rule.json --orgs orgs.json --seed <seed>` prints the same ids. */
  @Get(':id/sample')
  sample(@CurrentActor() actor: Actor, @Param('id', roundId) id: string) {
    return this.rounds.sampleFiles(actor, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  close(@CurrentActor() actor: Actor, @Param('id', roundId) id: string) {
    return this.rounds.close(actor, id);
  }

  /** Records one checklist item of one unit; a resend of the same clientId (offline page) stores nothing new. */
  @Post(':id/findings')
  @HttpCode(200)
  async record(@CurrentActor() actor: Actor, @Param('id', roundId) id: string, @Body() dto: FindingDto) {
    const { finding, duplicate } = await this.findings.record(actor, id, dto);
    return { ...finding, duplicate };
  }

  @Post('findings/:findingId/rectification')
  rectify(@CurrentActor() actor: Actor, @Param('findingId', findingId) id: string, @Body() dto: RectificationDto) {
    return this.rectifications.open(actor, id, dto);
  }

  @Get('findings/:findingId/photos/:sha256')
  @ApiProduces('image/jpeg')
  async photo(@CurrentActor() actor: Actor, @Param('findingId', findingId) id: string, @Param('sha256') sha256: string, @Res() res: Response) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw DomainError.validation([{ field: 'sha256', message: '字段 sha256（照片指纹）无效' }]);
    await sendFile(res, await this.findings.photo(actor, id, sha256));
  }

  @Get(':id/report')
  report(@CurrentActor() actor: Actor, @Param('id', roundId) id: string) {
    return this.reports.report(actor, id);
  }

  @Get(':id/report.pdf')
  @ApiProduces('application/pdf')
  async reportPdf(@CurrentActor() actor: Actor, @Param('id', roundId) id: string, @Res() res: Response) {
    const { bytes, filename } = await this.reports.pdf(actor, id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="spot-check.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(bytes);
  }
}
