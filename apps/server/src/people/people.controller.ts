import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, Roles } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { CsvImportDto } from '../orgs/dto/import.dto';
import { Role } from '../prisma/client';
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

  @Roles(Role.ADMIN)
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePersonDto) {
    return this.people.create(actor, dto);
  }

  @Roles(Role.ADMIN)
  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id', personId) id: string, @Body() dto: UpdatePersonDto) {
    return this.people.update(actor, id, dto);
  }

  @Roles(Role.ADMIN)
  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@CurrentActor() actor: Actor, @Param('id', personId) id: string) {
    return this.people.setActive(actor, id, false);
  }

  @Roles(Role.ADMIN)
  @Post(':id/activate')
  @HttpCode(200)
  activate(@CurrentActor() actor: Actor, @Param('id', personId) id: string) {
    return this.people.setActive(actor, id, true);
  }

  @Roles(Role.ADMIN)
  @Post(':id/memberships')
  addMembership(@CurrentActor() actor: Actor, @Param('id', personId) id: string, @Body() dto: MembershipInputDto) {
    return this.people.addMembership(actor, id, dto);
  }

  @Roles(Role.ADMIN)
  @Post(':id/memberships/:membershipId/remove')
  @HttpCode(200)
  removeMembership(@CurrentActor() actor: Actor, @Param('id', personId) id: string, @Param('membershipId', uuidParam('任职')) membershipId: string) {
    return this.people.removeMembership(actor, id, membershipId);
  }

  @Roles(Role.ADMIN)
  @Post('import')
  @HttpCode(200)
  import(@CurrentActor() actor: Actor, @Body() dto: CsvImportDto) {
    return this.people.importCsv(actor, dto.csv);
  }
}
