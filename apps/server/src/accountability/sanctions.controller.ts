import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { RecordSanctionDto } from './dto/sanction.dto';
import { SanctionsService } from './sanctions.service';

/** 登记党纪处分: the committee's case officer registers a sanction the 纪委 decided; the committee reads the township's. */
@ApiTags('问责')
@Controller('api/accountability/sanctions')
export class SanctionsController {
  constructor(private readonly sanctions: SanctionsService) {}

  @RequirePermission('accountability.read')
  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.sanctions.list(actor);
  }

  @RequirePermission('accountability.manage')
  @Post()
  record(@CurrentActor() actor: Actor, @Body() dto: RecordSanctionDto) {
    return this.sanctions.record(actor, dto);
  }
}
