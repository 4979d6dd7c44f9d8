import { Injectable } from '@nestjs/common';
import type { Actor } from '../audit/actor';
import { actsForSubtree } from '../auth/roles';
import { DomainError } from '../common/errors/domain-error';
import { Role } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';

/**
 * Organisation scope: a committee capacity sees its organisation and everything below it;
 * a branch capacity sees its own branch only. Out-of-scope resources are reported as not found.
 */
@Injectable()
export class OrgScopeService {
  constructor(private readonly prisma: PrismaService) {}

  async subtreeIds(rootId: string): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      WITH RECURSIVE t AS (
        SELECT id FROM organization WHERE id = ${rootId}::uuid
        UNION ALL
        SELECT o.id FROM organization o JOIN t ON o.parent_id = t.id
      ) SELECT id::text AS id FROM t`;
    return rows.map((r) => r.id);
  }

  async visibleOrgIds(actor: Actor): Promise<string[]> {
    return actsForSubtree(actor.role) ? this.subtreeIds(actor.orgId) : [actor.orgId];
  }

  async canSee(actor: Actor, orgId: string): Promise<boolean> {
    if (orgId === actor.orgId) return true;
    if (!actsForSubtree(actor.role)) return false;
    return (await this.subtreeIds(actor.orgId)).includes(orgId);
  }

  /** The capacity in which a person acts for an organisation (workflow activities record it in the audit log). */
  async actorIn(personId: string, orgId: string, role?: Role): Promise<Actor> {
    const m = await this.prisma.membership.findFirstOrThrow({
      where: { personId, orgId, active: true, ...(role ? { role } : {}) },
      include: { person: true, org: true },
    });
    return { personId, name: m.person.name, membershipId: m.id, role: m.role, orgId, orgName: m.org.name };
  }

  /** True when the person holds any active capacity in the organisation (nobody judges an organisation they belong to). */
  async isMember(personId: string, orgId: string): Promise<boolean> {
    return (await this.prisma.membership.count({ where: { personId, orgId, active: true } })) > 0;
  }

  async assertVisible(actor: Actor, orgId: string, what = '组织'): Promise<void> {
    if (!(await this.canSee(actor, orgId))) throw DomainError.notFound(what);
  }
}
