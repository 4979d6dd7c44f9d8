import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { hasPermission, permissions } from '../auth/permissions';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { SANCTION_KINDS, sanctionUntil } from '../commendations/eligibility';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Prisma } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { today } from './case-rules';
import type { RecordSanctionDto } from './dto/sanction.dto';
import type { BarRecord } from './influence';

/** One registered sanction as the committee reads it. */
export interface SanctionView {
  id: string;
  personId: string;
  personName: string;
  orgId: string;
  orgName: string;
  kind: string;
  effectiveOn: string;
  influenceUntil: string;
  reference: string;
  note: string | null;
  /** In its influence period today (Asia/Shanghai) and not revoked. */
  inEffect: boolean;
  createdAt: Date;
}

/** The record keeps the 文号 on its first line of `basis`, the note (if any) below it. */
const basisOf = (reference: string, note?: string | null) => (note ? `${reference}\n${note}` : reference);
const splitBasis = (basis: string) => {
  const i = basis.indexOf('\n');
  return i < 0 ? { reference: basis, note: null } : { reference: basis.slice(0, i), note: basis.slice(i + 1) };
};

/**
 * 登记党纪处分: Party-discipline sanctions (警告, 严重警告, 撤销党内职务) are decided by the 纪委 outside this system; the
 * committee registers each with its 处分决定文号 so that its influence period bars 评优 (lifecycle 5, eligibility.ts).
 * One dated row in the measures table (no case), with its bars; audited.
 */
@Injectable()
export class SanctionsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly scope: OrgScopeService,
    private readonly audit: AuditService,
  ) {}

  async record(actor: Actor, dto: RecordSanctionDto): Promise<SanctionView> {
    if (!hasPermission(actor.role, permissions.accountabilityManage)) throw DomainError.forbidden();
    const reference = dto.reference.trim();
    const note = dto.note?.trim() || null;
    const problems: FieldError[] = [];
    if (!SANCTION_KINDS.includes(dto.kind as never)) problems.push({ field: 'kind', message: `处分种类须为${SANCTION_KINDS.join('、')}之一` });
    const day = DateTime.fromISO(dto.effectiveOn, { zone: 'Asia/Shanghai' });
    if (!day.isValid) problems.push({ field: 'effectiveOn', message: `生效日期“${dto.effectiveOn}”不是有效的日期` });
    else if (dto.effectiveOn > today()) problems.push({ field: 'effectiveOn', message: '生效日期不能晚于今天' });
    if (!reference) problems.push({ field: 'reference', message: '处分决定文号不能为空' });
    if (problems.length) throw DomainError.validation(problems);

    // The person serves in the organisation named, and the organisation is in the actor's township.
    const visible = await this.scope.visibleOrgIds(actor);
    const membership =
      dto.orgId && visible.includes(dto.orgId)
        ? await this.prisma.membership.findFirst({ where: { personId: dto.personId, orgId: dto.orgId }, include: { person: true, org: true } })
        : null;
    if (!membership) throw DomainError.notFound('受处分人');

    const until = sanctionUntil(dto.kind, dto.effectiveOn);
    const bars: BarRecord[] = [{ bar: '评优', until }];
    const row = await this.audit.transaction(async (tx) => {
      const m = await tx.accountabilityMeasure.create({
        data: {
          orgId: dto.orgId,
          personId: dto.personId,
          kind: dto.kind,
          effectiveOn: dto.effectiveOn,
          influenceUntil: until,
          bars: bars as unknown as Prisma.InputJsonValue,
          basis: basisOf(reference, note),
          caseId: null,
          createdById: actor.personId,
        },
      });
      await this.audit.record(tx, {
        actor,
        action: 'accountability.sanction.record',
        entityType: 'accountability_measure',
        entityId: m.id,
        data: { personId: dto.personId, orgId: dto.orgId, kind: dto.kind, effectiveOn: dto.effectiveOn, influenceUntil: until, reference },
      });
      return m;
    });
    return {
      id: row.id,
      personId: row.personId as string,
      personName: membership.person.name,
      orgId: row.orgId,
      orgName: membership.org.name,
      kind: row.kind,
      effectiveOn: row.effectiveOn,
      influenceUntil: until,
      reference,
      note,
      inEffect: row.effectiveOn <= today() && until >= today(),
      createdAt: row.createdAt,
    };
  }

  /** The township's registered sanctions, newest first. */
  async list(actor: Actor): Promise<SanctionView[]> {
    if (!hasPermission(actor.role, permissions.accountabilityRead)) throw DomainError.forbidden();
    const visible = await this.scope.visibleOrgIds(actor);
    const rows = await this.prisma.accountabilityMeasure.findMany({
      where: { orgId: { in: visible }, personId: { not: null }, kind: { in: SANCTION_KINDS } },
      orderBy: [{ effectiveOn: 'desc' }, { createdAt: 'desc' }],
    });
    const [people, orgs] = await Promise.all([
      this.prisma.person.findMany({ where: { id: { in: rows.map((r) => r.personId as string) } }, select: { id: true, name: true } }),
      this.prisma.organization.findMany({ where: { id: { in: rows.map((r) => r.orgId) } }, select: { id: true, name: true } }),
    ]);
    const personName = new Map(people.map((p) => [p.id, p.name]));
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const day = today();
    return rows.map((r) => {
      const until = r.influenceUntil ?? sanctionUntil(r.kind, r.effectiveOn);
      return {
        id: r.id,
        personId: r.personId as string,
        personName: personName.get(r.personId as string) ?? '',
        orgId: r.orgId,
        orgName: orgName.get(r.orgId) ?? '',
        kind: r.kind,
        effectiveOn: r.effectiveOn,
        influenceUntil: until,
        ...splitBasis(r.basis),
        inEffect: r.status === 'ACTIVE' && r.effectiveOn <= day && until >= day,
        createdAt: r.createdAt,
      };
    });
  }
}
