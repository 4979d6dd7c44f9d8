import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { ExtensionDecisionDto, ExtensionRequestDto, FilingDraftDto, FilingReviewDto, FilingSubmitDto } from './dto/filing.dto';
import { FilingsService } from './filings.service';

const filingId = uuidParam('填报');

/** Scope and capacity are checked in FilingsService: a branch acts on its own filings only. */
@ApiTags('填报')
@Controller('api')
export class FilingsController {
  constructor(private readonly filings: FilingsService) {}

  @Get('filings/:id')
  get(@CurrentActor() actor: Actor, @Param('id', filingId) id: string) {
    return this.filings.get(actor, id);
  }

  @Put('filings/:id/draft')
  saveDraft(@CurrentActor() actor: Actor, @Param('id', filingId) id: string, @Body() dto: FilingDraftDto) {
    return this.filings.saveDraft(actor, id, dto.values, { baseVersion: dto.baseVersion, editor: dto.editor });
  }

  @Post('filings/:id/submit')
  @HttpCode(200)
  submit(@CurrentActor() actor: Actor, @Param('id', filingId) id: string, @Body() dto: FilingSubmitDto) {
    return this.filings.submit(actor, id, dto.values, { baseVersion: dto.baseVersion, editor: dto.editor });
  }

  @Post('filings/:id/review')
  @HttpCode(200)
  review(@CurrentActor() actor: Actor, @Param('id', filingId) id: string, @Body() dto: FilingReviewDto) {
    return this.filings.review(actor, id, dto);
  }

  @Post('filings/:id/extension')
  @HttpCode(200)
  requestExtension(@CurrentActor() actor: Actor, @Param('id', filingId) id: string, @Body() dto: ExtensionRequestDto) {
    return this.filings.requestExtension(actor, id, dto);
  }

  @Post('filings/:id/extension/decision')
  @HttpCode(200)
  decideExtension(@CurrentActor() actor: Actor, @Param('id', filingId) id: string, @Body() dto: ExtensionDecisionDto) {
    return this.filings.decideExtension(actor, id, dto);
  }

  @Get('requirements/:id/filings')
  table(@CurrentActor() actor: Actor, @Param('id', uuidParam('填报要求')) id: string) {
    return this.filings.table(actor, id);
  }
}
