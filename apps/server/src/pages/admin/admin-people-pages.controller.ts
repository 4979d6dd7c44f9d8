import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { ROLE_LABELS } from '../../auth/roles';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { OrgsService } from '../../orgs/orgs.service';
import { CreatePersonDto, MembershipInputDto, UpdatePersonDto } from '../../people/dto/person.dto';
import { PeopleService } from '../../people/people.service';
import type { Role } from '../../prisma/client';
import { errorMap, fieldsToMap, readForm } from '../form';
import { viewContext } from '../view-context';

const ROLES = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
const personId = uuidParam('人员');

@ApiExcludeController()
@Controller('admin/people')
@RequirePermission('admin.people')
export class AdminPeoplePagesController {
  constructor(
    private readonly people: PeopleService,
    private readonly orgs: OrgsService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  async list(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.renderList(req, res, {});
  }

  @Get('new')
  async newForm(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.renderForm(req, res, { person: {}, isNew: true });
  }

  @Post()
  async create(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    const { orgId, role, ...rest } = body;
    const { dto, errors } = readForm(CreatePersonDto, { ...rest, memberships: orgId && role ? [{ orgId, role }] : undefined });
    if (errors.length) return this.renderForm(req, res, { person: body, isNew: true, errors: fieldsToMap(errors) }, 400);
    try {
      await this.people.create(req.actor as Actor, dto);
      res.redirect(303, '/admin/people?saved=1');
    } catch (err) {
      await this.renderForm(req, res, { person: body, isNew: true, errors: errorMap(err) }, 400);
    }
  }
  // Declared before ':id' routes so that 'import' is not taken for an id.
  @Post('import')
  async import(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: { csv?: string }) {
    try {
      const r = await this.people.importCsv(req.actor as Actor, body.csv ?? '');
      await this.renderList(req, res, { imported: r });
    } catch (err) {
      await this.renderList(req, res, { importErrors: errorMap(err), csv: body.csv }, 400);
    }
  }

  @Get(':id/edit')
  async editForm(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', personId) id: string) {
    const person = await this.people.get(req.actor as Actor, id);
    await this.renderForm(req, res, { person, isNew: false });
  }

  @Post(':id')
  async update(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', personId) id: string, @Body() body: Record<string, string>) {
    const { dto, errors } = readForm(UpdatePersonDto, { name: body.name, phone: body.phone, password: body.password });
    const current = await this.people.get(req.actor as Actor, id);
    if (errors.length) return this.renderForm(req, res, { person: { ...current, ...body }, isNew: false, errors: fieldsToMap(errors) }, 400);
    try {
      await this.people.update(req.actor as Actor, id, dto, { currentSid: req.sessionID });
      res.redirect(303, '/admin/people?saved=1');
    } catch (err) {
      await this.renderForm(req, res, { person: { ...current, ...body }, isNew: false, errors: errorMap(err) }, 400);
    }
  }

  @Post(':id/memberships')
  async addMembership(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', personId) id: string, @Body() body: Record<string, string>) {
    const { dto, errors } = readForm(MembershipInputDto, { orgId: body.orgId, role: body.role });
    const current = await this.people.get(req.actor as Actor, id);
    if (errors.length) return this.renderForm(req, res, { person: current, isNew: false, errors: fieldsToMap(errors) }, 400);
    await this.people.addMembership(req.actor as Actor, id, dto);
    res.redirect(303, `/admin/people/${id}/edit`);
  }

  @Post(':id/memberships/:membershipId/remove')
  async removeMembership(
    @Req() req: AuthedRequest,
    @Res() res: Response,
    @Param('id', personId) id: string,
    @Param('membershipId', uuidParam('任职')) membershipId: string,
  ) {
    await this.people.removeMembership(req.actor as Actor, id, membershipId);
    res.redirect(303, `/admin/people/${id}/edit`);
  }

  @Post(':id/deactivate')
  async deactivate(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', personId) id: string) {
    await this.people.setActive(req.actor as Actor, id, false);
    res.redirect(303, '/admin/people?includeInactive=1');
  }

  @Post(':id/activate')
  async activate(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', personId) id: string) {
    await this.people.setActive(req.actor as Actor, id, true);
    res.redirect(303, '/admin/people?includeInactive=1');
  }

  private async renderList(req: AuthedRequest, res: Response, extra: Record<string, unknown>, status = 200) {
    const includeInactive = req.query.includeInactive === '1';
    const people = await this.people.list(req.actor as Actor, { includeInactive });
    res.status(status).render('admin/people', {
      ...(await viewContext(req, res, this.csrf, { title: '人员管理' })),
      people: people.map((p) => ({ ...p, roles: p.memberships.filter((m) => m.active).map((m) => `${m.org.name} · ${ROLE_LABELS[m.role]}`) })),
      includeInactive,
      saved: req.query.saved === '1',
      ...extra,
    });
  }

  private async renderForm(
    req: AuthedRequest,
    res: Response,
    data: { person: Record<string, unknown> | object; isNew: boolean; errors?: Record<string, string> },
    status = 200,
  ) {
    const orgs = await this.orgs.list(req.actor as Actor);
    const person = data.person as { memberships?: { id: string; role: Role; active: boolean; org: { name: string } }[] };
    res.status(status).render('admin/person-form', {
      ...(await viewContext(req, res, this.csrf, { title: data.isNew ? '新建人员' : '编辑人员' })),
      ...data,
      memberships: (person.memberships ?? []).filter((m) => m.active).map((m) => ({ ...m, roleLabel: ROLE_LABELS[m.role] })),
      roles: ROLES,
      orgs: orgs.map((o) => ({ id: o.id, label: `${'　'.repeat(o.depth)}${o.name}` })),
    });
  }
}
