import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AuthCache } from '../../apps/server/src/common/middleware/auth-cache';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

/**
 * Sessions and capacities are cached in each server process for a few seconds (AUTH_CACHE_TTL_MS = 5 s).
 * Two server processes on one database: a logout, a deactivation or a capacity change made through one of them,
 * or straight in the database, must take effect in both well before that time is up.
 */
describe('authentication cached per process, emptied on every change', () => {
  const SOON_MS = 1500; // well under the cache's 5 s: what is checked is the notification, not the expiry
  let a: NestExpressApplication;
  let b: NestExpressApplication;
  let prisma: PrismaService;
  let committeeId: string;
  let branchId: string;
  let admin: ApiSession;

  const sessionCookie = (res: request.Response) => {
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const sid = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('dj.sid='));
    if (!sid) throw new Error('登录响应没有会话 Cookie');
    return sid;
  };
  /** The same browser's request, answered by process `app`. */
  const as = (app: NestExpressApplication, cookie: string, path: string) => request(app.getHttpServer()).get(path).set('cookie', cookie);

  async function branchSecretary(name: string) {
    const person = await makePerson(prisma, [{ orgId: branchId, role: Role.BRANCH_SECRETARY }], name);
    const s = new ApiSession(a);
    const login = await s.login(person.username, PASSWORD);
    expect(login.status).toBe(200);
    return { person, session: s, cookie: sessionCookie(login) };
  }

  beforeAll(async () => {
    ({ app: a, prisma } = await startApp());
    ({ app: b } = await startApp());
    committeeId = (await makeCommittee(prisma)).id;
    branchId = (await makeBranch(prisma, committeeId)).id;
    const adminPerson = await makePerson(prisma, [{ orgId: committeeId, role: Role.ADMIN }], '管理员');
    admin = new ApiSession(a);
    expect((await admin.login(adminPerson.username, PASSWORD)).status).toBe(200);
    for (const app of [a, b]) await eventually(async () => app.get(AuthCache).listening, undefined, 10_000, '监听登录变更');
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a logout in one process ends the session in every process at once', async () => {
    const { session, cookie } = await branchSecretary('退出测试');
    await as(a, cookie, '/api/inbox').expect(200);
    await as(b, cookie, '/api/inbox').expect(200);
    expect(b.get(AuthCache).sessions.size).toBeGreaterThan(0);

    expect((await session.post('/api/auth/logout')).status).toBe(200);
    const loggedOut = Date.now();
    expect((await as(a, cookie, '/api/inbox')).status).toBe(401);
    await eventually(
      async () => (await as(b, cookie, '/api/inbox')).status,
      (s) => s === 401,
      SOON_MS,
      '另一进程拒绝已退出的会话',
    );
    expect(Date.now() - loggedOut).toBeLessThan(SOON_MS);
  });

  it('a person deactivated by an administrator is refused at the next request, in every process', async () => {
    const { person, cookie } = await branchSecretary('停用测试');
    await as(a, cookie, '/api/inbox').expect(200);
    await as(b, cookie, '/api/inbox').expect(200);
    expect(b.get(AuthCache).actors.size).toBeGreaterThan(0);

    await admin.post(`/api/people/${person.id}/deactivate`).expect(200);
    const deactivated = Date.now();
    // Process b first, which had the capacity cached. Deactivation ends the person's sessions, so the cookie now names
    // no session at all: the answer is the one for any ended session.
    const res = await eventually(
      () => as(b, cookie, '/api/inbox'),
      (r) => r.status === 401,
      SOON_MS,
      '停用的账号被拒绝',
    );
    expect(res.body.message).toBe('请先登录');
    expect((await as(a, cookie, '/api/inbox')).status).toBe(401);
    expect(Date.now() - deactivated).toBeLessThan(SOON_MS);
  });

  it('a membership ended straight in the database (as the CLI would) no longer grants its capacity', async () => {
    const { person, cookie } = await branchSecretary('任职测试');
    await as(b, cookie, '/api/inbox').expect(200);
    await prisma.membership.updateMany({ where: { personId: person.id }, data: { active: false } });
    const res = await eventually(
      () => as(b, cookie, '/api/inbox'),
      (r) => r.status === 403,
      SOON_MS,
      '任职停止后被拒绝',
    );
    expect(res.body.message).toContain('请先选择');
  });

  it('choosing another capacity in one process is the capacity in every process', async () => {
    const both = await makePerson(
      prisma,
      [
        { orgId: branchId, role: Role.BRANCH_SECRETARY },
        { orgId: committeeId, role: Role.EVALUATOR },
      ],
      '双重身份',
    );
    const s = new ApiSession(a);
    const cookie = sessionCookie(await s.login(both.username, PASSWORD));
    const [first, second] = both.memberships;
    expect((await s.choose(first.id)).status).toBe(200);
    expect((await as(b, cookie, '/api/auth/me').expect(200)).body.actor.membershipId).toBe(first.id);
    expect((await s.choose(second.id)).status).toBe(200);
    const me = await eventually(
      () => as(b, cookie, '/api/auth/me'),
      (r) => r.body.actor?.membershipId === second.id,
      SOON_MS,
      '新身份生效',
    );
    expect(me.body.actor).toMatchObject({ role: 'EVALUATOR', orgId: committeeId });
  });

  it('while its notification connection is down a process caches nothing, and it listens again by itself', async () => {
    const cache = b.get(AuthCache);
    const { cookie } = await branchSecretary('断线测试');
    await as(b, cookie, '/api/inbox').expect(200);
    const listeners = await prisma.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN dj_auth_changed'`;
    expect(listeners.length).toBe(2);
    await prisma.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN dj_auth_changed'`;
    await eventually(async () => !cache.listening, undefined, 5000, '缓存停用');
    expect(cache.sessions.size + cache.actors.size).toBe(0);
    await as(b, cookie, '/api/inbox').expect(200);
    await eventually(async () => a.get(AuthCache).listening && cache.listening, undefined, 10_000, '重新监听');
  });
});
