import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { CreateOrgDto, ISSUER_KIND_LABELS, ORG_KIND_LABELS, UpdateOrgDto } from '../../orgs/dto/org.dto';
import { OrgsService } from '../../orgs/orgs.service';
import type { Actor } from '../../audit/actor';
import { errorMap, fieldsToMap, readForm } from '../form';
import { viewContext } from '../view-context';

const KINDS = Object.entries(ORG_KIND_LABELS).map(([value, label]) => ({ value, label }));
const ISSUER_KINDS = Object.entries(ISSUER_KIND_LABELS).map(([value, label]) => ({ value, label }));

@ApiExcludeController()
@Controller('admin/orgs')
@RequirePermission('admin.orgs')
export class AdminOrgsPagesController {
  constructor(
    private readonly orgs: OrgsService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.renderList(req, res, {});
  }

  @Get('new')
  async newForm(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.renderForm(req, res, { org: { kind: 'VILLAGE', parentId: req.actor?.orgId }, isNew: true });
  }

  @Post()
  async create(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    const { dto, errors } = readForm(CreateOrgDto, body, ['sortOrder']);
    if (errors.length) return this.renderForm(req, res, { org: body, isNew: true, errors: fieldsToMap(errors) }, 400);
    try {
      await this.orgs.create(req.actor as Actor, dto);
      res.redirect(303, '/admin/orgs?saved=1');
    } catch (err) {
      await this.renderForm(req, res, { org: body, isNew: true, errors: errorMap(err) }, 400);
    }
  }
  // Declared before ':id' routes so that 'import' is not taken for an id.
  @Post('import')
  async import(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: { csv?: string }) {
    try {
      const r = await this.orgs.importCsv(req.actor as Actor, body.csv ?? '');
      await this.renderList(req, res, { imported: r });
    } catch (err) {
      await this.renderList(req, res, { importErrors: errorMap(err), csv: body.csv }, 400);
    }
  }

  @Get(':id/edit')
  async editForm(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('组织')) id: string) {
    const org = await this.orgs.get(req.actor as Actor, id);
    await this.renderForm(req, res, { org, isNew: false });
  }

  @Post(':id')
  async update(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('组织')) id: string, @Body() body: Record<string, string>) {
    const { dto, errors } = readForm(UpdateOrgDto, body, ['sortOrder']);
    if (errors.length) return this.renderForm(req, res, { org: { ...body, id }, isNew: false, errors: fieldsToMap(errors) }, 400);
    try {
      await this.orgs.update(req.actor as Actor, id, dto);
      res.redirect(303, '/admin/orgs?saved=1');
    } catch (err) {
      await this.renderForm(req, res, { org: { ...body, id }, isNew: false, errors: errorMap(err) }, 400);
    }
  }

  @Post(':id/deactivate')
  async deactivate(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('组织')) id: string) {
    await this.orgs.setActive(req.actor as Actor, id, false);
    res.redirect(303, '/admin/orgs?includeInactive=1');
  }

  @Post(':id/activate')
  async activate(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', uuidParam('组织')) id: string) {
    await this.orgs.setActive(req.actor as Actor, id, true);
    res.redirect(303, '/admin/orgs?includeInactive=1');
  }

  private async renderList(req: AuthedRequest, res: Response, extra: Record<string, unknown>, status = 200) {
    const includeInactive = req.query.includeInactive === '1';
    const orgs = await this.orgs.list(req.actor as Actor, { includeInactive });
    res.status(status).render('admin/orgs', {
      ...(await viewContext(req, res, this.csrf, { title: '组织管理' })),
      orgs: orgs.map((o) => ({ ...o, kindLabel: ORG_KIND_LABELS[o.kind], indent: o.depth * 1.2 })),
      includeInactive,
      saved: req.query.saved === '1',
      ...extra,
    });
  }

  private async renderForm(
    req: AuthedRequest,
    res: Response,
    data: { org: Record<string, unknown> | object; isNew: boolean; errors?: Record<string, string> },
    status = 200,
  ) {
    const parents = await this.orgs.list(req.actor as Actor);
    const org = data.org as Record<string, unknown>;
    res.status(status).render('admin/org-form', {
      ...(await viewContext(req, res, this.csrf, { title: data.isNew ? '新建组织' : '编辑组织' })),
      ...data,
      kinds: KINDS.map((k) => ({ ...k, selected: k.value === org.kind })),
      issuerKinds: ISSUER_KINDS.map((k) => ({ ...k, selected: k.value === (org.issuerKind ?? 'PARTY') })),
      parents: parents.filter((p) => p.id !== org.id).map((p) => ({ id: p.id, label: `${'　'.repeat(p.depth)}${p.name}`, selected: p.id === org.parentId })),
    });
  }
}
