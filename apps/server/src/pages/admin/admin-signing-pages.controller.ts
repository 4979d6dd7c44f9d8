import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { ZONE } from '../../calendar/working-calendar';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { FieldError } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { OrganSigningRow, SigningAdminService } from '../../documents/signing-admin.service';
import { errorMap, fieldsToMap } from '../form';
import { viewContext } from '../view-context';

const day = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat('yyyy-MM-dd');

/** A file chosen on the page travels as base64 in a hidden field (signing-admin.js), so the form stays urlencoded. */
function fileField(body: Record<string, string>, field: string, label: string, errors: FieldError[]): Buffer | undefined {
  const value = (body[field] ?? '').trim();
  if (!value) return undefined;
  const b64 = value.replace(/^data:[^,]*,/, '');
  if (!/^[A-Za-z0-9+/=\s]+$/.test(b64)) {
    errors.push({ field, message: `${label}读取失败，请重新选择文件` });
    return undefined;
  }
  return Buffer.from(b64, 'base64');
}

/** The shape of a row for the templates: dates in Asia/Shanghai, expiry in words. */
function view(row: OrganSigningRow) {
  const id = row.identity;
  return {
    ...row,
    identity: id && {
      ...id,
      validFrom: day(id.validFrom),
      validTo: day(id.validTo),
      updatedAt: DateTime.fromJSDate(id.updatedAt, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm'),
      daysLeft: Math.floor((id.validTo.getTime() - Date.now()) / 86_400_000),
    },
  };
}

/**
 * 签名证书与印章 for administrators: each issuing organ's certificate (subject, issuer, validity, fingerprint) and seal,
 * an upload of a PKCS#12 with its password and a transparent PNG seal, or a generated self-signed certificate.
 */
@ApiExcludeController()
@Controller('admin/signing')
@RequirePermission('admin.orgs')
export class AdminSigningPagesController {
  constructor(
    private readonly signing: SigningAdminService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    const rows = await this.signing.list(req.actor as Actor);
    res.render('admin/signing', {
      ...(await viewContext(req, res, this.csrf, { title: '签名证书与印章' })),
      rows: rows.map(view),
    });
  }

  @Get(':orgId')
  async show(@Req() req: AuthedRequest, @Res() res: Response, @Param('orgId', uuidParam('组织')) orgId: string) {
    await this.renderOrgan(req, res, orgId, { saved: req.query.saved === '1', generated: req.query.generated === '1' });
  }

  @Post(':orgId')
  async upload(@Req() req: AuthedRequest, @Res() res: Response, @Param('orgId', uuidParam('组织')) orgId: string, @Body() body: Record<string, string>) {
    const errors: FieldError[] = [];
    const p12 = fileField(body, 'p12', '签名证书文件', errors);
    const seal = fileField(body, 'seal', '印章图片', errors);
    if (errors.length) return this.renderOrgan(req, res, orgId, { errors: fieldsToMap(errors) }, 400);
    try {
      await this.signing.upload(req.actor as Actor, orgId, { p12, password: body.password ?? '', seal });
      res.redirect(303, `/admin/signing/${orgId}?saved=1`);
    } catch (err) {
      await this.renderOrgan(req, res, orgId, { errors: errorMap(err) }, 400);
    }
  }

  @Post(':orgId/self-signed')
  async selfSigned(@Req() req: AuthedRequest, @Res() res: Response, @Param('orgId', uuidParam('组织')) orgId: string) {
    try {
      await this.signing.selfSigned(req.actor as Actor, orgId);
      res.redirect(303, `/admin/signing/${orgId}?generated=1`);
    } catch (err) {
      await this.renderOrgan(req, res, orgId, { errors: errorMap(err) }, 400);
    }
  }

  private async renderOrgan(req: AuthedRequest, res: Response, orgId: string, extra: Record<string, unknown>, status = 200) {
    const row = await this.signing.get(req.actor as Actor, orgId);
    res.status(status).render('admin/signing-organ', {
      ...(await viewContext(req, res, this.csrf, { title: `签名证书与印章 · ${row.name}` })),
      row: view(row),
      ...extra,
    });
  }
}
