import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import path from 'node:path';
import { auditHash } from '../../apps/server/src/audit/audit-hash';
import { AuditService } from '../../apps/server/src/audit/audit.service';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { cli } from '../support/cli';
import { ApiSession, startApp, startWorker, withOwner } from '../support/test-app';
import { minimalPdf } from '../support/files';

describe('foundation on the real PostgreSQL and Temporal dev server', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let worker: INestApplicationContext;
  let admin: { username: string; id: string };
  let committeeId: string;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    const committee = await makeCommittee(prisma);
    committeeId = committee.id;
    admin = await makePerson(prisma, [{ orgId: committee.id, role: Role.ADMIN }], '管理员甲');
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  it('applied every committed migration to the empty test database', async () => {
    const folders = fs.readdirSync(path.resolve(__dirname, '../../prisma/migrations')).filter((f) => /^\d+_/.test(f));
    const applied = await withOwner((owner) =>
      owner.query<{ migration_name: string }>(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`),
    );
    expect(applied.rows.map((r) => r.migration_name)).toEqual(folders.sort());
    // The application's role cannot read or rewrite the migration history.
    await expect(prisma.$queryRawUnsafe('SELECT 1 FROM _prisma_migrations')).rejects.toThrow(/permission denied/);
    const tables = await prisma.$queryRaw<
      { table_name: string }[]
    >`SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public'`;
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['organization', 'person', 'membership', 'calendar_override', 'doc_number_sequence', 'audit_log', 'session']),
    );
  });

  describe('login', () => {
    it('a wrong password is a 401 in Chinese that does not say whether the account exists', async () => {
      const wrong = await new ApiSession(app).login(admin.username, 'not-the-password');
      const unknown = await new ApiSession(app).login('no.such.person', 'not-the-password');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.message).toBe('用户名或密码错误');
      expect(unknown.body.message).toBe(wrong.body.message);
      expect(unknown.body.code).toBe(wrong.body.code);
    });

    it('a person with several memberships must pick a capacity, and acts in it', async () => {
      const branch = await makeBranch(prisma, committeeId);
      const both = await makePerson(
        prisma,
        [
          { orgId: branch.id, role: Role.BRANCH_SECRETARY },
          { orgId: committeeId, role: Role.EVALUATOR },
        ],
        '双重身份',
      );
      const s = new ApiSession(app);
      const login = await s.login(both.username, PASSWORD);
      expect(login.status).toBe(200);
      expect(login.body.current).toBeNull();
      expect(login.body.capacities.map((c: { roleLabel: string }) => c.roleLabel).sort()).toEqual(['支部书记', '评议人'].sort());
      const refused = await s.get('/api/orgs');
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('请先选择');
      const secretary = both.memberships.find((m) => m.role === Role.BRANCH_SECRETARY)!;
      expect((await s.choose(secretary.id)).status).toBe(200);
      const me = await s.get('/api/auth/me').expect(200);
      expect(me.body.actor).toMatchObject({ role: 'BRANCH_SECRETARY', orgId: branch.id, orgName: branch.name });
      const page = await s.get('/inbox').set('accept', 'text/html').expect(200);
      expect(page.text).toContain(`当前身份：<strong>${branch.name} · 支部书记</strong>`);
    });

    it('limits login attempts per account', async () => {
      const s = new ApiSession(app);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await s.login('rate.limited', 'x')).status);
      expect(statuses.slice(0, 10).every((st) => st === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    });

    it('counts failed logins in the database for every server process: per account, per address, each one audited', async () => {
      const person = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '锁定测试');
      // A different address each time, so the per-process rate limit (address + name) never trips: only the shared count.
      const from = (s: ApiSession, ip: string, username: string, password: string) =>
        s.agent.post('/api/auth/login').set('x-csrf-token', s.csrfToken).set('x-forwarded-for', ip).send({ username, password });
      const s = await new ApiSession(app).start();
      for (let i = 0; i < 10; i++) expect((await from(s, `10.9.0.${i}`, person.username, 'wrong')).status).toBe(401);
      const locked = await from(s, '10.9.1.1', person.username, PASSWORD);
      expect(locked.status).toBe(429);
      expect(locked.body.message).toContain('该账号登录失败次数过多');
      const failed = await prisma.auditLog.findMany({ where: { action: 'auth.login.failed', entityId: person.id }, orderBy: { seq: 'asc' } });
      expect(failed).toHaveLength(10);
      // Each failure with its own address, in the order they came (the order of the rows is the chain's, not the table's).
      expect(failed.map((f) => (f.data as { ip: string }).ip)).toEqual(Array.from({ length: 10 }, (_, i) => `10.9.0.${i}`));
      expect(failed[0].data).toMatchObject({ username: person.username, ip: '10.9.0.0', reason: 'password' });
      expect(JSON.stringify(failed.map((f) => f.data))).not.toContain('wrong');

      // Many names from one address: the address is stopped, another address is not.
      const s2 = await new ApiSession(app).start();
      for (let i = 0; i < 50; i++) expect((await from(s2, '10.9.2.2', `no.such.${i}`, 'x')).status).toBe(401);
      const other = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '另一地址');
      const stopped = await from(s2, '10.9.2.2', other.username, PASSWORD);
      expect(stopped.status).toBe(429);
      expect((await from(await new ApiSession(app).start(), '10.9.3.3', other.username, PASSWORD)).status).toBe(200);
      expect(await prisma.auditLog.count({ where: { action: 'auth.login.failed', entityId: 'no.such.7' } })).toBe(1);
    });
  });

  it('audits a login, the capacity chosen, an attachment opened and the logout', async () => {
    const branch = await makeBranch(prisma, committeeId);
    const person = await makePerson(
      prisma,
      [
        { orgId: committeeId, role: Role.COMMITTEE_STAFF },
        { orgId: branch.id, role: Role.BRANCH_SECRETARY },
      ],
      '两种身份',
    );
    const since = (await prisma.auditLog.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
    const s = new ApiSession(app);
    await s.login(person.username, PASSWORD);
    const membership = await prisma.membership.findFirstOrThrow({ where: { personId: person.id, orgId: branch.id } });
    expect((await s.choose(membership.id)).status).toBe(200);
    const uploaded = await s.agent
      .post('/api/files')
      .set('x-csrf-token', s.csrfToken)
      .attach('file', minimalPdf(`计划 ${person.id}`), { filename: '计划.pdf', contentType: 'application/pdf' })
      .expect(201);
    await s.get(`/api/files/${uploaded.body.sha256}`).expect(200);
    await s.post('/api/auth/logout').expect(200);

    const trail = await prisma.auditLog.findMany({
      where: { seq: { gt: since }, entityId: { in: [person.id, uploaded.body.sha256] } },
      orderBy: { seq: 'asc' },
    });
    expect(trail.map((r) => [r.action, r.data])).toEqual([
      ['auth.login', { username: person.username }],
      ['auth.capacity', { membershipId: membership.id, role: 'BRANCH_SECRETARY', orgId: branch.id }],
      ['file.upload', expect.objectContaining({ name: '计划.pdf' })],
      ['file.read', { name: '计划.pdf' }],
      ['auth.logout', {}],
    ]);
    expect(trail[3].actorId).toBe(person.id);
  });

  describe('bad input', () => {
    let s: ApiSession;
    beforeAll(async () => {
      s = new ApiSession(app);
      await s.login(admin.username, PASSWORD);
    });

    it('malformed JSON is a 400 in Chinese, not a 500', async () => {
      const res = await s.agent
        .post('/api/orgs')
        .set('x-csrf-token', await s.refreshCsrf())
        .set('content-type', 'application/json')
        .send('{"code": ');
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('请求体不是合法的 JSON');
    });

    it('lists every bad field with its reason, and saves nothing', async () => {
      const before = await prisma.organization.count();
      const res = await s.post('/api/orgs', { code: '!', kind: 'TOWN', organCode: 'ABC', extra: 1 });
      expect(res.status).toBe(400);
      const fields = res.body.fields.map((f: { field: string }) => f.field).sort();
      expect(fields).toEqual(['code', 'extra', 'kind', 'name', 'organCode']);
      expect(res.body.fields.find((f: { field: string }) => f.field === 'name').message).toBe('组织名称不能为空');
      expect(await prisma.organization.count()).toBe(before);
    });

    it('a form post without the CSRF token is refused', async () => {
      const res = await s.agent.post('/api/orgs').send({ code: 'NOCSRF', name: '无令牌', kind: 'VILLAGE' });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('CSRF');
    });

    it('an unknown path is a Chinese 404', async () => {
      const res = await s.get('/api/no-such-thing');
      expect(res.status).toBe(404);
      expect(res.body.message).toBe('请求的地址或资源不存在');
    });
  });

  describe('audit log', () => {
    it('records every state change, lets the application only append, and verify reports every altered, rewritten and deleted row', async () => {
      const s = new ApiSession(app);
      await s.login(admin.username, PASSWORD);
      const created = await s.post('/api/orgs', { code: 'AUD-1', name: '中共审计村支部委员会', kind: 'VILLAGE' }).expect(201);
      await s.patch(`/api/orgs/${created.body.id}`, { shortName: '审计村' }).expect(200);
      await s.post(`/api/orgs/${created.body.id}/deactivate`).expect(200);
      const trail = await s.get(`/api/audit?entityType=organization&entityId=${created.body.id}`).expect(200);
      expect(trail.body.map((r: { action: string }) => r.action)).toEqual(['org.deactivate', 'org.update', 'org.create']);
      expect(trail.body[1].actorId).toBe(admin.id);

      const audit = app.get(AuditService);
      expect((await audit.verify()).ok).toBe(true);

      // The application's role may only append: no UPDATE, DELETE or TRUNCATE, and, owning nothing, it cannot disable
      // the append-only trigger either (the trigger is the second line, for the owner).
      await expect(prisma.$executeRawUnsafe(`UPDATE audit_log SET action = 'x' WHERE seq = 1`)).rejects.toThrow(/permission denied/);
      await expect(prisma.$executeRawUnsafe(`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow(/permission denied/);
      await expect(prisma.$executeRawUnsafe('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete')).rejects.toThrow(/must be owner/);
      await expect(prisma.$executeRawUnsafe(`DELETE FROM audit_checkpoint`)).rejects.toThrow(/permission denied/);
      await withOwner(async (owner) => {
        await expect(owner.query(`UPDATE audit_log SET action = 'x' WHERE seq = 1`)).rejects.toThrow('审计日志只允许追加');
      });

      const [{ seq }] = await prisma.$queryRaw<{ seq: bigint }[]>`SELECT seq FROM audit_log WHERE action = 'org.update' AND entity_id = ${created.body.id}`;
      const [{ seq: deactivateSeq }] = await prisma.$queryRaw<
        { seq: bigint }[]
      >`SELECT seq FROM audit_log WHERE action = 'org.deactivate' AND entity_id = ${created.body.id}`;
      // The owner can bypass the trigger; the chain and the signed checkpoints still show it. Other suites share this
      // database and verify the chain too: keep a copy and put it back afterwards.
      await withOwner(async (owner) => {
        await owner.query('CREATE TABLE audit_log_before_tamper AS SELECT * FROM audit_log');
        const head = (await owner.query('SELECT hash FROM audit_chain_head WHERE id = 1')).rows[0].hash as string;
        await owner.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete');
        try {
          await owner.query(`UPDATE audit_log SET data = '{"after":{"shortName":"改过"}}' WHERE seq = $1`, [seq]);
          await owner.query(`UPDATE audit_log SET entity_id = $2 WHERE seq = $1`, [deactivateSeq, committeeId]);
          // Every break is reported, not only the first.
          const altered = await audit.verify();
          expect(altered.ok).toBe(false);
          expect(altered.breaks).toEqual(
            expect.arrayContaining([
              { seq, reason: '内容与哈希不符（记录被篡改）' },
              { seq: deactivateSeq, reason: '内容与哈希不符（记录被篡改）' },
            ]),
          );
          expect(altered.firstBreak).toEqual({ seq, reason: '内容与哈希不符（记录被篡改）' });
          const viaCli = cli('audit', 'verify');
          expect(viaCli.code).toBe(1);
          expect(viaCli.out).toContain(`第 ${seq} 条：内容与哈希不符（记录被篡改）`);
          expect(viaCli.out).toContain(`第 ${deactivateSeq} 条：内容与哈希不符（记录被篡改）`);

          // Rewriting a record and recomputing every plain hash after it leaves a consistent chain; only the
          // checkpoints, signed with a key the database does not hold, show the rewrite.
          await owner.query('DELETE FROM audit_log');
          await owner.query('INSERT INTO audit_log SELECT * FROM audit_log_before_tamper');
          const rows = (await owner.query(`SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq`, [seq])).rows;
          let prevHash = rows[0].prev_hash as string;
          for (const r of rows) {
            const data = r.seq === String(seq) ? { after: { shortName: '改过' } } : r.data;
            const fields = {
              seq: BigInt(r.seq),
              at: r.at,
              actorId: r.actor_id,
              capacity: r.capacity,
              action: r.action,
              entityType: r.entity_type,
              entityId: r.entity_id,
              data,
              prevHash,
            };
            const hash = auditHash(fields);
            await owner.query(`UPDATE audit_log SET data = $2, prev_hash = $3, hash = $4 WHERE seq = $1`, [r.seq, JSON.stringify(data), prevHash, hash]);
            prevHash = hash;
          }
          await owner.query('UPDATE audit_chain_head SET hash = $1', [prevHash]);
          const rewritten = await audit.verify();
          expect(rewritten.ok).toBe(false);
          expect(rewritten.breaks.filter((b) => b.reason !== '记录与签名检查点不符（此前的记录被改写，哈希被重新计算）')).toEqual([]);
          expect(rewritten.firstBreak?.seq).toBeGreaterThanOrEqual(seq);

          await owner.query('DELETE FROM audit_log');
          await owner.query('INSERT INTO audit_log SELECT * FROM audit_log_before_tamper');
          await owner.query(`DELETE FROM audit_log WHERE seq = $1`, [seq]);
          const deleted = await audit.verify();
          expect(deleted.breaks).toContainEqual({ seq: seq + 1n, reason: `缺少第 ${seq} 条记录（可能被删除）` });
          const viaApi = await s.get('/api/audit/verify').expect(200);
          expect(viaApi.body.breaks).toContainEqual({ seq: String(seq + 1n), reason: `缺少第 ${seq} 条记录（可能被删除）` });

          // Deleting the newest records is caught by the chain head and the last checkpoint.
          const { rows: maxRows } = await owner.query<{ max: string }>(`SELECT max(seq) AS max FROM audit_log`);
          const max = BigInt(maxRows[0].max);
          await owner.query(`DELETE FROM audit_log WHERE seq >= $1`, [max - 1n]);
          const truncated = await audit.verify();
          expect(truncated.breaks.map((b) => b.reason)).toEqual(expect.arrayContaining([expect.stringContaining('末尾缺少第')]));
        } finally {
          await owner.query('DELETE FROM audit_log');
          await owner.query('INSERT INTO audit_log SELECT * FROM audit_log_before_tamper');
          await owner.query('DROP TABLE audit_log_before_tamper');
          await owner.query('UPDATE audit_chain_head SET hash = $1 WHERE id = 1', [head]);
          await owner.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete');
        }
      });
      expect((await audit.verify()).ok).toBe(true);
    });
  });

  describe('Temporal round trip', () => {
    it('server starts the workflow, the worker runs the activity on the database, the Update is validated', async () => {
      const s = new ApiSession(app);
      await s.login(admin.username, PASSWORD);
      const res = await s.post('/api/system/ping', { message: '你好，工作流' }).expect(200);
      expect(res.body.ack).toEqual({ accepted: true, by: '管理员甲' });
      expect(res.body.result).toEqual({
        echo: '收到：你好，工作流',
        organizations: await prisma.organization.count({ where: { active: true } }),
        ackBy: '管理员甲',
      });
      const trail = await s.get(`/api/audit?entityType=workflow&entityId=${res.body.workflowId}`).expect(200);
      expect(trail.body[0].action).toBe('system.ping');
    });

    it('an Update that fails its validator is rejected with the reason', async () => {
      const { TemporalClientService } = await import('../../apps/server/src/temporal/temporal-client.service');
      const { ackUpdate } = await import('../../workflows/system/ping.definitions');
      const temporal = app.get(TemporalClientService);
      const client = await temporal.client();
      const handle = await client.workflow.start('pingWorkflow', {
        taskQueue: temporal.taskQueue,
        workflowId: `ping-reject-${Date.now()}`,
        args: [{ message: 'x', ackTimeoutMs: 20_000 }],
      });
      const reason = (p: Promise<unknown>) =>
        p.then(
          () => 'accepted',
          (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
        );
      expect(await reason(handle.executeUpdate(ackUpdate, { args: [{ by: '  ' }] }))).toBe('确认人不能为空');
      expect(await handle.executeUpdate(ackUpdate, { args: [{ by: '甲' }] })).toEqual({ accepted: true, by: '甲' });
      expect((await handle.result()).ackBy).toBe('甲');
    });
  });

  it('GET /api/health tells anyone only whether the system is up; the administrator gets the details', async () => {
    const res = await new ApiSession(app).get('/api/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(JSON.stringify(res.body)).not.toMatch(/7233|127\.0\.0\.1|PostgreSQL|temporal/i);
    expect((await new ApiSession(app).get('/api/system/health')).status).toBe(401);
  });

  it('sends the security headers on pages and API answers', async () => {
    for (const path of ['/login', '/api/health', '/api/auth/csrf']) {
      const res = await new ApiSession(app).get(path);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves the OpenAPI document', async () => {
    const res = await new ApiSession(app).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/orgs', '/api/people', '/api/auth/login', '/api/health']));
  });
});
