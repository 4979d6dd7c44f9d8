import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { CurrentActor } from '../common/decorators/auth.decorators';
import { download, XLSX_TYPE } from '../common/http/download';
import { uuidParam } from '../common/validation/uuid-param';
import { FilingsExportService } from './filings-export.service';

const requirementId = uuidParam('填报要求');
const XLSX = XLSX_TYPE;

/** The committee's exports of one requirement; scope is checked in FilingsService.table (a branch gets 404). */
@ApiTags('填报')
@Controller('api/requirements')
export class FilingsExportController {
  constructor(private readonly exports: FilingsExportService) {}

  @Get(':id/filings.xlsx')
  @ApiProduces(XLSX)
  async xlsx(@CurrentActor() actor: Actor, @Param('id', requirementId) id: string, @Res() res: Response) {
    const { bytes, filename } = await this.exports.xlsx(actor, id);
    download(res, bytes, XLSX, filename, 'filings.xlsx');
  }

  @Get(':id/filings.pdf')
  @ApiProduces('application/pdf')
  async pdf(@CurrentActor() actor: Actor, @Param('id', requirementId) id: string, @Res() res: Response) {
    const { bytes, filename } = await this.exports.pdf(actor, id);
    download(res, bytes, 'application/pdf', filename, 'filings.pdf', 'inline');
  }
}
