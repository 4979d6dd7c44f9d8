import { Controller, Get, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../audit/actor';
import { CurrentActor } from '../common/decorators/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { FilesService } from './files.service';
import { sendFile } from './send-file';
import { sha256Param } from './sha256-param';
import { ReceivedFile, UploadInterceptor } from './upload-interceptor';

@ApiTags('附件')
@Controller('api/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  /**
   * Uploads one attachment (multipart field `file`, at most 20 MB, checked by its content); answers the reference a form
   * value carries. `?for=photo` takes only pictures (spot-check evidence).
   */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiQuery({ name: 'for', required: false, enum: ['attachment', 'photo'] })
  @UseInterceptors(UploadInterceptor)
  upload(@CurrentActor() actor: Actor, @Req() req: Request & { receivedFile?: ReceivedFile }, @Query('for') purpose?: string) {
    const file = req.receivedFile;
    if (!file) throw DomainError.validation([{ field: 'file', message: '字段 file（附件）不能为空，请选择要上传的文件' }]);
    return this.files.store(actor, file, purpose === 'photo' ? 'photo' : 'attachment');
  }

  /** Opens one attachment by its SHA-256 (the reference a form value carries), under the name it was uploaded with. */
  @Get(':id')
  async download(@CurrentActor() actor: Actor, @Param('id', sha256Param) sha256: string, @Res() res: Response) {
    await sendFile(res, await this.files.open(actor, sha256));
  }
}
