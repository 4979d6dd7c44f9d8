import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { CsvImportDto } from '../orgs/dto/import.dto';
import { CreatePersonDto, MembershipInputDto, UpdatePersonDto } from './dto/person.dto';
import { PeopleService } from './people.service';

const personId = uuidParam('人员');

@ApiTags('人员')
@Controller('api/people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query('orgId') orgId?: string, @Query('includeInactive') includeInactive?: string) {
    return this.people.list(actor, { orgId: orgId || undefined, includeInactive: includeInactive === 'true' });
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', personId) id: string) {
    return this.people.get(actor, id);
  }

  @RequirePermission('admin.people')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePersonDto) {
    return this.people.create(actor, dto);
  }

  @RequirePermission('admin.people')
  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Req() req: Request, @Param('id', personId) id: string, @Body() dto: UpdatePersonDto) {
    return this.people.update(actor, id, dto, { currentSid: req.sessionID });
  }

  @RequirePermission('admin.people')
  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@CurrentActor() actor: Actor, @Param('id', personId) id: string) {
    return this.people.setActive(actor, id, false);
  }

  @RequirePermission('admin.people')
  @Post(':id/activate')
  @HttpCode(200)
  activate(@CurrentActor() actor: Actor, @Param('id', personId) id: string) {
    return this.people.setActive(actor, id, true);
  }

  @RequirePermission('admin.people')
  @Post(':id/memberships')
  addMembership(@CurrentActor() actor: Actor, @Param('id', personId) id: string, @Body() dto: MembershipInputDto) {
    return this.people.addMembership(actor, id, dto);
  }

  @RequirePermission('admin.people')
  @Post(':id/memberships/:membershipId/remove')
  @HttpCode(200)
  removeMembership(@CurrentActor() actor: Actor, @Param('id', personId) id: string, @Param('membershipId', uuidParam('任职')) membershipId: string) {
    return this.people.removeMembership(actor, id, membershipId);
  }

  @RequirePermission('admin.people')
  @Post('import')
  @HttpCode(200)
  import(@CurrentActor() actor: Actor, @Body() dto: CsvImportDto) {
    return this.people.importCsv(actor, dto.csv);
  }
}
