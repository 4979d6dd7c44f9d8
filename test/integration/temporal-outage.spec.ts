/**
 * Temporal (the workflow service) going away while people work: the server reaches it through a TCP relay the test
 * opens and closes, so the outage is a real one (connections refused and cut), with the real dev server behind it.
 * Before: a submission during the outage answered 500 "服务器内部错误" after about 20 s of the client's retries, and the
 * directive stayed 审批中 with no approval workflow and no way for the drafter to start it again.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { importText } from '../../apps/server/src/documents/import';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, pendingApprovalStep, startApp, startWorker } from '../support/test-app';

const SEED_000 = fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8');
const MODEL = importText(SEED_000).model;

/** A TCP relay to the real Temporal dev server that can be cut (every connection ended) and opened again on its port. */
class Relay {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('Temporal unreachable for a while', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let relay: Relay;
  let drafter: ApiSession;
  let reviewer: ApiSession;
  let chain: { reviewers: string[]; signerId: string };
  let branchId: string;

  beforeAll(async () => {
    const [host, port] = (process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233').split(':');
    relay = new Relay({ host, port: Number(port) });
    await relay.open();
    // The worker reaches Temporal directly, the server through the relay (only the server's side goes away).
    worker = await startWorker();
    const address = process.env.TEMPORAL_ADDRESS;
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${relay.port}`;
    try {
      ({ app, prisma } = await startApp());
    } finally {
      process.env.TEMPORAL_ADDRESS = address;
    }
    const committee = await makeCommittee(prisma);
    branchId = (await makeBranch(prisma, committee.id, OrgKind.VILLAGE)).id;
    const d = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    const r = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李核稿');
    const s = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记');
    chain = { reviewers: [r.id], signerId: s.id };
    drafter = new ApiSession(app);
    reviewer = new ApiSession(app);
    expect((await drafter.login(d.username, PASSWORD)).status).toBe(200);
    expect((await reviewer.login(r.username, PASSWORD)).status).toBe(200);
  });

  afterAll(async () => {
    await relay.cut().catch(() => undefined);
    await worker?.close();
    await app?.close();
  });

  const draft = async (title: string) =>
    (
      await drafter
        .post('/api/directives', {
          model: { ...MODEL, title },
          chain,
          distribution: { mode: 'LIST', orgIds: [branchId] },
        })
        .expect(201)
    ).body as { id: string };

  it('answers 503 in Chinese within 10 s, keeps the draft, and lets the drafter submit again once Temporal is back', async () => {
    // Working: a submission reaches Temporal through the relay (the client's connection is made).
    const first = await draft('关于报送年度计划的通知');
    await drafter.post(`/api/directives/${first.id}/submit`).expect(200);
    await pendingApprovalStep(reviewer, first.id, '核稿人');

    await relay.cut();
    const second = await draft('关于开展党员志愿服务的通知');
    const started = Date.now();
    const refused = await drafter.post(`/api/directives/${second.id}/submit`);
    const took = Date.now() - started;
    expect({ status: refused.status, message: refused.body.message }).toEqual({
      status: 503,
      message: '流程服务暂时无法连接，请稍后重试，已保存的内容不受影响',
    });
    expect(took).toBeLessThan(10_000);
    // A decision on the first one, during the outage: 503 too, and the step is still pending.
    const stepId = (await reviewer.get(`/api/inbox?kind=APPROVAL&directiveId=${first.id}`).expect(200)).body.items[0].data.stepId;
    const decided = await reviewer.post(`/api/directives/${first.id}/decisions`, { stepId, decision: 'APPROVE', comment: '', version: 1 });
    expect(decided.status).toBe(503);
    expect(await prisma.approvalStep.findUniqueOrThrow({ where: { id: stepId } })).toMatchObject({ status: 'PENDING' });

    // Nothing saved is lost: the text is there; the page tells the drafter the approval did not start and offers 提交审批.
    const saved = await prisma.directive.findUniqueOrThrow({ where: { id: second.id }, include: { document: true } });
    expect(saved.document.title).toBe('关于开展党员志愿服务的通知');
    const page = await drafter.agent.get(`/directives/${second.id}`).set('Accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('审批流程未能启动');
    expect(page.text).toContain(`action="/directives/${second.id}/submit"`);
    // Submitting from the page while Temporal is still away: said in place on the page, with 503.
    const inPlace = await drafter.agent.post(`/directives/${second.id}/submit`).type('form').set('Accept', 'text/html').send({ _csrf: drafter.csrfToken });
    expect(inPlace.status).toBe(503);
    expect(inPlace.text).toContain('流程服务暂时无法连接，请稍后重试');
    expect(inPlace.text).toContain('关于开展党员志愿服务的通知');

    // Temporal back (the relay opens on the same port): submitting again starts the approval, once.
    await relay.open();
    await drafter.post(`/api/directives/${second.id}/submit`).expect(200);
    await pendingApprovalStep(reviewer, second.id, '核稿人');
    const after = await drafter.agent.get(`/directives/${second.id}`).set('Accept', 'text/html');
    expect(after.text).not.toContain('审批流程未能启动');
    expect(await prisma.approvalStep.count({ where: { directiveId: second.id } })).toBeGreaterThan(0);
    await reviewer.post(`/api/directives/${first.id}/decisions`, { stepId, decision: 'APPROVE', comment: '', version: 1 }).expect(200);
  });
});
