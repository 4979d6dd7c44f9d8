import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Actor } from '../../audit/actor';
import { COMMITTEE_ROLES, ROLE_LABELS } from '../../auth/roles';
import { ZONE } from '../../calendar/working-calendar';
import { OrgScopeService } from '../../orgs/org-scope.service';
import { ORG_KIND_LABELS } from '../../orgs/dto/org.dto';
import { OrgKind, Role } from '../../prisma/client';
import { PrismaService } from '../../prisma/prisma.service';

export interface Choice {
  value: string;
  label: string;
}

/** The choices the directive editor offers: people of the actor's committee, its branches, a blank document's defaults. */
@Injectable()
export class DirectiveFormOptions {
  constructor(
    private readonly prisma: PrismaService,
    private readonly scope: OrgScopeService,
  ) {}

  async load(actor: Actor) {
    const [memberships, subtree] = await Promise.all([
      this.prisma.membership.findMany({
        where: { orgId: actor.orgId, active: true, person: { active: true }, role: { in: COMMITTEE_ROLES.filter((r) => r !== Role.ADMIN) } },
        include: { person: { select: { id: true, name: true } } },
        orderBy: { person: { name: 'asc' } },
      }),
      this.scope.subtreeIds(actor.orgId),
    ]);
    const branches = await this.prisma.organization.findMany({
      where: { id: { in: subtree }, active: true, kind: { not: OrgKind.COMMITTEE } },
      select: { id: true, name: true, kind: true },
      orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }],
    });
    const people = new Map<string, Choice>();
    for (const m of memberships) {
      const prev = people.get(m.personId);
      people.set(m.personId, { value: m.personId, label: prev ? `${prev.label}、${ROLE_LABELS[m.role]}` : `${m.person.name}（${ROLE_LABELS[m.role]}）` });
    }
    const signers = memberships.filter((m) => m.role === Role.COMMITTEE_SECRETARY).map((m) => ({ value: m.personId, label: m.person.name }));
    const kinds = (['VILLAGE', 'COMMUNITY', 'OFFICE', 'SCHOOL'] as const).map((k) => ({ value: k, label: `${ORG_KIND_LABELS[k]}党支部` }));
    return { people: [...people.values()], signers, branches: branches.map((b) => ({ value: b.id, label: b.name })), kinds };
  }

  /** A blank document of the actor's committee: its name as 发文机关 and 署名, today's date. */
  async blankModel(actor: Actor): Promise<Record<string, unknown>> {
    const org = await this.prisma.organization.findUnique({ where: { id: actor.orgId }, select: { name: true, organCode: true } });
    return {
      kind: '通知',
      issuers: [{ name: org?.name ?? actor.orgName, ...(org?.organCode ? { organCode: org.organCode } : {}) }],
      title: '',
      addressee: '各村（社区）党支部，机关、学校党支部',
      body: [],
      signingOrgans: [org?.name ?? actor.orgName],
      date: DateTime.now().setZone(ZONE).toISODate(),
    };
  }
}
