import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../audit/actor';
import { ROLE_LABELS } from '../../auth/roles';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { uuidParam } from '../../common/validation/uuid-param';
import { OrgsService } from '../../orgs/orgs.service';
import { DomainError } from '../../common/errors/domain-error';
import { CreatePersonDto, MembershipInputDto, POST_MAX, UpdatePersonDto } from '../../people/dto/person.dto';
import { peopleFilter, peopleSort } from '../../people/people-query';
import { PeopleFilter, PeopleService, PeopleSort } from '../../people/people.service';
import type { Role } from '../../prisma/client';
import { errorMap, fieldsToMap, readForm } from '../form';
import { viewContext } from '../view-context';

const ROLES = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
const personId = uuidParam('人员');
/** The list's own query parameters: what its links and forms carry along (nothing else passes through). */
const LIST_KEYS = ['q', 'orgId', 'role', 'includeInactive', 'sort', 'dir'] as const;
const SORT_LABELS: Record<PeopleSort, string> = { name: '姓名', username: '用户名', org: '任职', post: '职务' };

/** "q=…&orgId=…" of the list's parameters in `from` (a query object or a posted `back` string), empty ones left out. */
function listQuery(from: Record<string, unknown> | string | undefined, over: Record<string, string> = {}): string {
  const src = typeof from === 'string' ? Object.fromEntries(new URLSearchParams(from.replace(/^\?/, ''))) : (from ?? {});
  const out = new URLSearchParams();
  for (const k of LIST_KEYS) {
    const v = k in over ? over[k] : src[k];
    if (typeof v === 'string' && v) out.set(k, v.slice(0, 200));
  }
  return out.toString();
}
const listHref = (query: string, extra = '') => `/admin/people${query || extra ? `?${[query, extra].filter(Boolean).join('&')}` : ''}`;

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
    await this.renderForm(req, res, { person: {}, isNew: true, back: listQuery(req.query) });
  }

  @Post()
  async create(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, string>) {
    const { orgId, role, post, back, ...rest } = body;
    const { dto, errors } = readForm(CreatePersonDto, { ...rest, memberships: orgId && role ? [{ orgId, role, post }] : undefined });
    const again = { person: body, isNew: true, back: listQuery(back) };
    if (errors.length) return this.renderForm(req, res, { ...again, errors: withPost(fieldsToMap(errors)) }, 400);
    try {
      await this.people.create(req.actor as Actor, dto);
      res.redirect(303, listHref(listQuery(back), 'saved=1'));
    } catch (err) {
      await this.renderForm(req, res, { ...again, errors: withPost(errorMap(err)) }, 400);
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
    await this.renderForm(req, res, { person, isNew: false, back: listQuery(req.query) });
  }

  @Post(':id')
  async update(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', personId) id: string, @Body() body: Record<string, string>) {
    const { dto, errors } = readForm(UpdatePersonDto, { name: body.name, phone: body.phone, password: body.password });
    const current = await this.people.get(req.actor as Actor, id);
    const back = listQuery(body.back);
    if (errors.length) return this.renderForm(req, res, { person: { ...current, ...body }, isNew: false, back, errors: fieldsToMap(errors) }, 400);
    try {
      await this.people.update(req.actor as Actor, id, dto, { currentSid: req.sessionID });
      res.redirect(303, listHref(back, 'saved=1'));
    } catch (err) {
      await this.renderForm(req, res, { person: { ...current, ...body }, isNew: false, back, errors: errorMap(err) }, 400);
    }
  }

  @Post(':id/memberships')
  async addMembership(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', personId) id: string, @Body() body: Record<string, string>) {
    const { dto, errors } = readForm(MembershipInputDto, { orgId: body.orgId, role: body.role, post: body.post });
    const current = await this.people.get(req.actor as Actor, id);
    const back = listQuery(body.back);
    if (errors.length)
      return this.renderForm(req, res, { person: current, isNew: false, back, membership: body, errors: membershipErrors(fieldsToMap(errors)) }, 400);
    await this.people.addMembership(req.actor as Actor, id, dto);
    res.redirect(303, `/admin/people/${id}/edit${back ? `?${back}` : ''}`);
  }

  @Post(':id/memberships/:membershipId/remove')
  async removeMembership(
    @Req() req: AuthedRequest,
    @Res() res: Response,
    @Param('id', personId) id: string,
    @Param('membershipId', uuidParam('任职')) membershipId: string,
  ) {
    await this.people.removeMembership(req.actor as Actor, id, membershipId);
    const back = listQuery((req.body as Record<string, string> | undefined)?.back);
    res.redirect(303, `/admin/people/${id}/edit${back ? `?${back}` : ''}`);
  }

  @Post(':id/deactivate')
  async deactivate(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', personId) id: string, @Body() body: Record<string, string>) {
    await this.people.setActive(req.actor as Actor, id, false);
    res.redirect(303, listHref(listQuery(body.back, { includeInactive: '1' })));
  }

  @Post(':id/activate')
  async activate(@Req() req: AuthedRequest, @Res() res: Response, @Param('id', personId) id: string, @Body() body: Record<string, string>) {
    await this.people.setActive(req.actor as Actor, id, true);
    res.redirect(303, listHref(listQuery(body.back, { includeInactive: '1' })));
  }

  /**
   * The people table: search (姓名、用户名、组织、职务), organisation and role filters and the sort, all in the query, so
   * the page works without script; every link and form on it carries the query along.
   */
  private async renderList(req: AuthedRequest, res: Response, extra: Record<string, unknown>, status = 200) {
    const actor = req.actor as Actor;
    let filter: PeopleFilter = { includeInactive: false };
    let filterErrors: Record<string, string> | undefined;
    try {
      filter = peopleFilter(req.query as Record<string, unknown>);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      filterErrors = errorMap(err);
      status = 400;
    }
    const sort = peopleSort(req.query as Record<string, unknown>);
    const query = filterErrors ? '' : listQuery(req.query as Record<string, unknown>);
    const [people, orgs] = await Promise.all([this.people.list(actor, filter, sort), this.orgs.list(actor)]);
    const headers = Object.fromEntries(
      (Object.keys(SORT_LABELS) as PeopleSort[]).map((k) => {
        const on = sort.by === k;
        return [
          k,
          {
            label: SORT_LABELS[k],
            href: listHref(listQuery(query, { sort: k, dir: on && !sort.desc ? 'desc' : '' })),
            mark: on ? (sort.desc ? '▼' : '▲') : '',
            aria: on ? (sort.desc ? 'descending' : 'ascending') : 'none',
          },
        ];
      }),
    );
    const filtered = !!(filter.q || filter.orgId || filter.role);
    res.status(status).render('admin/people', {
      ...(await viewContext(req, res, this.csrf, { title: '人员管理' })),
      people: people.map((p) => ({
        ...p,
        memberships: p.memberships.filter((m) => m.active).map((m) => ({ org: m.org.name, roleLabel: ROLE_LABELS[m.role], post: m.post })),
      })),
      filter: { ...filter, errors: filterErrors },
      filtered,
      count: people.length,
      headers,
      keep: Object.fromEntries(new URLSearchParams(listQuery(query, { q: '', orgId: '', role: '' }))),
      query,
      orgOptions: orgs.map((o) => ({ id: o.id, label: `${'　'.repeat(o.depth)}${o.name}`, selected: o.id === filter.orgId })),
      roleOptions: ROLES.map((r) => ({ ...r, selected: r.value === filter.role })),
      includeInactive: !!filter.includeInactive,
      activeHref: listHref(listQuery(query, { includeInactive: '' })),
      inactiveHref: listHref(listQuery(query, { includeInactive: '1' })),
      clearHref: listHref(listQuery(query, { q: '', orgId: '', role: '' })),
      exportHref: `/api/people/export.csv${query ? `?${listQuery(query, { sort: '', dir: '' })}` : ''}`,
      saved: req.query.saved === '1',
      ...extra,
    });
  }

  private async renderForm(
    req: AuthedRequest,
    res: Response,
    data: {
      person: Record<string, unknown> | object;
      isNew: boolean;
      back?: string;
      membership?: Record<string, string>;
      errors?: Record<string, string>;
    },
    status = 200,
  ) {
    const orgs = await this.orgs.list(req.actor as Actor);
    const person = data.person as {
      orgId?: string;
      role?: string;
      memberships?: { id: string; role: Role; post?: string | null; active: boolean; org: { name: string } }[];
    };
    // The 任职 chosen before a refused save stays chosen.
    const chosen = data.isNew ? person : (data.membership ?? {});
    res.status(status).render('admin/person-form', {
      ...(await viewContext(req, res, this.csrf, { title: data.isNew ? '新建人员' : '编辑人员' })),
      ...data,
      backHref: listHref(data.back ?? ''),
      postMax: POST_MAX,
      memberships: (person.memberships ?? []).filter((m) => m.active).map((m) => ({ ...m, roleLabel: ROLE_LABELS[m.role] })),
      roles: ROLES.map((r) => ({ ...r, selected: r.value === chosen.role })),
      orgs: orgs.map((o) => ({ id: o.id, label: `${'　'.repeat(o.depth)}${o.name}`, selected: o.id === chosen.orgId })),
    });
  }
}

/** The create form's 职务 sits beside 组织 and 角色: its message is shown there, not under the list's path. */
function withPost(errors: Record<string, string>): Record<string, string> {
  const post = errors['memberships[0].post'];
  const membership = Object.entries(errors).find(([k]) => k.startsWith('memberships') && k !== 'memberships[0].post')?.[1];
  return { ...errors, ...(post ? { post } : {}), ...(membership && !errors.memberships ? { memberships: membership } : {}) };
}

/** The 增加任职 form's messages, apart from the person form's. */
function membershipErrors(errors: Record<string, string>): Record<string, string> {
  return { _: errors._, membershipOrg: errors.orgId, membershipRole: errors.role, membershipPost: errors.post };
}
