import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { CsvImportDto } from '../orgs/dto/import.dto';
import { CreatePersonDto, MembershipInputDto, UpdatePersonDto } from './dto/person.dto';
import { peopleFilter } from './people-query';
import { PeopleService } from './people.service';

const personId = uuidParam('人员');

@ApiTags('人员')
@Controller('api/people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  /** Query: orgId, role, q (姓名、用户名、组织或职务), includeInactive=true. */
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>) {
    return this.people.list(actor, peopleFilter(query));
  }

  /** The people CSV (the import's columns, one row per membership), with the list's filters. */
  @RequirePermission('admin.people')
  @Get('export.csv')
  @ApiProduces('text/csv')
  async exportCsv(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const csv = await this.people.exportCsv(actor, peopleFilter(query));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="people.csv"; filename*=UTF-8''${encodeURIComponent('人员.csv')}`);
    res.send(csv);
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
