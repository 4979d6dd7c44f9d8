/**
 * A branch reads the directives issued to it (page and PDF) and no others; the directive and filing pages' live-status
 * tokens (GET …/status) answer 304 while nothing changed and move when the lifecycle moves.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makePerson, PASSWORD } from '../support/factories';
import { issueAnnualPlan, PLAN, SEED_MODEL } from '../support/filing-world';
import { ApiSession, pendingApprovalStep, startApp, startWorker } from '../support/test-app';

describe('the directive as its branches read it, and the pages’ live status', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let w: Awaited<ReturnType<typeof issueAnnualPlan>>;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    w = await issueAnnualPlan(app, prisma, { organCode: `活${Date.now() % 100000}发`, drillSeconds: 3600, branchNames: ['中共大滩村支部委员会'] });
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await app?.close();
  });

  it('a branch it was issued to reads the page and the PDF, before and after 签收; a branch it was not sent to cannot', async () => {
    const page = await w.branch[0].get(`/directives/${w.directiveId}`).expect(200);
    expect(page.text).toContain('关于报送2018年度工作计划的通知');
    expect(page.text).toContain('data-my-filing');
    expect(page.text).toContain('返回待办');
    // Not the committee's side: no approval history, no versions, no other branches' receipts.
    expect(page.text).not.toContain('审批意见');
    expect(page.text).not.toContain('历次版本');
    const doc = await prisma.directive.findUniqueOrThrow({ where: { id: w.directiveId }, select: { documentId: true } });
    const pdf = await w.branch[0].get(`/api/documents/${doc.documentId}/pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    const receipt = await prisma.task.findFirstOrThrow({ where: { kind: 'RECEIPT', orgId: w.branchIds[0], originId: w.directiveId } });
    await w.branch[0].post(`/api/inbox/${receipt.id}/acknowledge`).expect((r) => expect(r.status).toBeLessThan(300));
    const after = await w.branch[0].get(`/directives/${w.directiveId}`).expect(200);
    expect(after.text).toContain('已签收');

    const late = await makeBranch(prisma, w.committeeId, undefined, '中共新建村支部委员会');
    const stranger = await makePerson(prisma, [{ orgId: late.id, role: Role.BRANCH_SECRETARY }], '赵新村');
    const s = new ApiSession(app);
    await s.login(stranger.username, PASSWORD);
    expect((await s.get(`/directives/${w.directiveId}`)).status).toBe(404);
    expect((await s.get(`/directives/${w.directiveId}/status`)).status).toBe(404);
  });

  it('the committee’s directive page links each requirement to its 填报情况', async () => {
    const page = await w.drafter.get(`/directives/${w.directiveId}`).expect(200);
    expect(page.text).toContain(`href="/requirements/${w.requirementId}/filings"`);
  });

  it('an approval item in the inbox shows who drafted it, when it was submitted and how long it has waited', async () => {
    const created = await w.drafter
      .post('/api/directives', {
        model: { ...SEED_MODEL, title: '关于开展主题党日活动的通知' },
        chain: {
          reviewers: [w.reviewerId],
          signerId: (await prisma.membership.findFirstOrThrow({ where: { orgId: w.committeeId, role: Role.COMMITTEE_SECRETARY } })).personId,
        },
        distribution: { mode: 'ALL' },
      })
      .expect(201);
    await w.drafter.post(`/api/directives/${created.body.id}/submit`).expect(200);
    await pendingApprovalStep(w.reviewer, created.body.id);
    const page = await w.reviewer.get(`/inbox?kind=APPROVAL&directiveId=${created.body.id}`).expect(200);
    expect(page.text).toMatch(/data-approval-meta>起草人：张党建 · 提交于 \d{4}年\d+月\d+日 \d\d:\d\d · <span data-waited>(刚送达|已等待 \d+ 分钟)<\/span>/);
  });

  it('the status token answers 304 while nothing changed and moves with the filing', async () => {
    const filing = await prisma.filing.findFirstOrThrow({ where: { requirementId: w.requirementId, orgId: w.branchIds[0] } });
    const first = await w.reviewer.get(`/filings/${filing.id}/status`).expect(200);
    const version = first.body.version as string;
    expect(first.headers.etag).toBe(`"${version}"`);
    await w.reviewer.get(`/filings/${filing.id}/status`).set('If-None-Match', `"${version}"`).expect(304);
    // The page carries the same token.
    expect((await w.reviewer.get(`/filings/${filing.id}`).expect(200)).text).toContain(`data-live-version="${version}"`);
    const directiveBefore = (await w.branch[0].get(`/directives/${w.directiveId}/status`).expect(200)).body.version;

    await w.branch[0].post(`/api/filings/${filing.id}/submit`, { values: { note: 'x' } }).expect(400);
    await w.reviewer.get(`/filings/${filing.id}/status`).set('If-None-Match', `"${version}"`).expect(304);
    await w.branch[0].post(`/api/filings/${filing.id}/submit`, { values: PLAN }).expect(200);
    const moved = await w.reviewer.get(`/filings/${filing.id}/status`).set('If-None-Match', `"${version}"`).expect(200);
    expect(moved.body.version).not.toBe(version);
    // The branch's directive page follows its own filing too.
    expect((await w.branch[0].get(`/directives/${w.directiveId}/status`).expect(200)).body.version).not.toBe(directiveBefore);
  });
});
