import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { parseSort, parseYear } from './overview-query';
import { OverviewService } from './overview.service';

/**
 * 年度综合情况 (lifecycle 5, point 7) as JSON: the committee's table of its branches, one branch over the recent years,
 * one person. Who may read it follows 评选表扬's record (commendation.read): the committee everything in its township,
 * a branch its own organisation and people.
 */
@ApiTags('年度综合情况')
@Controller('api/overview')
@RequirePermission('commendation.read')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get()
  async table(@CurrentActor() actor: Actor, @Query('year') year: unknown, @Query('sort') sort: unknown, @Query('dir') dir: unknown) {
    const y = parseYear(year);
    return { year: y, rows: await this.overview.table(actor, y, parseSort(sort, dir)) };
  }

  @Get('orgs/:orgId')
  org(@CurrentActor() actor: Actor, @Param('orgId', uuidParam('组织')) orgId: string, @Query('year') year: unknown) {
    return this.overview.org(actor, orgId, parseYear(year));
  }

  @Get('people/:personId')
  person(@CurrentActor() actor: Actor, @Param('personId', uuidParam('人员')) personId: string, @Query('year') year: unknown) {
    return this.overview.person(actor, personId, parseYear(year));
  }
}
