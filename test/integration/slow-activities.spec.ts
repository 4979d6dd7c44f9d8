/**
 * A workflow's activity that cannot finish for a while (the database locked, restarting or down).
 *
 * Before: every activity gave up after ten attempts (about 5½ minutes of backoff), and a year-long directive's workflow
 * failed with it at the first longer outage: no more reminders, no 废止, the signals sent to it dropped. And a person's
 * decision waited on its activity for as long as the activity took, the request hanging all the while.
 * Now activities retry until they succeed (workflows/shared/retry.ts), and a person is answered within
 * UPDATE_WAIT_SECONDS (here 2 s): accepted, being completed (202); the decision lands once the database lets it.
 * And 废止 sent while the directive is still being distributed (the database may already say 已印发: seen as a 409 in
 * CI) is taken and carried out when distribution ends.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { importText } from '../../apps/server/src/documents/import';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { TemporalClientService } from '../../apps/server/src/temporal/temporal-client.service';
import { directiveStateQuery } from '../../workflows/directive/directive.definitions';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, pendingApprovalStep, startApp, startWorker } from '../support/test-app';

const SEED_000 = fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8');
const MODEL = importText(SEED_000).model;
const WAIT_SECONDS = 2;

describe('an activity that cannot finish for a while', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let drafter: ApiSession;
  let reviewer: ApiSession;
  let secretary: ApiSession;
  let chain: { reviewers: string[]; signerId: string };
  let branchId: string;

  beforeAll(async () => {
    // Read when the app's configuration is built.
    process.env.UPDATE_WAIT_SECONDS = String(WAIT_SECONDS);
    try {
      ({ app, prisma } = await startApp());
    } finally {
      delete process.env.UPDATE_WAIT_SECONDS;
    }
    worker = await startWorker();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `慢${Date.now() % 100000}发` });
    const people = {
      drafter: await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建'),
      reviewer: await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李核稿'),
      secretary: await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记'),
    };
    branchId = (await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡大滩村支部委员会')).id;
    chain = { reviewers: [people.reviewer.id], signerId: people.secretary.id };
    drafter = new ApiSession(app);
    reviewer = new ApiSession(app);
    secretary = new ApiSession(app);
    expect((await drafter.login(people.drafter.username, PASSWORD)).status).toBe(200);
    expect((await reviewer.login(people.reviewer.username, PASSWORD)).status).toBe(200);
    expect((await secretary.login(people.secretary.username, PASSWORD)).status).toBe(200);
  });

  afterAll(async () => {
    await worker?.close();
    await app?.close();
  });

  async function inReview(title: string): Promise<{ id: string; stepId: string }> {
    const created = await drafter
      .post('/api/directives', { model: { ...MODEL, title }, chain, distribution: { mode: 'LIST', orgIds: [branchId] } })
      .expect(201);
    await drafter.post(`/api/directives/${created.body.id}/submit`).expect(200);
    return { id: created.body.id, stepId: await pendingApprovalStep(reviewer, created.body.id, '核稿人') };
  }

  /** Runs `work` while another connection holds a lock (`lock`, in its transaction), then lets the lock go. */
  async function whileLocked<T>(lock: string, params: unknown[], work: () => Promise<T>): Promise<T> {
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query('BEGIN');
      await db.query(lock, params);
      return await work();
    } finally {
      await db.query('ROLLBACK');
      await db.end();
    }
  }

  it('schedules every activity of a directive to retry until it succeeds, however long the outage', async () => {
    const d = await inReview('关于慢活动重试的通知');
    const client = await app.get(TemporalClientService).client();
    const workflowId = (await prisma.directive.findUniqueOrThrow({ where: { id: d.id } })).workflowId as string;
    // startReview, activateStage and the first reminderDue.
    const scheduled = await eventually(
      async () =>
        ((await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [])
          .filter((e) => e.activityTaskScheduledEventAttributes)
          .map((e) => e.activityTaskScheduledEventAttributes!),
      (a) => a.length >= 3,
      30_000,
      '审批流程的前三个活动',
    );
    for (const a of scheduled) {
      // 0: no cap on attempts (Temporal's "unlimited"); the interval between them stops growing at 2 minutes.
      expect({ activity: a.activityType?.name, attempts: a.retryPolicy?.maximumAttempts ?? 0 }).toEqual({ activity: a.activityType?.name, attempts: 0 });
      expect(Number(a.retryPolicy?.maximumInterval?.seconds)).toBe(120);
    }
  });

  it('answers a decision whose recording waits on the database within the wait (202), refuses the same step again at once, and records it once the database lets it', async () => {
    const d = await inReview('关于慢决定的通知');
    // The directive's row: the lock every decision takes first.
    await whileLocked('SELECT id FROM directive WHERE id = $1 FOR UPDATE', [d.id], async () => {
      const started = Date.now();
      const res = await reviewer.post(`/api/directives/${d.id}/decisions`, { stepId: d.stepId, decision: 'APPROVE', comment: '', version: 1 });
      const took = Date.now() - started;
      expect(res.status).toBe(202);
      expect(res.body.message).toBe('系统繁忙：您的办理已受理，正在完成，稍后刷新页面即可看到结果，请勿重复办理');
      // Answered after the wait, not after the activity: it is still blocked.
      expect(took).toBeGreaterThanOrEqual(WAIT_SECONDS * 1000 - 100);
      expect(took).toBeLessThan(WAIT_SECONDS * 1000 + 8000);
      expect((await prisma.approvalStep.findUniqueOrThrow({ where: { id: d.stepId } })).status).toBe('PENDING');

      // The same step again, from the page, while the first is being recorded: refused at once and said so on the
      // page (before: accepted, answered 202 like the first, and refused in the workflow later).
      const again = await reviewer.agent
        .post(`/directives/${d.id}/decide`)
        .type('form')
        .send({ _csrf: reviewer.csrfToken, stepId: d.stepId, decision: 'APPROVE', comment: '', version: '1' });
      expect(again.status).toBe(409);
      expect(again.text).toContain('该步骤正在办理中，请稍后刷新页面查看结果');
    });
    // The decision lands, once.
    await eventually(
      async () => (await prisma.approvalStep.findUniqueOrThrow({ where: { id: d.stepId } })).status,
      (s) => s === 'APPROVED',
      60_000,
      '核稿的同意记入',
    );
    expect(await prisma.auditLog.count({ where: { action: 'directive.approve', entityId: d.id } })).toBe(1);
    // And the directive goes on: the secretary has the 签发 step.
    expect(await pendingApprovalStep(secretary, d.id, '签发人')).toEqual(expect.any(String));
    // Once done, the page no longer says it is pending.
    const after = await reviewer.get(`/directives/${d.id}`).expect(200);
    expect(after.text).not.toContain('正在完成');
  });

  it('takes 废止 while the directive is being distributed (the database may already say 已印发) and carries it out once distribution ends', async () => {
    const d = await inReview('关于分发中废止的通知');
    await reviewer.post(`/api/directives/${d.id}/decisions`, { stepId: d.stepId, decision: 'APPROVE', comment: '', version: 1 }).expect(200);
    const signStep = await pendingApprovalStep(secretary, d.id, '签发人');
    await secretary.post(`/api/directives/${d.id}/decisions`, { stepId: signStep, decision: 'APPROVE', comment: '', version: 1 }).expect(200);
    // The branches' task rows cannot be written: the fan-out waits in 印发中 (DISTRIBUTING) until the lock goes.
    await whileLocked('LOCK TABLE task IN EXCLUSIVE MODE', [], async () => {
      const client = await app.get(TemporalClientService).client();
      const workflowId = (await prisma.directive.findUniqueOrThrow({ where: { id: d.id } })).workflowId as string;
      await eventually(
        async () => (await client.workflow.getHandle(workflowId).query(directiveStateQuery)).status,
        (st) => st === 'DISTRIBUTING',
        30_000,
        '印发中',
      );
      // From the page's 废止 form. Before: 409 只有已印发的发文才能废止, while the page already showed 已印发 (a race
      // seen in CI). Now taken; not finished within the wait, the page says it is being completed.
      const res = await secretary.agent.post(`/directives/${d.id}/revoke`).type('form').send({ _csrf: secretary.csrfToken, reason: '已被新文件取代' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/directives/${d.id}?done=pending`);
      const shown = await secretary.get(res.headers.location).expect(200);
      expect(shown.text).toContain('系统繁忙：您的办理已受理，正在完成，稍后刷新页面即可看到结果，请勿重复办理。');
    });
    await eventually(
      async () => (await prisma.directive.findUniqueOrThrow({ where: { id: d.id } })).status,
      (st) => st === 'REVOKED',
      60_000,
      '废止',
    );
    // The branch's 签收 task, opened by the distribution, was closed by the 废止.
    const receipts = await prisma.task.findMany({ where: { kind: 'RECEIPT', originType: 'directive', originId: d.id } });
    expect(receipts.map((t) => t.status)).toEqual(['CANCELLED']);
  });
});
