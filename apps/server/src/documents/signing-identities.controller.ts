import { Body, Controller, Get, HttpCode, Param, Post, Put, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../audit/actor';
import { CurrentActor, RequirePermission } from '../common/decorators/auth.decorators';
import { uuidParam } from '../common/validation/uuid-param';
import { SigningAdminService } from './signing-admin.service';

const orgId = uuidParam('组织');
type Upload = { buffer: Buffer }[] | undefined;

/**
 * 签名证书与电子印章 of the issuing organs, for the administrator: the list, an upload (multipart `p12`, `password`,
 * `seal`; either file may be left out when the organ has one) and a generated self-signed certificate.
 */
@ApiTags('组织管理')
@Controller('api/admin/signing-identities')
@RequirePermission('admin.orgs')
export class SigningIdentitiesController {
  constructor(private readonly admin: SigningAdminService) {}

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.admin.list(actor);
  }

  @Get(':orgId')
  get(@CurrentActor() actor: Actor, @Param('orgId', orgId) id: string) {
    return this.admin.get(actor, id);
  }

  @Put(':orgId')
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(
    FileFieldsInterceptor(
      [
        { name: 'p12', maxCount: 1 },
        { name: 'seal', maxCount: 1 },
      ],
      { limits: { fileSize: 4 * 1024 * 1024, files: 2 } },
    ),
  )
  upload(
    @CurrentActor() actor: Actor,
    @Param('orgId', orgId) id: string,
    @UploadedFiles() files: { p12?: Upload; seal?: Upload } = {},
    @Body() body: { password?: unknown } = {},
  ) {
    return this.admin.upload(actor, id, {
      p12: files.p12?.[0]?.buffer,
      password: typeof body.password === 'string' ? body.password : undefined,
      seal: files.seal?.[0]?.buffer,
    });
  }

  @Post(':orgId/self-signed')
  @HttpCode(200)
  selfSigned(@CurrentActor() actor: Actor, @Param('orgId', orgId) id: string) {
    return this.admin.selfSigned(actor, id);
  }
}
