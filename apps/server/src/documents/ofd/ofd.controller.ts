import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { CurrentActor } from '../../common/decorators/auth.decorators';
import { uuidParam } from '../../common/validation/uuid-param';
import { OfdService } from './ofd.service';

const docId = uuidParam('公文');

@ApiTags('公文')
@Controller('api/documents')
export class OfdController {
  constructor(private readonly ofd: OfdService) {}

  /** 版式文件 OFD (GB/T 33190-2016) of an issued document, for whoever may download its PDF. */
  @Get(':id/ofd')
  @ApiProduces('application/ofd')
  async download(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @Res() res: Response) {
    const { bytes, filename } = await this.ofd.forDocument(actor, id);
    res.setHeader('Content-Type', 'application/ofd');
    res.setHeader('Content-Disposition', `attachment; filename="document.ofd"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.end(bytes);
  }
}
