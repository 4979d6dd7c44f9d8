import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { uuidParam } from '../common/validation/uuid-param';
import { sendFile as sendStoredFile } from '../files/send-file';
import { DocumentsService } from './documents.service';
import { DocumentModelBody, ImportTextBody } from './dto/document.dto';

const docId = uuidParam('公文');

/** Sends bytes with a download name in both the legacy and the RFC 5987 form (Chinese file names). */
function sendFile(res: Response, bytes: Buffer, type: string, filename: string, sha256?: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Disposition', `inline; filename="document.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  if (sha256) res.setHeader('ETag', `"${sha256}"`);
  res.end(bytes);
}

@ApiTags('公文')
@Controller('api/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @RequirePermission('document.draft')
  @Post('import-text')
  @HttpCode(200)
  importText(@Body() body: ImportTextBody) {
    return this.documents.importText(body.text);
  }

  @RequirePermission('document.draft')
  @Post('preview')
  @HttpCode(200)
  async preview(@Body() body: DocumentModelBody, @Res() res: Response) {
    // Rendered before the type is set: a refused model must go out as the JSON error it is, not labelled HTML.
    const html = await this.documents.previewHtml(body.model);
    res.type('html').send(html);
  }

  @RequirePermission('document.draft')
  @Post('preview.pdf')
  @HttpCode(200)
  @ApiProduces('application/pdf')
  async previewPdf(@Body() body: DocumentModelBody, @Res() res: Response) {
    sendFile(res, await this.documents.previewPdf(body.model), 'application/pdf', '预览.pdf');
  }

  @RequirePermission('document.draft')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: DocumentModelBody) {
    return this.documents.create(actor, body.model);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', docId) id: string) {
    return this.documents.get(actor, id);
  }

  @RequirePermission('document.draft')
  @Put(':id')
  update(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @Body() body: DocumentModelBody) {
    return this.documents.updateDraft(actor, id, body.model);
  }

  /** 签发 and 印发: number, render, archive. The directive workflow does the same in two activities. */
  @RequirePermission('directive.sign')
  @Post(':id/sign')
  @HttpCode(200)
  async sign(@CurrentActor() actor: Actor, @Param('id', docId) id: string) {
    const signed = await this.documents.sign(actor, id);
    const { sha256 } = await this.documents.issuePdf(actor, id);
    return { ...signed, status: 'ISSUED', pdfSha256: sha256 };
  }

  /** 验证电子签名: the signer, the time, whether the archived bytes are intact and signed with the organ's registered certificate. */
  @Get(':id/verify')
  verify(@CurrentActor() actor: Actor, @Param('id', docId) id: string) {
    return this.documents.verify(actor, id);
  }

  @Get(':id/pdf')
  @ApiProduces('application/pdf')
  async pdf(@CurrentActor() actor: Actor, @Param('id', docId) id: string, @Res() res: Response) {
    const { bytes, sha256, filename } = await this.documents.archivedPdf(actor, id);
    sendFile(res, bytes, 'application/pdf', filename, sha256);
  }

  /** The Nth attachment file of the document's 附件说明 (from 1), under the name it was uploaded with. */
  @Get(':id/attachments/:seq')
  async attachment(
    @CurrentActor() actor: Actor,
    @Param('id', docId) id: string,
    @Param('seq', new ParseIntPipe({ exceptionFactory: () => DomainError.notFound('附件') })) seq: number,
    @Res() res: Response,
  ) {
    await sendStoredFile(res, await this.documents.attachment(actor, id, seq));
  }
}
