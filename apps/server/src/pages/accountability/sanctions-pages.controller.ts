import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Response } from 'express';
import { today } from '../../accountability/case-rules';
import { RecordSanctionDto } from '../../accountability/dto/sanction.dto';
import { SanctionsService } from '../../accountability/sanctions.service';
import type { Actor } from '../../audit/actor';
import { hasPermission, permissions } from '../../auth/permissions';
import { ROLE_LABELS } from '../../auth/roles';
import { AuthedRequest, RequirePermission } from '../../common/decorators/auth.decorators';
import { DomainError, STATUS_OF, type FieldError } from '../../common/errors/domain-error';
import { Csrf, CSRF } from '../../common/middleware/csrf';
import { toFieldErrors } from '../../common/validation/messages';
import { SANCTION_KINDS, SANCTION_MONTHS } from '../../commendations/eligibility';
import { OrgScopeService } from '../../orgs/org-scope.service';
import { PrismaService } from '../../prisma/prisma.service';
import { viewContext } from '../view-context';
import { fieldMap, formValues, type FormValues } from './accountability-form';

/** The form names the person and their organisation in one choice (`<orgId>:<personId>`). */
const FIELD_OF: Record<string, string> = { personId: 'person', orgId: 'person' };
const placed = (fields: FieldError[]) => fields.map((f) => ({ ...f, field: FIELD_OF[f.field] ?? f.field }));
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

function sanctionForm(v: FormValues) {
  const [orgId, personId] = str(v.person).split(':');
  const plain = {
    personId: personId || undefined,
    orgId: orgId || undefined,
    kind: str(v.kind) || undefined,
    effectiveOn: str(v.effectiveOn) || undefined,
    reference: str(v.reference),
    note: str(v.note) || undefined,
  };
  const dto = plainToInstance(RecordSanctionDto, plain);
  let errors = toFieldErrors(validateSync(dto, { whitelist: true }));
  // One message for the one choice.
  if (!plain.personId || !plain.orgId)
    errors = [{ field: 'personId', message: '请选择受处分人' }, ...errors.filter((e) => e.field !== 'personId' && e.field !== 'orgId')];
  return { dto, errors: placed(errors) };
}

/**
 * 登记党纪处分 (page): the township's registered sanctions with their influence periods, and the case officer's form.
 * Posts without JavaScript; a refusal shows the form again as typed, the message beside the field.
 */
@ApiExcludeController()
@Controller('accountability/sanctions')
export class SanctionsPagesController {
  constructor(
    private readonly sanctions: SanctionsService,
    private readonly scope: OrgScopeService,
    private readonly prisma: PrismaService,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  @Get()
  @RequirePermission('accountability.read')
  async page(@Req() req: AuthedRequest, @Res() res: Response) {
    await this.render(req, res, {}, {});
  }

  @Post()
  @RequirePermission('accountability.manage')
  async record(@Req() req: AuthedRequest, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const values = formValues(body);
    const { dto, errors } = sanctionForm(values);
    if (errors.length) return this.render(req, res, values, fieldMap(errors, '处分信息不完整，请按提示修改'), 400);
    try {
      await this.sanctions.record(req.actor as Actor, dto);
      res.redirect(303, '/accountability/sanctions?done=1');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await this.render(req, res, values, fieldMap(placed(err.fields), err.message), STATUS_OF[err.code]);
    }
  }

  /** The township's people, each with the organisation they serve in: 姓名（组织 · 职务）. */
  private async people(actor: Actor, selected: string) {
    const visible = await this.scope.visibleOrgIds(actor);
    const rows = await this.prisma.membership.findMany({
      where: { orgId: { in: visible }, active: true, person: { active: true } },
      select: { orgId: true, personId: true, role: true, post: true, person: { select: { name: true } }, org: { select: { name: true } } },
      orderBy: [{ org: { name: 'asc' } }, { person: { name: 'asc' } }],
    });
    const seen = new Set<string>();
    return rows
      .map((m) => ({ value: `${m.orgId}:${m.personId}`, label: `${m.person.name}（${m.org.name} · ${m.post ?? ROLE_LABELS[m.role]}）` }))
      .filter((c) => !seen.has(c.value) && !!seen.add(c.value))
      .map((c) => ({ ...c, selected: c.value === selected }));
  }

  private async render(req: AuthedRequest, res: Response, values: FormValues, errors: Record<string, string>, status = 200) {
    const actor = req.actor as Actor;
    const canRecord = hasPermission(actor.role, permissions.accountabilityManage);
    const [rows, people] = await Promise.all([this.sanctions.list(actor), canRecord ? this.people(actor, str(values.person)) : []]);
    res.status(status).render('accountability/sanctions', {
      ...(await viewContext(req, res, this.csrf, { title: '党纪处分' })),
      sanctions: rows,
      canRecord,
      people,
      kinds: SANCTION_KINDS.map((k) => ({ value: k, label: `${k}（影响期 ${SANCTION_MONTHS[k]} 个月）`, selected: values.kind === k })),
      values,
      errors,
      today: today(),
      failed: status !== 200,
      done: status === 200 && req.query.done === '1' ? '党纪处分已登记，影响期内不得评优。' : undefined,
    });
  }
}
