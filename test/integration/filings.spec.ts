/** Lifecycle 2 on the real Temporal dev server: a directive's requirement becomes a filing per branch with deadline, reminders, review, extension and overdue escalation. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from '../support/eventually';
import { issueAnnualPlan, PLAN, SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';
import { minimalPdf } from '../support/files';

const SEED_003 = fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/003_e165791339d51e27.txt'), 'utf8');
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe('branch filings by deadline', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let committeeId: string;
  let requirementId: string;
  let reviewerId: string;
  let drafter: ApiSession;
  let reviewer: ApiSession;
  let secretary: ApiSession;
  let branch: ApiSession[];
  let branchIds: string[];
  const reviewsOf = async (s: ApiSession, filingId: string) =>
    (await s.get('/api/inbox?kind=FILING')).body.items.filter((t: { subjectId: string }) => t.subjectId === filingId);
  const filingOf = async (i: number) => (await prisma.filing.findFirstOrThrow({ where: { requirementId, orgId: branchIds[i] } })).id;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    // Drill timing: deadline 4 × 2 s after issue, reminders 4 s and 2 s before it.
    ({ committeeId, requirementId, reviewerId, drafter, reviewer, secretary, branch, branchIds } = await issueAnnualPlan(app, prisma, {
      organCode: `填${Date.now() % 100000}发`,
      drillSeconds: 2,
      branchNames: ['中共大滩村支部委员会', '中共柏林村支部委员会', '中共新华社区支部委员会'],
    }));
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  it('every branch gets a filing task in its inbox', async () => {
    for (const s of branch) {
      const items = [...(await s.get('/api/inbox?kind=FILING')).body.items, ...(await s.get('/api/inbox?kind=FILING&tab=overdue')).body.items];
      expect(items.map((t: { title: string }) => t.title)).toEqual(['填报：2018年度工作计划']);
      // The item leads to its filing.
      expect(items[0].filing).toEqual({ id: expect.any(String), status: 'OPEN' });
      expect((await s.get(`/api/filings/${items[0].filing.id}`).expect(200)).body.status).toBe('OPEN');
    }
  });

  it('a bad submission lists each field in Chinese and leaves the saved draft untouched', async () => {
    const id = await filingOf(0);
    await branch[0].put(`/api/filings/${id}/draft`, { values: { year: 2018, goals: '草稿目标' } }).expect(200);
    const bad = await branch[0].post(`/api/filings/${id}/submit`, {
      values: { year: '二〇一八', budget: -1, goals: '目标', actions: [], contactPhone: '12', extra: 1 },
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['year', 'budget', 'actions', 'tasks', 'contactName', 'contactPhone', 'extra']));
    expect(bad.body.fields.find((f: { field: string }) => f.field === 'budget').message).toContain('经费预算');
    const oversize = await branch[0].post(`/api/filings/${id}/submit`, {
      values: { ...PLAN, attachments: [{ name: '计划.pdf', mimeType: 'application/pdf', size: 50 * 1024 * 1024, sha256: 'a'.repeat(64) }] },
    });
    expect(oversize.status).toBe(400);
    expect(oversize.body.fields[0].field).toMatch(/^attachments/);
    const saved = (await branch[0].get(`/api/filings/${id}`).expect(200)).body;
    expect(saved.draft).toEqual({ year: 2018, goals: '草稿目标' });
    expect(saved.versions).toHaveLength(0);
  });

  it('attachments are uploaded once by SHA-256; a submission may only reference uploaded files', async () => {
    const id = await filingOf(1);
    const pdf = minimalPdf(`计划附件 ${id}`);
    const up = await branch[1].agent
      .post('/api/files')
      .set('x-csrf-token', branch[1].csrfToken)
      .attach('file', pdf, { filename: '2018年计划.pdf', contentType: 'application/pdf' });
    expect(up.status).toBe(201);
    expect(up.body).toEqual({ name: '2018年计划.pdf', mimeType: 'application/pdf', size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') });
    const forged = { ...up.body, sha256: 'f'.repeat(64) };
    const refused = await branch[1].post(`/api/filings/${id}/submit`, { values: { ...PLAN, attachments: [forged] } });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([{ field: 'attachments[0]', message: '“附件”中的文件“2018年计划.pdf”尚未上传或内容不符，请重新上传' }]);
    const big = await branch[1].agent
      .post('/api/files')
      .set('x-csrf-token', branch[1].csrfToken)
      .attach('file', Buffer.alloc(21 * 1024 * 1024), { filename: 'big.pdf', contentType: 'application/pdf' });
    expect(big.status).toBe(413);
    expect(big.body.message).toBe('附件“big.pdf”超过 20 MB 的上限，请压缩或拆分后再上传');
    await branch[1].post(`/api/filings/${id}/submit`, { values: { ...PLAN, attachments: [up.body] } }).expect(200);
    const stored = (await branch[1].get(`/api/filings/${id}`)).body.versions[0].values.attachments;
    expect(stored).toEqual([up.body]);
  });

  it('a branch cannot see or submit another branch’s filing', async () => {
    const other = await filingOf(1);
    expect((await branch[0].get(`/api/filings/${other}`)).status).toBe(404);
    expect((await branch[0].post(`/api/filings/${other}/submit`, { values: PLAN })).status).toBe(404);
    expect((await branch[0].get(`/api/requirements/${requirementId}/filings`)).status).toBe(404);
  });

  it('submit → return with a new deadline → resubmit keeps reminding → accept', async () => {
    const id = await filingOf(0);
    const todoBefore = (await branch[0].get('/api/inbox/counts')).body.todo;
    await branch[0].post(`/api/filings/${id}/submit`, { values: PLAN }).expect(200);
    expect((await branch[0].post(`/api/filings/${id}/submit`, { values: PLAN })).body.message).toBe('已提交，正在审核，请等待审核结果');
    // Submitted: the branch's task leaves 待办 for 已办 (the filing 待审核), and the badge counts one less.
    expect((await branch[0].get('/api/inbox?kind=FILING')).body.items).toEqual([]);
    expect((await branch[0].get('/api/inbox/counts')).body.todo).toBe(todoBefore - 1);
    const doneItems = (await branch[0].get('/api/inbox?kind=FILING&tab=done')).body.items;
    expect(doneItems).toEqual([expect.objectContaining({ status: 'DONE', filing: { id, status: 'SUBMITTED' } })]);
    // Each reviewer of the committee's staff (both 张党建 and 李审核) gets a 审核 task leading to the filing.
    expect(await reviewsOf(reviewer, id)).toEqual([
      expect.objectContaining({ title: '审核：2018年度工作计划（中共大滩村支部委员会）', subjectId: id, assigneeId: reviewerId }),
    ]);
    expect(await reviewsOf(drafter, id)).toHaveLength(1);
    // …and a notice beside it (reaching e-mail and robots where the reviewer chose them).
    expect(
      (await prisma.notification.findMany({ where: { personId: reviewerId, kind: 'SUBMITTED', message: { contains: '大滩村' } } })).map((n) => n.message),
    ).toEqual(['中共大滩村支部委员会已提交《2018年度工作计划》，请审核']);
    expect((await branch[0].post(`/api/filings/${id}/review`, { decision: 'ACCEPT' })).status).toBe(403);
    expect((await reviewer.post(`/api/filings/${id}/review`, { decision: 'RETURN', comment: '' })).body.message).toBe('退回须填写理由');
    await reviewer.post(`/api/filings/${id}/review`, { decision: 'RETURN', comment: '请补充经费预算', newDeadline: inSeconds(10) }).expect(200);
    const returned = (await branch[0].get(`/api/filings/${id}`)).body;
    expect(returned.status).toBe('RETURNED');
    // Returned: back in the branch's 待办 with the new deadline; the reviewer's task done, the other reviewer's withdrawn.
    expect((await branch[0].get('/api/inbox?kind=FILING')).body.items).toEqual([
      expect.objectContaining({ status: 'OPEN', filing: { id, status: 'RETURNED' } }),
    ]);
    expect(await reviewsOf(reviewer, id)).toEqual([]);
    expect(await reviewsOf(drafter, id)).toEqual([]);
    expect(await prisma.task.findMany({ where: { subjectId: id, assigneeId: { not: null } }, select: { status: true }, orderBy: { status: 'asc' } })).toEqual([
      { status: 'DONE' },
      { status: 'CANCELLED' },
    ]);
    // The returned filing is reminded again before its new deadline (reminders at 4 s and 2 s before it).
    const remindersBefore = await prisma.notification.count({ where: { key: { startsWith: `remind:filing:${id}:` } } });
    await eventually(
      () => prisma.notification.count({ where: { key: { startsWith: `remind:filing:${id}:` } } }),
      (n) => n >= remindersBefore + 1,
      15_000,
      '退回后的提醒',
    );
    await branch[0].post(`/api/filings/${id}/submit`, { values: { ...PLAN, budget: 3.5 } }).expect(200);
    expect(await reviewsOf(reviewer, id)).toHaveLength(1);
    await reviewer.post(`/api/filings/${id}/review`, { decision: 'ACCEPT', comment: '同意' }).expect(200);
    expect(await reviewsOf(reviewer, id)).toEqual([]);
    expect((await branch[0].get('/api/inbox?kind=FILING&tab=done')).body.items).toEqual([expect.objectContaining({ filing: { id, status: 'ACCEPTED' } })]);
    const done = (await branch[0].get(`/api/filings/${id}`)).body;
    expect(done.status).toBe('ACCEPTED');
    expect(done.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(done.reviews.map((r: { decision: string }) => r.decision)).toEqual(['RETURN', 'ACCEPT']);
    const reminded = await prisma.notification.count({ where: { key: { startsWith: `remind:filing:${id}:` } } });
    await new Promise((r) => setTimeout(r, 3000));
    expect(await prisma.notification.count({ where: { key: { startsWith: `remind:filing:${id}:` } } })).toBe(reminded); // accepted: no more reminders
  });

  it('overdue at the deadline: marked, the committee told, an accountability proposal recorded with evidence', async () => {
    const id = await filingOf(2);
    const filing = await eventually(
      () => prisma.filing.findUniqueOrThrow({ where: { id } }),
      (f) => f.overdue,
      20_000,
      '逾期',
    );
    const task = await prisma.task.findUniqueOrThrow({ where: { id: filing.taskId } });
    expect(task.overdue).toBe(true);
    expect(task.remindedCount).toBe(2);
    expect(await prisma.notification.count({ where: { orgId: committeeId, kind: 'OVERDUE', taskId: task.id } })).toBe(1);
    const proposal = await prisma.accountabilityProposal.findFirstOrThrow({ where: { sourceId: id } });
    expect(proposal).toMatchObject({ trigger: 'OVERDUE_FILING', orgId: branchIds[2], status: 'PROPOSED' });
    expect(proposal.evidence).toMatchObject({ requirement: { title: '2018年度工作计划' }, status: 'OPEN' });
    expect((proposal.evidence as { remindersSent: string[] }).remindersSent).toHaveLength(2);
    const inbox = (await branch[2].get('/api/inbox?kind=FILING&tab=overdue')).body.items;
    expect(inbox).toHaveLength(1);
  });

  it('an extension granted moves the deadline and clears overdue; the table shows every branch', async () => {
    const id = await filingOf(2);
    expect((await branch[2].post(`/api/filings/${id}/extension`, { until: inSeconds(-60), reason: '村里换届' })).body.message).toBe(
      '延期后的期限须晚于现在的期限',
    );
    const until = inSeconds(3600);
    await branch[2].post(`/api/filings/${id}/extension`, { until, reason: '村里换届' }).expect(200);
    expect((await reviewer.post(`/api/filings/${id}/extension/decision`, { grant: true, comment: '同意延期' })).body).toEqual({
      granted: true,
      deadlineAt: new Date(until).toISOString(),
    });
    const f = await prisma.filing.findUniqueOrThrow({ where: { id } });
    expect(f).toMatchObject({ overdue: false, deadlineAt: new Date(until) });
    expect((await branch[2].get(`/api/inbox?kind=FILING`)).body.items).toHaveLength(1);

    const table = (await drafter.get(`/api/requirements/${requirementId}/filings`).expect(200)).body;
    expect(table.totals).toMatchObject({ total: 3, accepted: 1 });
    expect(table.rows.find((r: { status: string }) => r.status === 'ACCEPTED').reviewer).toBe('李审核');
    expect(table.rows.map((r: { orgId: string }) => r.orgId).sort()).toEqual([...branchIds].sort());
  });

  it('revoking the directive closes the open filings and ends their workflows; accepted ones stay accepted', async () => {
    const directiveId = (await prisma.requirement.findUniqueOrThrow({ where: { id: requirementId } })).directiveId;
    await secretary.post(`/api/directives/${directiveId}/revoke`, { reason: '计划改为年中报送' }).expect(200);
    const open = await prisma.filing.findUniqueOrThrow({ where: { id: await filingOf(2) } });
    expect(open.status).toBe('CLOSED');
    expect((await prisma.task.findUniqueOrThrow({ where: { id: open.taskId } })).status).toBe('CANCELLED');
    expect((await prisma.filing.findUniqueOrThrow({ where: { id: await filingOf(0) } })).status).toBe('ACCEPTED');
    // A filing waiting for its review closes too, and its reviewers' tasks are withdrawn.
    const waiting = await filingOf(1);
    expect((await prisma.filing.findUniqueOrThrow({ where: { id: waiting } })).status).toBe('CLOSED');
    expect(await prisma.task.count({ where: { subjectId: waiting, assigneeId: { not: null }, status: 'OPEN' } })).toBe(0);
    expect((await reviewer.get('/api/inbox?kind=FILING')).body.items).toEqual([]);
    const late = await eventually(
      async () => branch[2].post(`/api/filings/${open.id}/submit`, { values: PLAN }),
      (r) => r.status === 409,
      15_000,
      '填报关闭',
    );
    expect(['该填报已关闭', '该流程已结束，无法再办理']).toContain(late.body.message);
  });

  it('refuses a requirement without a form or with a past fixed deadline, listed together with a bad signer', async () => {
    const res = await drafter.post('/api/directives', {
      model: SEED_MODEL,
      chain: { reviewers: [reviewerId], signerId: reviewerId },
      distribution: { mode: 'ALL' },
      requirements: [{ title: '计划', deadlineKind: 'FIXED', deadlineAt: '2017-01-17T09:00:00Z' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['chain.signerId', 'requirements[0].deadlineAt', 'requirements[0].form']);
    expect(SEED_003).toContain('1月17日前');
  });
});
