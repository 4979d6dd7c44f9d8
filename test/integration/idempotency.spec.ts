/* A double-clicked button or a retried request acts once: the Idempotency-Key header of the API and the _idem field of the pages' forms. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

describe('idempotency keys on the real PostgreSQL', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let admin: { username: string; id: string };
  let s: ApiSession;
  let n = 0;
  const org = () => ({ code: `IDEM-${++n}-${Date.now() % 100000}`, name: `中共幂等${n}村支部委员会`, kind: 'VILLAGE' });
  const withKey = (key: string, body: unknown) => s.post('/api/orgs', body).set('idempotency-key', key);

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    const committee = await makeCommittee(prisma);
    admin = await makePerson(prisma, [{ orgId: committee.id, role: Role.ADMIN }], '管理员幂等');
    s = new ApiSession(app);
    await s.login(admin.username, PASSWORD);
  });

  afterAll(async () => {
    await app.close();
  });

  it('a repeated request with the same key gets the first answer and changes nothing more', async () => {
    const body = org();
    const first = await withKey('key-repeat-0001', body);
    const again = await withKey('key-repeat-0001', body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await prisma.organization.count({ where: { code: body.code } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { action: 'org.create', entityId: first.body.id } })).toBe(1);
  });

  it('ten simultaneous requests with one key act once; all get the same answer', async () => {
    const body = org();
    const answers = await Promise.all(Array.from({ length: 10 }, () => withKey('key-race-00001', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await prisma.organization.count({ where: { code: body.code } })).toBe(1);
  });

  it('without a key each request acts (the behaviour callers had before)', async () => {
    const body = org();
    expect((await s.post('/api/orgs', body)).status).toBe(201);
    expect((await s.post('/api/orgs', body)).status).toBe(400); // the code is taken
  });

  it('the same key for another request is refused in Chinese; a malformed key names the field', async () => {
    expect((await withKey('key-other-00001', org())).status).toBe(201);
    const other = await withKey('key-other-00001', org());
    expect(other.status).toBe(409);
    expect(other.body.message).toBe('此防重复提交标识已用于另一项操作，请刷新页面后重试');
    const bad = await withKey('short', org());
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('防重复提交标识须为 8 至 100 个字母、数字');
  });

  it('a refused request records nothing: corrected and sent again with its key, it acts', async () => {
    const body = org();
    const refused = await withKey('key-retry-00001', { ...body, kind: 'NO-SUCH-KIND' });
    expect(refused.status).toBe(400);
    const corrected = await withKey('key-retry-00001', body);
    expect(corrected.status).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    expect(await prisma.organization.count({ where: { code: body.code } })).toBe(1);
  });

  it('a page form posted twice (a double click) creates once and both posts land on the same page', async () => {
    const body = org();
    const post = () =>
      s.agent
        .post('/admin/orgs')
        .type('form')
        .set('accept', 'text/html')
        .send({ _csrf: s.csrfToken, _idem: 'form-double-click-1', ...body });
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.location).toBe('/admin/orgs?saved=1');
    expect(b.headers.location).toBe('/admin/orgs?saved=1');
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']].filter(Boolean)).toEqual(['true']);
    expect(await prisma.organization.count({ where: { code: body.code } })).toBe(1);
  });
});
