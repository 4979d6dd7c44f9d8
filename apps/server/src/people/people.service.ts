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
const MEMBERSHIP_FIELDS = { id: true, role: true, post: true, active: true, org: { select: { id: true, name: true, code: true } } } as const;
const ROLE_BY_LABEL = Object.fromEntries(Object.entries(ROLE_LABELS).map(([k, v]) => [v, k])) as Record<string, Role>;
const COLLATOR = new Intl.Collator('zh-CN');

/** Columns of the people CSV, in order: what the import reads and the export writes (one row per membership). */
export const PEOPLE_CSV_COLUMNS = ['username', 'name', 'orgCode', 'role', 'post', 'phone', 'password'] as const;

/** The people list's filters: a search over 姓名, 用户名, 组织 and 职务; an organisation; a role; stopped accounts too. */
export interface PeopleFilter {
  orgId?: string;
  role?: Role;
  q?: string;
  includeInactive?: boolean;
}

export const PEOPLE_SORTS = ['name', 'username', 'org', 'post'] as const;
export type PeopleSort = (typeof PEOPLE_SORTS)[number];

/**
 * A CSV cell: quoted when it holds a comma, quote or line break; a cell Excel would run as a formula (= + - @ at the
 * start) gets a leading ', which the import takes off again.
 */
function csvCell(value: string | null | undefined): string {
  let v = value ?? '';
  if (/^[=+\-@]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
const uncell = (v: string | undefined) => (v ?? '').replace(/^'(?=[=+\-@])/, '');

@Injectable()
export class PeopleService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly scope: OrgScopeService,
    private readonly cache: AuthCache,
  ) {}

  /**
   * People holding at least one membership in an organisation the actor can see (with the organisation and role
   * filters: an active membership there). The search matches 姓名, 用户名, and the organisation or 职务 of a
   * membership; the memberships shown are those in the actor's view. Sorted by username unless `sort` says.
   */
  async list(actor: Actor, filter: PeopleFilter = {}, sort?: { by: PeopleSort; desc?: boolean }) {
    const ids = filter.orgId ? (await this.scope.assertVisible(actor, filter.orgId), [filter.orgId]) : await this.scope.visibleOrgIds(actor);
    const q = filter.q?.trim();
    const people = await this.prisma.person.findMany({
      where: {
        active: filter.includeInactive ? undefined : true,
        memberships: { some: { orgId: { in: ids }, ...(filter.orgId || filter.role ? { active: true } : {}), ...(filter.role ? { role: filter.role } : {}) } },
        ...(q
          ? {
              OR: [
                { name: { contains: q, mode: 'insensitive' as const } },
                { username: { contains: q, mode: 'insensitive' as const } },
                {
                  memberships: {
                    some: {
                      orgId: { in: ids },
                      active: true,
                      OR: [{ post: { contains: q, mode: 'insensitive' as const } }, { org: { name: { contains: q, mode: 'insensitive' as const } } }],
                    },
                  },
                },
              ],
            }
          : {}),
      },
      select: { ...PUBLIC_FIELDS, memberships: { where: { orgId: { in: ids } }, select: MEMBERSHIP_FIELDS, orderBy: { createdAt: 'asc' } } },
      orderBy: { username: 'asc' },
    });
    if (!sort || sort.by === 'username') return sort?.desc ? people.reverse() : people;
    const key = (p: (typeof people)[number]) => {
      if (sort.by === 'name') return p.name;
      const first = p.memberships.find((m) => m.active && (sort.by === 'org' || m.post));
      return (sort.by === 'org' ? first?.org.name : first?.post) ?? '';
    };
    // Empty keys last either way; ties by username.
    return people.sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      if (!ka !== !kb) return ka ? -1 : 1;
      return (sort.desc ? -1 : 1) * COLLATOR.compare(ka, kb) || COLLATOR.compare(a.username, b.username);
    });
  }

  /**
   * The people CSV: one row per active membership in the actor's view, with the columns the import reads, so an
   * export imported again changes nothing. No passwords. With a BOM, so Excel reads the Chinese.
   */
  async exportCsv(actor: Actor, filter: PeopleFilter = {}): Promise<string> {
    const people = await this.list(actor, filter);
    const lines = [PEOPLE_CSV_COLUMNS.join(',')];
    for (const p of people)
      for (const m of p.memberships.filter((x) => x.active))
        lines.push([p.username, p.name, m.org.code, ROLE_LABELS[m.role], m.post, p.phone, ''].map(csvCell).join(','));
    return `\uFEFF${lines.join('\r\n')}\r\n`;
  }

  async get(actor: Actor, id: string) {
    const visible = await this.scope.visibleOrgIds(actor);
    const person = await this.prisma.person.findFirst({
      where: { id, memberships: { some: { orgId: { in: visible } } } },
      select: {
        ...PUBLIC_FIELDS,
        memberships: { where: { orgId: { in: visible } }, select: MEMBERSHIP_FIELDS, orderBy: { createdAt: 'asc' } },
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
      for (const m of dto.memberships ?? []) await tx.membership.create({ data: { personId: person.id, orgId: m.orgId, role: m.role, post: m.post ?? null } });
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

  /** Adds a membership; the same organisation and role again sets its 职务 (none given clears it). */
  async addMembership(actor: Actor, personId: string, dto: MembershipInputDto) {
    await this.get(actor, personId);
    await this.scope.assertVisible(actor, dto.orgId, '所属组织');
    return this.audit.transaction(async (tx) => {
      const before = await tx.membership.findUnique({ where: { personId_orgId_role: { personId, orgId: dto.orgId, role: dto.role } } });
      const m = await tx.membership.upsert({
        where: { personId_orgId_role: { personId, orgId: dto.orgId, role: dto.role } },
        create: { personId, orgId: dto.orgId, role: dto.role, post: dto.post ?? null },
        update: { active: true, post: dto.post ?? null },
      });
      await this.audit.record(tx, {
        actor,
        action: 'membership.add',
        entityType: 'membership',
        entityId: m.id,
        data: { personId, orgId: dto.orgId, role: dto.role, post: m.post, ...(before?.active ? { previousPost: before.post } : {}) },
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
   * Imports people from CSV (columns: username,name,orgCode,role[,post,phone,password]); one row per
   * membership, so a person with two roles takes two rows. Role may be the code or its Chinese name. With a post
   * column, each row sets its membership's 职务 (empty clears it); without one, 职务 stay as they are.
   * Nothing is saved unless every row is valid. New people without a password get a generated one,
   * returned once.
   */
  async importCsv(actor: Actor, csv: string) {
    const rows = parseCsv(csv, ['username', 'name', 'orgCode', 'role']);
    const hasPost = 'post' in rows[0];
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
        name: uncell(r.name),
        phone: r.phone || undefined,
        password: r.password || `Dj-${randomBytes(6).toString('base64url')}`,
        memberships: [{ orgId: orgId ?? '00000000-0000-0000-0000-000000000000', role, post: uncell(r.post) }],
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
            create: { personId: id, orgId: m.orgId, role: m.role, post: m.post ?? null },
            update: { active: true, ...(hasPost ? { post: m.post ?? null } : {}) },
          });
          await this.audit.record(tx, {
            actor,
            action: 'membership.import',
            entityType: 'membership',
            entityId: row.id,
            data: { personId: id, orgId: m.orgId, role: m.role, ...(hasPost ? { post: m.post ?? null } : {}) },
          });
          memberships++;
        }
        return { created, memberships, credentials };
      },
      { timeout: 60_000 },
    );
  }
}
