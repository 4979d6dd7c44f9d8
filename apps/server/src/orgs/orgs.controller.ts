import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { CreateOrgDto, UpdateOrgDto } from './dto/org.dto';
import { CsvImportDto } from './dto/import.dto';
import { OrgsService } from './orgs.service';

const uuid = uuidParam('组织');

@ApiTags('组织')
@Controller('api/orgs')
export class OrgsController {
  constructor(private readonly orgs: OrgsService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query('includeInactive') includeInactive?: string) {
    return this.orgs.list(actor, { includeInactive: includeInactive === 'true' });
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.orgs.get(actor, id);
  }

  @RequirePermission('admin.orgs')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrgDto) {
    return this.orgs.create(actor, dto);
  }

  @RequirePermission('admin.orgs')
  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id', uuid) id: string, @Body() dto: UpdateOrgDto) {
    return this.orgs.update(actor, id, dto);
  }

  @RequirePermission('admin.orgs')
  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.orgs.setActive(actor, id, false);
  }

  @RequirePermission('admin.orgs')
  @Post(':id/activate')
  @HttpCode(200)
  activate(@CurrentActor() actor: Actor, @Param('id', uuid) id: string) {
    return this.orgs.setActive(actor, id, true);
  }

  @RequirePermission('admin.orgs')
  @Post('import')
  @HttpCode(200)
  import(@CurrentActor() actor: Actor, @Body() dto: CsvImportDto) {
    return this.orgs.importCsv(actor, dto.csv);
  }
}
