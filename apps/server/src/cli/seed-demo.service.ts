import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { ROLE_LABELS } from '../auth/roles';
import { PrismaService } from '../prisma/prisma.service';
import { DEMO_BRANCHES, DEMO_COMMITTEE, DEMO_PASSWORD, DEMO_PEOPLE } from './demo-township';

export interface SeedResult {
  created: boolean;
  organizations: number;
  people: number;
  logins: { username: string; password: string; roles: string }[];
}

/** Creates the demo township once; running it again changes nothing. */
@Injectable()
export class SeedDemoService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  async seed(): Promise<SeedResult> {
    const passwordHash = await AuthService.hashPassword(DEMO_PASSWORD);
    return this.audit.transaction(
      async (tx) => {
        let created = false;
        const ids = new Map<string, string>();
        const committee = await tx.organization.findUnique({ where: { code: DEMO_COMMITTEE.code } });
        if (committee) ids.set(committee.code, committee.id);
        else {
          const org = await tx.organization.create({ data: { ...DEMO_COMMITTEE, sortOrder: 0 } });
          ids.set(org.code, org.id);
          await this.audit.record(tx, {
            actor: null,
            action: 'org.create',
            entityType: 'organization',
            entityId: org.id,
            data: { ...DEMO_COMMITTEE, seed: 'demo' },
          });
          created = true;
        }
        for (const [i, b] of DEMO_BRANCHES.entries()) {
          const existing = await tx.organization.findUnique({ where: { code: b.code } });
          if (existing) {
            ids.set(b.code, existing.id);
            continue;
          }
          const org = await tx.organization.create({ data: { ...b, parentId: ids.get(DEMO_COMMITTEE.code), sortOrder: i + 1 } });
          ids.set(b.code, org.id);
          await this.audit.record(tx, { actor: null, action: 'org.create', entityType: 'organization', entityId: org.id, data: { ...b, seed: 'demo' } });
          created = true;
        }
        const logins: SeedResult['logins'] = [];
        for (const p of DEMO_PEOPLE) {
          let person = await tx.person.findUnique({ where: { username: p.username } });
          if (!person) {
            person = await tx.person.create({ data: { username: p.username, name: p.name, passwordHash } });
            await this.audit.record(tx, {
              actor: null,
              action: 'person.create',
              entityType: 'person',
              entityId: person.id,
              data: { username: p.username, seed: 'demo' },
            });
            logins.push({ username: p.username, password: DEMO_PASSWORD, roles: p.memberships.map((m) => ROLE_LABELS[m.role]).join('、') });
            created = true;
          }
          for (const m of p.memberships) {
            const orgId = ids.get(m.orgCode) as string;
            const key = { personId_orgId_role: { personId: person.id, orgId, role: m.role } };
            if (await tx.membership.findUnique({ where: key })) continue;
            const row = await tx.membership.create({ data: { personId: person.id, orgId, role: m.role, post: m.post } });
            await this.audit.record(tx, { actor: null, action: 'membership.add', entityType: 'membership', entityId: row.id, data: { ...m, seed: 'demo' } });
          }
        }
        return { created, organizations: DEMO_BRANCHES.length + 1, people: DEMO_PEOPLE.length, logins };
      },
      { timeout: 120_000 },
    );
  }

  async isEmpty(): Promise<boolean> {
    return (await this.prisma.organization.count()) === 0;
  }
}
