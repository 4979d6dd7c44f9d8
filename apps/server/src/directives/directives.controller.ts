import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { DirectivesService } from './directives.service';
import { CreateDirectiveDto, DecideDto, ReasonDto, UpdateDirectiveDto } from './dto/directive.dto';

const id = uuidParam('发文');

@ApiTags('发文')
@Controller('api/directives')
export class DirectivesController {
  constructor(private readonly directives: DirectivesService) {}

  @RequirePermission('directive.read')
  @Get()
  list(@CurrentActor() actor: Actor, @Query('status') status?: unknown) {
    return this.directives.list(actor, { status });
  }

  @RequirePermission('directive.draft')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateDirectiveDto) {
    return this.directives.create(actor, dto);
  }

  @RequirePermission('directive.read')
  @Get(':id')
  detail(@CurrentActor() actor: Actor, @Param('id', id) directiveId: string) {
    return this.directives.detail(actor, directiveId);
  }

  @RequirePermission('directive.draft')
  @Put(':id')
  update(@CurrentActor() actor: Actor, @Param('id', id) directiveId: string, @Body() dto: UpdateDirectiveDto) {
    return this.directives.update(actor, directiveId, dto);
  }

  @RequirePermission('directive.draft')
  @Post(':id/submit')
  @HttpCode(200)
  submit(@CurrentActor() actor: Actor, @Param('id', id) directiveId: string) {
    return this.directives.submit(actor, directiveId);
  }

  /** 核稿 / 会签 / 签发 decisions: approve or return for revision, with a comment. */
  @RequirePermission('directive.approve')
  @Post(':id/decisions')
  @HttpCode(200)
  decide(@CurrentActor() actor: Actor, @Param('id', id) directiveId: string, @Body() dto: DecideDto) {
    return this.directives.decide(actor, directiveId, dto);
  }

  @RequirePermission('directive.draft')
  @Post(':id/withdraw')
  @HttpCode(200)
  withdraw(@CurrentActor() actor: Actor, @Param('id', id) directiveId: string, @Body() dto: ReasonDto) {
    return this.directives.withdraw(actor, directiveId, dto.reason);
  }

  @RequirePermission('directive.revoke')
  @Post(':id/revoke')
  @HttpCode(200)
  revoke(@CurrentActor() actor: Actor, @Param('id', id) directiveId: string, @Body() dto: ReasonDto) {
    return this.directives.revoke(actor, directiveId, dto.reason);
  }

  @RequirePermission('directive.read')
  @Get(':id/receipts')
  receipts(@CurrentActor() actor: Actor, @Param('id', id) directiveId: string) {
    return this.directives.receipts(actor, directiveId);
  }
}
