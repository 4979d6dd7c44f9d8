/**
 * What is issued is what was approved: each defect found from outside has its test here, on the real PostgreSQL and
 * Temporal dev server. Before the fix: the document routes rewrote and signed a directive's document (200), two racing
 * decisions were both accepted and left the database and the workflow disagreeing, two racing submissions of one
 * filing both answered version 1 and one person's values were lost, and 签收 before the workflow started was refused.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import path from 'node:path';
import { DirectiveFlowService } from '../../apps/server/src/directives/directive-flow.service';
import { importText } from '../../apps/server/src/documents/import';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, ofDirective, PASSWORD } from '../support/factories';
import { issueAnnualPlan } from '../support/filing-world';
import { ApiSession, pendingApprovalStep, startApp, startWorker, withOwner } from '../support/test-app';

const SEED_000 = fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8');
const MODEL = { ...importText(SEED_000).model, title: '关于开展“党建扶贫攻坚年”七大行动的实施方案' };

describe('approval integrity', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let branchId: string;
  const people: Record<'drafter' | 'reviewer' | 'secretary', { id: string; username: string }> = {} as never;
  const sessions: Record<string, ApiSession> = {};

  async function as(name: keyof typeof people): Promise<ApiSession> {
    if (!sessions[name]) {
      sessions[name] = new ApiSession(app);
      expect((await sessions[name].login(people[name].username, PASSWORD)).status).toBe(200);
    }
    return sessions[name];
  }

  const pendingStep = async (name: keyof typeof people, directiveId: string) => pendingApprovalStep(await as(name), directiveId, name);

  /** A directive drafted and submitted: the reviewer has a pending step. */
  async function inReview(): Promise<{ id: string; documentId: string; stepId: string }> {
    const drafter = await as('drafter');
    const created = await drafter
      .post('/api/directives', {
        model: MODEL,
        chain: { reviewers: [people.reviewer.id], signerId: people.secretary.id },
        distribution: { mode: 'LIST', orgIds: [branchId] },
      })
      .expect(201);
    await drafter.post(`/api/directives/${created.body.id}/submit`).expect(200);
    return { id: created.body.id, documentId: created.body.documentId, stepId: await pendingStep('reviewer', created.body.id) };
  }

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `整${Date.now() % 100000}发` });
    const committeeId = committee.id;
    people.drafter = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '张党建');
    people.reviewer = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '李核稿');
    people.secretary = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_SECRETARY }], '王书记');
    branchId = (await makeBranch(prisma, committeeId, OrgKind.VILLAGE, '中共大滩乡大滩村支部委员会')).id;
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  it("refuses to rewrite a directive's document through the document routes while it is in review", async () => {
    const d = await inReview();
    const before = await prisma.document.findUniqueOrThrow({ where: { id: d.documentId } });
    const res = await (
      await as('drafter')
    ).put(`/api/documents/${d.documentId}`, { model: { ...MODEL, body: [{ type: 'paragraph', text: '审批人没有看到的内容' }] } });
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`该公文属于发文《${MODEL.title}》，只能在发文的审批流程中修改`);
    const after = await prisma.document.findUniqueOrThrow({ where: { id: d.documentId } });
    expect(after.model).toEqual(before.model);
    expect((await prisma.directive.findUniqueOrThrow({ where: { id: d.id } })).version).toBe(1);
    expect(await prisma.auditLog.count({ where: { action: 'document.update', entityId: d.documentId } })).toBe(0);
  });

  it("refuses to sign a draft directive's document, skipping review: no number, no branch task", async () => {
    const drafter = await as('drafter');
    const draft = (
      await drafter
        .post('/api/directives', { model: MODEL, chain: { reviewers: [people.reviewer.id], signerId: people.secretary.id }, distribution: { mode: 'ALL' } })
        .expect(201)
    ).body;
    const res = await (await as('secretary')).post(`/api/documents/${draft.documentId}/sign`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(`该公文属于发文《${MODEL.title}》，只能在发文的审批流程中签发`);
    const doc = await prisma.document.findUniqueOrThrow({ where: { id: draft.documentId } });
    expect([doc.status, doc.docNumber]).toEqual(['DRAFT', null]);
    expect(await prisma.task.count({ where: { originType: 'directive', originId: draft.id } })).toBe(0);
    // The draft stays editable, as before the attempt.
    expect((await drafter.put(`/api/directives/${draft.id}`, { model: { ...MODEL, title: `${MODEL.title}（二稿）` } })).status).toBe(200);
  });

  it('of an APPROVE and a RETURN of one step at the same moment exactly one is accepted, three times out of three', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const d = await inReview();
      const reviewer = await as('reviewer');
      const second = new ApiSession(app);
      await second.login(people.reviewer.username, PASSWORD);
      const [approve, ret] = await Promise.all([
        reviewer.post(`/api/directives/${d.id}/decisions`, { stepId: d.stepId, decision: 'APPROVE', comment: '同意', version: 1 }),
        second.post(`/api/directives/${d.id}/decisions`, { stepId: d.stepId, decision: 'RETURN', comment: '请修改', version: 1 }),
      ]);
      expect([approve.status, ret.status].sort()).toEqual([200, 409]);
      const loser = approve.status === 409 ? approve : ret;
      // Told the step is decided, or (when the other is still being recorded) that it is being decided.
      expect(['该步骤已经办理过', '该步骤正在办理中，请稍后刷新页面查看结果']).toContain(loser.body.message);
      const won = approve.status === 200 ? 'APPROVED' : 'RETURNED';
      const step = await prisma.approvalStep.findUniqueOrThrow({ where: { id: d.stepId } });
      expect(step.status).toBe(won);
      // The accepted decision, and only it, is in the audit log.
      const audited = await prisma.auditLog.findMany({ where: { entityId: d.id, action: { in: ['directive.approve', 'directive.return'] } } });
      expect(audited.map((a) => a.action)).toEqual([won === 'APPROVED' ? 'directive.approve' : 'directive.return']);
      // The database and the workflow agree: a return can be revised and resubmitted; an approval moves on to 签发.
      if (won === 'RETURNED') {
        expect((await prisma.directive.findUniqueOrThrow({ where: { id: d.id } })).status).toBe('RETURNED');
        const drafter = await as('drafter');
        await drafter.put(`/api/directives/${d.id}`, { model: { ...MODEL, title: `${MODEL.title}（修订${attempt}）` } }).expect(200);
        expect((await drafter.post(`/api/directives/${d.id}/submit`)).status).toBe(200);
        await pendingStep('reviewer', d.id);
      } else {
        await pendingStep('secretary', d.id);
        expect((await prisma.directive.findUniqueOrThrow({ where: { id: d.id } })).status).toBe('IN_REVIEW');
      }
    }
  });

  it('signing, numbering and the status commit together: a retried signing activity converges on the same number', async () => {
    const d = await inReview();
    expect(
      (await (await as('reviewer')).post(`/api/directives/${d.id}/decisions`, { stepId: d.stepId, decision: 'APPROVE', comment: '同意', version: 1 })).status,
    ).toBe(200);
    const signStep = await pendingStep('secretary', d.id);
    expect(
      (await (await as('secretary')).post(`/api/directives/${d.id}/decisions`, { stepId: signStep, decision: 'APPROVE', comment: '签发', version: 1 })).status,
    ).toBe(200);
    const issued = await eventually(
      () => prisma.directive.findUniqueOrThrow({ where: { id: d.id }, include: { document: true } }),
      (x) => x.status === 'ISSUED',
      60_000,
      '印发',
    );
    const seq = await prisma.docNumberSequence.findMany({ where: { organCode: issued.document.organCode } });
    // The activity again, as after a worker died before recording its result.
    const again = await worker.get(DirectiveFlowService).signDirective(d.id, people.secretary.id);
    expect(again.docNumber).toBe(issued.document.docNumber);
    expect(await prisma.docNumberSequence.findMany({ where: { organCode: issued.document.organCode } })).toEqual(seq);
    expect(await prisma.auditLog.count({ where: { action: 'directive.sign', entityId: d.id } })).toBe(1);
  });

  it('a signing that fails half-way (the worker dies after numbering) leaves nothing behind, and its retry issues the directive', async () => {
    const d = await inReview();
    // The directive's change to SIGNED fails while the flag row exists, as if the worker died between the numbering
    // and the status: before, the number was already committed and the retry never marked the directive signed.
    // Only the owner can add a trigger; the function runs as its owner, so the application's role needs no grant.
    await withOwner(async (owner) => {
      await owner.query(`CREATE TABLE IF NOT EXISTS sign_fault (directive_id uuid PRIMARY KEY)`);
      await owner.query(`INSERT INTO sign_fault VALUES ($1)`, [d.id]);
      await owner.query(`
      CREATE OR REPLACE FUNCTION sign_fault() RETURNS trigger SECURITY DEFINER AS $$ BEGIN
        IF NEW.status = 'SIGNED' AND OLD.status <> 'SIGNED' AND EXISTS (SELECT 1 FROM sign_fault WHERE directive_id = NEW.id) THEN
          RAISE EXCEPTION '模拟：工作进程在签发中途退出';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
      await owner.query(`CREATE TRIGGER sign_fault BEFORE UPDATE ON directive FOR EACH ROW EXECUTE FUNCTION sign_fault()`);
    });
    try {
      expect(
        (await (await as('reviewer')).post(`/api/directives/${d.id}/decisions`, { stepId: d.stepId, decision: 'APPROVE', comment: '同意', version: 1 })).status,
      ).toBe(200);
      const signStep = await pendingStep('secretary', d.id);
      expect(
        (await (await as('secretary')).post(`/api/directives/${d.id}/decisions`, { stepId: signStep, decision: 'APPROVE', comment: '签发', version: 1 }))
          .status,
      ).toBe(200);
      // The first attempt fails; meanwhile no number is taken and nothing is signed.
      await new Promise((r) => setTimeout(r, 2500));
      const during = await prisma.document.findUniqueOrThrow({ where: { id: d.documentId } });
      expect([during.status, during.docNumber]).toEqual(['DRAFT', null]);
    } finally {
      await withOwner((owner) => owner.query(`DELETE FROM sign_fault`));
    }
    const issued = await eventually(
      () => prisma.directive.findUniqueOrThrow({ where: { id: d.id }, include: { document: true } }),
      (x) => x.status === 'ISSUED',
      60_000,
      '重试后印发',
    );
    expect(issued.document.docNumber).toMatch(/〔\d{4}〕\d+号$/);
    expect(await prisma.auditLog.count({ where: { action: 'document.sign', entityId: d.documentId } })).toBe(1);
    await withOwner((owner) => owner.query(`DROP TRIGGER sign_fault ON directive`));
  });

  it('签收 of a task whose workflow has not started yet starts it and is recorded', async () => {
    const d = await inReview();
    // A receipt task as the distribution plan writes it, before the batch has started its workflow.
    const task = await prisma.task.create({
      data: {
        key: `receipt:${d.id}:${branchId}`,
        kind: 'RECEIPT',
        orgId: branchId,
        ...ofDirective(d.id),
        title: '签收：测试',
        workflowId: `task-early-${d.id}`,
      },
    });
    const secretary = await makePerson(prisma, [{ orgId: branchId, role: Role.BRANCH_SECRETARY }], '赵书记');
    const branch = new ApiSession(app);
    await branch.login(secretary.username, PASSWORD);
    const res = await branch.post(`/api/inbox/${task.id}/acknowledge`);
    expect(res.status).toBe(200);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('DONE');
    expect((await branch.post(`/api/inbox/${task.id}/acknowledge`)).body.message).toBe('已经签收过了');
  });

  describe('two submissions of one filing at the same moment', () => {
    it('the first becomes version 1, the second is refused; nothing is silently dropped', async () => {
      const world = await issueAnnualPlan(app, prisma, {
        organCode: `并${Date.now() % 100000}发`,
        drillSeconds: 600,
        branchNames: ['中共大滩乡新风村支部委员会'],
      });
      const filing = await eventually(
        async () => (await world.branch[0].get(`/api/inbox?kind=FILING`)).body.items.find((i: { filing: unknown }) => i.filing),
        (x) => !!x,
        60_000,
        '填报待办',
      );
      // Two people of the same branch, each in their own session.
      const staff = await makePerson(prisma, [{ orgId: world.branchIds[0], role: Role.BRANCH_STAFF }], '钱干事');
      const other = new ApiSession(app);
      await other.login(staff.username, PASSWORD);
      const values = (who: string) => ({
        year: 2018,
        goals: `${who}：全面完成七大行动各项任务。`,
        actions: ['leadership'],
        tasks: [{ task: '优化班子结构', owner: who, dueDate: '2018-06-30', outcome: '班子配齐配强' }],
        contactName: who,
        contactPhone: '13800000001',
      });
      const [a, b] = await Promise.all([
        world.branch[0].post(`/api/filings/${filing.filing.id}/submit`, { values: values('甲') }),
        other.post(`/api/filings/${filing.filing.id}/submit`, { values: values('乙') }),
      ]);
      const statuses = [a.status, b.status].sort();
      // Either both became versions, or the second was refused with the reason: never two answers of version 1.
      expect(statuses).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body.message).toBe('已提交，正在审核，请等待审核结果');
      const winner = a.status === 200 ? '甲' : '乙';
      const versions = await prisma.filingVersion.findMany({ where: { filingId: filing.filing.id } });
      expect(versions).toHaveLength(1);
      expect((versions[0].values as { goals: string }).goals).toBe(`${winner}：全面完成七大行动各项任务。`);
    });
  });
});
