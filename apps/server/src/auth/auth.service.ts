import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { AuthCache, ResolvedActor } from '../common/middleware/auth-cache';
import { PrismaService } from '../prisma/prisma.service';
import { ROLE_LABELS } from './roles';

export interface Capacity {
  membershipId: string;
  role: string;
  roleLabel: string;
  orgId: string;
  orgName: string;
}

/** Failed logins counted over this window: at most this many per account name, and from one address. */
const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_ADDRESS = 50;

@Injectable()
export class AuthService {
  // Verified against when the account does not exist, so timing does not reveal which accounts exist.
  private readonly dummyHash = AuthService.hashPassword('no-such-account');

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly cache: AuthCache,
  ) {}

  static hashPassword(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  /**
   * Checks the password; the same error whether the account is missing, inactive or the password wrong. Failures are
   * counted in the database (so every server process sees them) and audited; after too many for an account, or from
   * one address, in the last 15 minutes, further tries are refused before any password is hashed.
   */
  async verifyLogin(username: string, password: string, ip = ''): Promise<{ personId: string; name: string }> {
    const name = username.trim().toLowerCase().slice(0, 100);
    await this.refuseIfLocked(name, ip);
    const person = await this.prisma.person.findUnique({ where: { username } });
    const ok = await argon2.verify(person?.passwordHash ?? (await this.dummyHash), password).catch(() => false);
    if (!person || !person.active || !ok) {
      const reason = !person ? 'unknown' : !person.active ? 'inactive' : 'password';
      await this.audit.transaction(async (tx) => {
        await tx.loginFailure.create({ data: { username: name, ip } });
        await this.audit.record(tx, {
          actor: null,
          action: 'auth.login.failed',
          entityType: 'person',
          entityId: person?.id ?? name,
          data: { username: name, ip, reason },
        });
      });
      // Old rows go now and then; the counts only look at the last 15 minutes.
      if (Math.random() < 0.01) await this.prisma.loginFailure.deleteMany({ where: { at: { lt: new Date(Date.now() - 24 * 3600_000) } } });
      throw new DomainError(ErrorCode.LOGIN_FAILED, '用户名或密码错误');
    }
    await this.audit.transaction(async (tx) => {
      await tx.loginFailure.deleteMany({ where: { username: name } });
      await this.audit.record(tx, { actor: null, action: 'auth.login', entityType: 'person', entityId: person.id, data: { username } });
    });
    return { personId: person.id, name: person.name };
  }

  private async refuseIfLocked(name: string, ip: string): Promise<void> {
    const since = new Date(Date.now() - LOGIN_WINDOW_MS);
    const [account, address] = await Promise.all([
      this.prisma.loginFailure.count({ where: { username: name, at: { gt: since } } }),
      this.prisma.loginFailure.count({ where: { ip, at: { gt: since } } }),
    ]);
    if (account >= MAX_FAILURES_PER_ACCOUNT) throw new DomainError(ErrorCode.RATE_LIMITED, '该账号登录失败次数过多，请 15 分钟后再试，或请系统管理员重置密码');
    if (address >= MAX_FAILURES_PER_ADDRESS) throw new DomainError(ErrorCode.RATE_LIMITED, '登录失败次数过多，请 15 分钟后再试');
  }

  async capacities(personId: string): Promise<Capacity[]> {
    const rows = await this.prisma.membership.findMany({
      where: { personId, active: true, org: { active: true } },
      include: { org: true },
      orderBy: [{ org: { sortOrder: 'asc' } }, { role: 'asc' }],
    });
    return rows.map((m) => ({ membershipId: m.id, role: m.role, roleLabel: ROLE_LABELS[m.role], orgId: m.orgId, orgName: m.org.name }));
  }

  /**
   * Resolves the session's person and chosen membership into an Actor, or null if either is no longer valid.
   * Valid answers are kept in AuthCache for a few seconds (every request asks; see there for how they are dropped
   * on a deactivation or a role change); invalid ones are always read afresh.
   */
  async actorFor(
    personId: string,
    membershipId: string | undefined,
  ): Promise<{ person: { id: string; name: string; active: boolean } | null; actor: Actor | null }> {
    // The common case, one query: an active person acting in an active membership of an active organisation.
    if (membershipId) {
      const key = `${personId}:${membershipId}`;
      const hit = this.cache.actors.get(key);
      if (hit) return hit;
      const version = this.cache.actors.version();
      const m = await this.prisma.membership.findFirst({
        where: { id: membershipId, personId, active: true, org: { active: true }, person: { active: true } },
        include: { org: { select: { name: true } }, person: { select: { id: true, name: true, active: true } } },
      });
      if (m) {
        const resolved: ResolvedActor = Object.freeze({
          person: Object.freeze(m.person),
          actor: Object.freeze({ personId, name: m.person.name, membershipId: m.id, role: m.role, orgId: m.orgId, orgName: m.org.name }),
        });
        this.cache.actors.set(key, resolved, version);
        return resolved;
      }
    }
    const person = await this.prisma.person.findUnique({ where: { id: personId }, select: { id: true, name: true, active: true } });
    return { person, actor: null };
  }

  async assertOwnMembership(personId: string, membershipId: string): Promise<Capacity> {
    const caps = await this.capacities(personId);
    const cap = caps.find((c) => c.membershipId === membershipId);
    if (!cap) throw DomainError.forbidden('该身份不属于当前用户或已停用');
    return cap;
  }

  /** A capacity chosen or a logout: who, and (for a capacity) which, in the audit log. */
  async recordSession(personId: string, event: { action: 'auth.logout' } | { action: 'auth.capacity'; capacity: Capacity }): Promise<void> {
    await this.audit.transaction(async (tx) => {
      if (event.action === 'auth.logout')
        await this.audit.record(tx, { actor: null, action: 'auth.logout', entityType: 'person', entityId: personId, data: {} });
      else {
        const { membershipId, role, orgId } = event.capacity;
        await this.audit.record(tx, { actor: null, action: 'auth.capacity', entityType: 'person', entityId: personId, data: { membershipId, role, orgId } });
      }
    });
  }
}
