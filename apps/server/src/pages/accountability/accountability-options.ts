import { Injectable } from '@nestjs/common';
import type { Actor } from '../../audit/actor';
import { permissions, rolesWith } from '../../auth/permissions';
import { ROLE_LABELS } from '../../auth/roles';
import { OrgsService } from '../../orgs/orgs.service';
import { OrgKind, Role } from '../../prisma/client';
import { PrismaService } from '../../prisma/prisma.service';

export interface PersonChoice {
  id: string;
  name: string;
  /** What they are in the committee (党建办、党委书记、督查员). */
  role: string;
}

export interface TargetChoice {
  /** `org:<orgId>` or `person:<orgId>:<personId>`. */
  value: string;
  label: string;
}

/** The choices the 问责 forms offer: the committee's people (谈话人, 调查组), the organisations and people it may hold to account. */
@Injectable()
export class AccountabilityFormOptions {
  constructor(
    private readonly prisma: PrismaService,
    private readonly orgs: OrgsService,
  ) {}

  /** The committee's people who may talk and investigate (the service checks the same permission). */
  async committeePeople(actor: Actor): Promise<PersonChoice[]> {
    const rows = await this.prisma.membership.findMany({
      where: { orgId: actor.orgId, active: true, person: { active: true }, role: { in: rolesWith(permissions.accountabilityInvestigate) as Role[] } },
      select: { personId: true, role: true, person: { select: { name: true } } },
      orderBy: { person: { name: 'asc' } },
    });
    return [...new Map(rows.map((m) => [m.personId, { id: m.personId, name: m.person.name, role: ROLE_LABELS[m.role] }])).values()];
  }

  /** Each branch under the committee, then the people serving in it with their post. */
  async targets(actor: Actor): Promise<TargetChoice[]> {
    const orgs = (await this.orgs.list(actor)).filter((o) => o.kind !== OrgKind.COMMITTEE && o.id !== actor.orgId);
    const members = await this.prisma.membership.findMany({
      where: { orgId: { in: orgs.map((o) => o.id) }, active: true, person: { active: true }, role: { in: [Role.BRANCH_SECRETARY, Role.BRANCH_STAFF] } },
      select: { orgId: true, personId: true, role: true, post: true, person: { select: { name: true } } },
      orderBy: [{ role: 'asc' }, { person: { name: 'asc' } }],
    });
    const out: TargetChoice[] = [];
    for (const o of orgs) {
      out.push({ value: `org:${o.id}`, label: `${o.name}（党组织）` });
      for (const m of members.filter((x) => x.orgId === o.id))
        out.push({ value: `person:${o.id}:${m.personId}`, label: '\u3000' + `${m.person.name}（${m.post ?? ROLE_LABELS[m.role]}）` });
    }
    return out;
  }

  async names(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter(Boolean))];
    if (!unique.length) return new Map();
    const rows = await this.prisma.person.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } });
    return new Map(rows.map((p) => [p.id, p.name]));
  }

  /** The case a task of the case belongs to (to come back to its page), when the task is the caller's organisation's. */
  async caseOfTask(actor: Actor, taskId: string): Promise<string | undefined> {
    const t = await this.prisma.task.findUnique({ where: { id: taskId }, select: { kind: true, orgId: true, data: true } });
    if (!t || t.kind !== 'ACCOUNTABILITY' || t.orgId !== actor.orgId) return undefined;
    const caseId = (t.data as { caseId?: unknown } | null)?.caseId;
    return typeof caseId === 'string' ? caseId : undefined;
  }
}
