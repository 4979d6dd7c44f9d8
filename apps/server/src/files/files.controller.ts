import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { CurrentActor } from '../common/decorators/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { FilesService, MAX_UPLOAD_BYTES } from './files.service';
import { sendFile } from './send-file';
import { sha256Param } from './sha256-param';

@ApiTags('附件')
@Controller('api/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  /** Uploads one attachment (multipart field `file`); answers the reference a form value carries. */
  @Post()
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } }))
  upload(@CurrentActor() actor: Actor, @UploadedFile() file?: { originalname: string; mimetype: string; buffer: Buffer }) {
    if (!file) throw DomainError.validation([{ field: 'file', message: '字段 file（附件）不能为空，请选择要上传的文件' }]);
    // Browsers send file names as latin1 in multipart headers; decode them back to UTF-8 (中文文件名).
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    return this.files.store(actor, { name, mimeType: file.mimetype, bytes: file.buffer });
  }

  /** Opens one attachment by its SHA-256 (the reference a form value carries), under the name it was uploaded with. */
  @Get(':id')
  async download(@CurrentActor() actor: Actor, @Param('id', sha256Param) sha256: string, @Res() res: Response) {
    sendFile(res, await this.files.open(actor, sha256));
  }
}
