import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { randomBytes } from 'node:crypto';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { ROLE_LABELS } from '../auth/roles';
import { parseCsv, rowErrors } from '../common/csv';
import { AuthCache } from '../common/middleware/auth-cache';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { toFieldErrors } from '../common/validation/messages';
import { OrgScopeService } from '../orgs/org-scope.service';
import { Role } from '../prisma/client';
import { PrismaService, Tx } from '../prisma/prisma.service';
import { CreatePersonDto, MembershipInputDto, UpdatePersonDto } from './dto/person.dto';

const PUBLIC_FIELDS = { id: true, username: true, name: true, phone: true, active: true, createdAt: true } as const;
const ROLE_BY_LABEL = Object.fromEntries(Object.entries(ROLE_LABELS).map(([k, v]) => [v, k])) as Record<string, Role>;

@Injectable()
export class PeopleService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly scope: OrgScopeService,
    private readonly cache: AuthCache,
  ) {}

  /** People holding at least one membership in an organisation the actor can see. */
  async list(actor: Actor, filter: { orgId?: string; includeInactive?: boolean } = {}) {
    const ids = filter.orgId ? (await this.scope.assertVisible(actor, filter.orgId), [filter.orgId]) : await this.scope.visibleOrgIds(actor);
    return this.prisma.person.findMany({
      where: { active: filter.includeInactive ? undefined : true, memberships: { some: { orgId: { in: ids } } } },
      select: {
        ...PUBLIC_FIELDS,
        memberships: { where: { orgId: { in: ids } }, select: { id: true, role: true, active: true, org: { select: { id: true, name: true, code: true } } } },
      },
      orderBy: { username: 'asc' },
    });
  }

  async get(actor: Actor, id: string) {
    const visible = await this.scope.visibleOrgIds(actor);
    const person = await this.prisma.person.findFirst({
      where: { id, memberships: { some: { orgId: { in: visible } } } },
      select: {
        ...PUBLIC_FIELDS,
        memberships: {
          where: { orgId: { in: visible } },
          select: { id: true, role: true, active: true, org: { select: { id: true, name: true, code: true } } },
        },
      },
    });
    if (!person) throw DomainError.notFound('人员');
    return person;
  }

  async create(actor: Actor, dto: CreatePersonDto) {
    for (const m of dto.memberships ?? []) await this.scope.assertVisible(actor, m.orgId, '所属组织');
    if (await this.prisma.person.findUnique({ where: { username: dto.username } })) {
      throw DomainError.validation([{ field: 'username', message: `字段 username（用户名）“${dto.username}”已被使用` }]);
    }
    const passwordHash = await AuthService.hashPassword(dto.password);
    return this.audit.transaction(async (tx) => {
      const person = await tx.person.create({ data: { username: dto.username, name: dto.name, phone: dto.phone, passwordHash }, select: PUBLIC_FIELDS });
      for (const m of dto.memberships ?? []) await tx.membership.create({ data: { personId: person.id, orgId: m.orgId, role: m.role } });
      await this.audit.record(tx, {
        actor,
        action: 'person.create',
        entityType: 'person',
        entityId: person.id,
        data: { username: dto.username, name: dto.name, memberships: dto.memberships ?? [] },
      });
      return person;
    });
  }

  /**
   * A new password ends the person's sessions (every device logged in with the old one); when people change their own
   * password, `currentSid` — the session they do it from — is kept.
   */
  async update(actor: Actor, id: string, dto: UpdatePersonDto, opts: { currentSid?: string } = {}) {
    await this.get(actor, id);
    const passwordHash = dto.password ? await AuthService.hashPassword(dto.password) : undefined;
    const { person, ended } = await this.audit.transaction(async (tx) => {
      const person = await tx.person.update({ where: { id }, data: { name: dto.name, phone: dto.phone, passwordHash }, select: PUBLIC_FIELDS });
      await this.audit.record(tx, {
        actor,
        action: 'person.update',
        entityType: 'person',
        entityId: id,
        data: { name: dto.name, phone: dto.phone, passwordChanged: !!dto.password },
      });
      const ended = dto.password ? await this.endSessions(tx, actor, id, 'password', id === actor.personId ? opts.currentSid : undefined) : [];
      return { person, ended };
    });
    this.forgetSessions(ended);
    return person;
  }

  /** Deactivating a person also ends every session they have. */
  async setActive(actor: Actor, id: string, active: boolean) {
    await this.get(actor, id);
    if (id === actor.personId && !active) throw DomainError.validation([{ field: 'id', message: '不能停用自己的账号' }]);
    const { person, ended } = await this.audit.transaction(async (tx) => {
      const person = await tx.person.update({ where: { id }, data: { active }, select: PUBLIC_FIELDS });
      await this.audit.record(tx, { actor, action: active ? 'person.activate' : 'person.deactivate', entityType: 'person', entityId: id });
      const ended = active ? [] : await this.endSessions(tx, actor, id, 'deactivate');
      return { person, ended };
    });
    this.forgetSessions(ended);
    return person;
  }

  /**
   * Deletes the person's rows of the session table (express-session via connect-pg-simple; `sess.personId`), in the
   * caller's transaction. The table's delete trigger tells every server process to drop them from its cache at commit.
   */
  private async endSessions(tx: Tx, actor: Actor, personId: string, reason: 'password' | 'deactivate', keepSid?: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ sid: string }[]>`
      DELETE FROM "session" WHERE sess->>'personId' = ${personId} AND sid <> ${keepSid ?? ''} RETURNING sid`;
    if (rows.length)
      await this.audit.record(tx, { actor, action: 'person.sessions.end', entityType: 'person', entityId: personId, data: { count: rows.length, reason } });
    return rows.map((r) => r.sid);
  }

  /** This process's cache drops them at once, not only when the notification arrives (the next request may come first). */
  private forgetSessions(sids: string[]): void {
    for (const sid of sids) this.cache.sessions.delete(sid);
  }

  async addMembership(actor: Actor, personId: string, dto: MembershipInputDto) {
    await this.get(actor, personId);
    await this.scope.assertVisible(actor, dto.orgId, '所属组织');
    return this.audit.transaction(async (tx) => {
      const m = await tx.membership.upsert({
        where: { personId_orgId_role: { personId, orgId: dto.orgId, role: dto.role } },
        create: { personId, orgId: dto.orgId, role: dto.role },
        update: { active: true },
      });
      await this.audit.record(tx, {
        actor,
        action: 'membership.add',
        entityType: 'membership',
        entityId: m.id,
        data: { personId, orgId: dto.orgId, role: dto.role },
      });
      return m;
    });
  }

  async removeMembership(actor: Actor, personId: string, membershipId: string) {
    const m = await this.prisma.membership.findFirst({ where: { id: membershipId, personId } });
    if (!m) throw DomainError.notFound('任职');
    await this.scope.assertVisible(actor, m.orgId, '任职');
    return this.audit.transaction(async (tx) => {
      const updated = await tx.membership.update({ where: { id: membershipId }, data: { active: false } });
      await this.audit.record(tx, {
        actor,
        action: 'membership.remove',
        entityType: 'membership',
        entityId: membershipId,
        data: { personId, orgId: m.orgId, role: m.role },
      });
      return updated;
    });
  }

  /**
   * Imports people from CSV (columns: username,name,orgCode,role[,phone,password]); one row per
   * membership, so a person with two roles takes two rows. Role may be the code or its Chinese name.
   * Nothing is saved unless every row is valid. New people without a password get a generated one,
   * returned once.
   */
  async importCsv(actor: Actor, csv: string) {
    const rows = parseCsv(csv, ['username', 'name', 'orgCode', 'role']);
    const visible = new Set(await this.scope.visibleOrgIds(actor));
    const orgs = await this.prisma.organization.findMany({ where: { code: { in: rows.map((r) => r.orgCode) } }, select: { id: true, code: true } });
    const orgByCode = new Map(orgs.map((o) => [o.code, o.id]));
    const errors: FieldError[] = [];
    const parsed = rows.map((r, i) => {
      const role = ROLE_BY_LABEL[r.role] ?? r.role;
      const orgId = orgByCode.get(r.orgCode);
      if (!orgId || !visible.has(orgId)) errors.push(...rowErrors(i, [{ field: 'orgCode', message: `组织编码 ${r.orgCode} 不存在或不在管辖范围内` }]));
      const dto = plainToInstance(CreatePersonDto, {
        username: r.username,
        name: r.name,
        phone: r.phone || undefined,
        password: r.password || `Dj-${randomBytes(6).toString('base64url')}`,
        memberships: [{ orgId: orgId ?? '00000000-0000-0000-0000-000000000000', role }],
      });
      errors.push(...rowErrors(i, toFieldErrors(validateSync(dto))));
      return { dto, generated: !r.password };
    });
    if (errors.length) throw DomainError.validation(errors, 'CSV 导入失败，未保存任何数据');

    const existing = new Map(
      (await this.prisma.person.findMany({ where: { username: { in: rows.map((r) => r.username) } }, select: { id: true, username: true } })).map((p) => [
        p.username,
        p.id,
      ]),
    );
    const hashes = new Map<string, string>();
    for (const { dto } of parsed)
      if (!existing.has(dto.username) && !hashes.has(dto.username)) hashes.set(dto.username, await AuthService.hashPassword(dto.password));

    return this.audit.transaction(
      async (tx) => {
        const credentials: { username: string; password: string }[] = [];
        let created = 0;
        let memberships = 0;
        for (const { dto, generated } of parsed) {
          let id = existing.get(dto.username);
          if (!id) {
            const p = await tx.person.create({
              data: { username: dto.username, name: dto.name, phone: dto.phone, passwordHash: hashes.get(dto.username) as string },
            });
            id = p.id;
            existing.set(dto.username, id);
            created++;
            if (generated) credentials.push({ username: dto.username, password: dto.password });
            await this.audit.record(tx, {
              actor,
              action: 'person.import.create',
              entityType: 'person',
              entityId: id,
              data: { username: dto.username, name: dto.name },
            });
          }
          const m = (dto.memberships as MembershipInputDto[])[0];
          const row = await tx.membership.upsert({
            where: { personId_orgId_role: { personId: id, orgId: m.orgId, role: m.role } },
            create: { personId: id, orgId: m.orgId, role: m.role },
            update: { active: true },
          });
          await this.audit.record(tx, {
            actor,
            action: 'membership.import',
            entityType: 'membership',
            entityId: row.id,
            data: { personId: id, orgId: m.orgId, role: m.role },
          });
          memberships++;
        }
        return { created, memberships, credentials };
      },
      { timeout: 60_000 },
    );
  }
}
