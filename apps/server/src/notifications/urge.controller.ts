import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { uuidParam } from '../common/validation/uuid-param';
import { UrgeService } from './urge.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The body of an urge: {all: true}, or {orgIds: [...]} naming the branches; anything else is a Chinese 400. */
export function urgeChoice(body: unknown): { all: boolean; orgIds: string[] } {
  const b = (body ?? {}) as { all?: unknown; orgIds?: unknown };
  if (b.all !== undefined && typeof b.all !== 'boolean') throw DomainError.validation([{ field: 'all', message: '“全部催办”须为是或否' }]);
  const ids = b.orgIds === undefined ? [] : b.orgIds;
  if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string' || !UUID.test(x)))
    throw DomainError.validation([{ field: 'orgIds', message: '要催办的支部须是支部编号的列表' }]);
  return { all: b.all === true, orgIds: ids as string[] };
}

/** 一键催办 over the API: who has not acted and when each was urged; urge all or chosen branches. */
@ApiTags('催办')
@Controller('api')
export class UrgeController {
  constructor(private readonly urges: UrgeService) {}

  @Get('directives/:id/urges')
  @RequirePermission('directive.read')
  directive(@CurrentActor() actor: Actor, @Param('id', uuidParam('发文')) id: string) {
    return this.urges.candidates(actor, 'directive', id);
  }

  @Post('directives/:id/urges')
  @RequirePermission('notification.urge')
  @HttpCode(200)
  urgeDirective(@CurrentActor() actor: Actor, @Param('id', uuidParam('发文')) id: string, @Body() body: unknown) {
    return this.urges.urge(actor, 'directive', id, urgeChoice(body));
  }

  @Get('requirements/:id/urges')
  @RequirePermission('filing.table')
  requirement(@CurrentActor() actor: Actor, @Param('id', uuidParam('填报要求')) id: string) {
    return this.urges.candidates(actor, 'requirement', id);
  }

  @Post('requirements/:id/urges')
  @RequirePermission('notification.urge')
  @HttpCode(200)
  urgeRequirement(@CurrentActor() actor: Actor, @Param('id', uuidParam('填报要求')) id: string, @Body() body: unknown) {
    return this.urges.urge(actor, 'requirement', id, urgeChoice(body));
  }
}
