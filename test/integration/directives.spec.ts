/** Lifecycle 1 on the real Temporal dev server and PostgreSQL: draft → review → countersign → sign → number → PDF → 50 branches → receipts. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import path from 'node:path';
import { importText } from '../../apps/server/src/documents/import';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import { Drills } from '../../apps/server/src/tasks/drills';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, pendingApprovalStep, startApp, startWorker } from '../support/test-app';

const SEED_000 = fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8');
const MODEL = { ...importText(SEED_000).model, title: '关于开展“党建扶贫攻坚年”七大行动的实施方案' };

interface Person {
  id: string;
  username: string;
}

describe('directive issuance workflow', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let committeeId: string;
  let branches: { id: string; name: string }[];
  const people: Record<string, Person> = {};
  const sessions: Record<string, ApiSession> = {};
  const branchSessions: ApiSession[] = [];

  async function as(name: string): Promise<ApiSession> {
    if (!sessions[name]) {
      sessions[name] = new ApiSession(app);
      expect((await sessions[name].login(people[name].username, PASSWORD)).status).toBe(200);
    }
    return sessions[name];
  }

  /** The pending approval task of `name` for this directive, as their inbox shows it. */
  const pendingStep = async (name: string, directiveId: string) => pendingApprovalStep(await as(name), directiveId, name);

  async function decide(name: string, directiveId: string, decision: 'APPROVE' | 'RETURN', version: number, comment = '同意') {
    const stepId = await pendingStep(name, directiveId);
    return (await as(name)).post(`/api/directives/${directiveId}/decisions`, { stepId, decision, comment, version });
  }

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `滩${Date.now() % 100000}发` });
    committeeId = committee.id;
    const roles: [string, Role][] = [
      ['drafter', Role.COMMITTEE_STAFF],
      ['reviewer1', Role.COMMITTEE_STAFF],
      ['reviewer2', Role.COMMITTEE_STAFF],
      ['counter1', Role.INSPECTOR],
      ['counter2', Role.EVALUATOR],
      ['counter3', Role.COMMITTEE_STAFF],
      ['secretary', Role.COMMITTEE_SECRETARY],
    ];
    for (const [name, role] of roles) people[name] = await makePerson(prisma, [{ orgId: committee.id, role }], name);
    branches = [];
    for (let i = 0; i < 50; i++) {
      const kind = i < 40 ? OrgKind.VILLAGE : i < 45 ? OrgKind.COMMUNITY : i < 48 ? OrgKind.OFFICE : OrgKind.SCHOOL;
      const b = await makeBranch(prisma, committee.id, kind, `中共大滩乡第${i + 1}支部委员会`);
      branches.push(b);
      const sec = await makePerson(prisma, [{ orgId: b.id, role: Role.BRANCH_SECRETARY }], `书记${i + 1}`);
      const s = new ApiSession(app);
      await s.login(sec.username, PASSWORD);
      branchSessions.push(s);
    }
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  const chain = () => ({
    reviewers: [people.reviewer1.id, people.reviewer2.id],
    countersigners: [people.counter1.id, people.counter2.id, people.counter3.id],
    signerId: people.secretary.id,
    restartFrom: 'RETURNING_STEP',
  });

  it('goes through review, a return, countersign by three, signing, and reaches all 50 branches, who all acknowledge', async () => {
    const drafter = await as('drafter');
    const created = await drafter.post('/api/directives', { model: MODEL, chain: chain(), distribution: { mode: 'ALL' } }).expect(201);
    const id = created.body.id;
    Drills.set(id, 2);
    expect(created.body.status).toBe('DRAFT');
    await drafter.post(`/api/directives/${id}/submit`).expect(200);

    expect((await decide('reviewer1', id, 'APPROVE', 1, '文稿可行')).status).toBe(200);

    // The wrong person and a stale version are refused by the Update's validator, with the reason.
    const stepOfReviewer2 = await pendingStep('reviewer2', id);
    const wrong = await (
      await as('counter1')
    ).post(`/api/directives/${id}/decisions`, { stepId: stepOfReviewer2, decision: 'APPROVE', comment: '', version: 1 });
    expect(wrong.status).toBe(409);
    expect(wrong.body.message).toBe('当前步骤不由您办理');
    const stale = await (
      await as('reviewer2')
    ).post(`/api/directives/${id}/decisions`, { stepId: stepOfReviewer2, decision: 'APPROVE', comment: '', version: 2 });
    expect(stale.body.message).toBe('文稿已更新为第 1 版，请刷新后再办理');
    const noReason = await (
      await as('reviewer2')
    ).post(`/api/directives/${id}/decisions`, { stepId: stepOfReviewer2, decision: 'RETURN', comment: ' ', version: 1 });
    expect(noReason.body.message).toBe('退回修改须填写理由');

    // Reminders reach the pending reviewer.
    await eventually(
      async () => (await (await as('reviewer2')).get('/api/inbox/notifications').expect(200)).body,
      (n) => n.some((x: { kind: string }) => x.kind === 'REMINDER'),
      15_000,
      '核稿提醒',
    );

    expect((await decide('reviewer2', id, 'RETURN', 1, '请补充第十八条的表扬名额')).status).toBe(200);
    await eventually(
      async () => (await drafter.get(`/api/directives/${id}`).expect(200)).body.status,
      (s) => s === 'RETURNED',
    );
    expect((await drafter.post(`/api/directives/${id}/submit`)).body.message).toBe('请先修改文稿（保存新版本）再重新提交');

    const revised = { ...MODEL, title: '关于开展“党建扶贫攻坚年”七大行动的实施方案（修订）' };
    const updated = await drafter.put(`/api/directives/${id}`, { model: revised }).expect(200);
    expect(updated.body.version).toBe(2);
    await drafter.post(`/api/directives/${id}/submit`).expect(200);

    // RETURNING_STEP, but the text changed: reviewer 1's approval was given to version 1 and no longer counts, so the
    // chain starts again; reviewer 2 then decides on version 2 and is reminded again.
    expect((await decide('reviewer1', id, 'APPROVE', 2, '修订稿可行')).status).toBe(200);
    const r2 = await as('reviewer2');
    const before = (await r2.get('/api/inbox/notifications')).body.filter((x: { kind: string }) => x.kind === 'REMINDER').length;
    await eventually(
      async () => (await r2.get('/api/inbox/notifications')).body.filter((x: { kind: string }) => x.kind === 'REMINDER').length,
      (n) => n > before,
      15_000,
      '重新提交后的提醒',
    );
    expect((await decide('reviewer2', id, 'APPROVE', 2, '同意')).status).toBe(200);
    expect((await (await as('reviewer1')).get(`/api/inbox?kind=APPROVAL&directiveId=${id}`)).body.items).toHaveLength(0);
    expect((await (await as('reviewer1')).get(`/api/inbox?kind=APPROVAL&directiveId=${id}&tab=done`)).body.items).toHaveLength(2);

    // 会签: three in parallel.
    const results = await Promise.all(['counter1', 'counter2', 'counter3'].map((n) => decide(n, id, 'APPROVE', 2, `${n} 同意`)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);

    expect((await decide('secretary', id, 'APPROVE', 2, '同意印发')).status).toBe(200);

    const issued = await eventually(
      async () => (await drafter.get(`/api/directives/${id}`).expect(200)).body,
      (d) => d.status === 'ISSUED',
      60_000,
      '印发',
    );
    expect(issued.document.docNumber).toMatch(/^滩\d+发〔\d{4}〕1号$/);
    expect(issued.document.docNumber).toContain(`〔${new Date().getFullYear()}〕`);
    expect(issued.receipts).toMatchObject({ expected: 50, distributed: 50, acknowledged: 0, open: 50 });
    expect(issued.versions.map((v: { version: number; changes: string[] }) => [v.version, v.changes])).toEqual([
      [1, ['初稿']],
      [2, ['标题']],
    ]);
    const history = issued.steps.map(
      (s: { stageLabel: string; assigneeName: string; status: string; comment: string | null; round: number }) =>
        `${s.round}:${s.stageLabel}:${s.assigneeName}:${s.status}:${s.comment ?? ''}`,
    );
    expect(history).toEqual(
      expect.arrayContaining([
        '1:核稿:reviewer1:APPROVED:文稿可行',
        '1:核稿:reviewer2:RETURNED:请补充第十八条的表扬名额',
        '2:核稿:reviewer1:APPROVED:修订稿可行',
        '2:核稿:reviewer2:APPROVED:同意',
        '2:会签:counter2:APPROVED:counter2 同意',
        '2:签发:secretary:APPROVED:同意印发',
      ]),
    );

    // Every branch sees the receipt task and the PDF; each acknowledges.
    for (const [i, s] of branchSessions.entries()) {
      // With 2-second drill reminders the deadline (6 s) may already have passed: 待办 or 逾期.
      const todo = (await s.get(`/api/inbox?kind=RECEIPT&directiveId=${id}`).expect(200)).body.items;
      const late = (await s.get(`/api/inbox?kind=RECEIPT&directiveId=${id}&tab=overdue`).expect(200)).body.items;
      const task = [...todo, ...late][0];
      expect(task?.title).toBe(`签收：${revised.title}`);
      if (i === 0) {
        const pdf = await s.get(`/api/documents/${issued.documentId}/pdf`).expect(200);
        expect(pdf.headers['content-type']).toBe('application/pdf');
      }
      expect((await s.post(`/api/inbox/${task.id}/acknowledge`)).status).toBe(200);
    }
    const receipts = await eventually(
      async () => (await drafter.get(`/api/directives/${id}/receipts`)).body,
      (r) => r.acknowledged === 50,
      30_000,
      '全部签收',
    );
    expect(receipts).toMatchObject({ expected: 50, acknowledged: 50, open: 0, missing: [] });
    const again = await branchSessions[0].post(`/api/inbox/${(await branchSessions[0].get('/api/inbox?tab=done&kind=RECEIPT')).body.items[0].id}/acknowledge`);
    expect(again.status).toBe(409);
  });

  it('the drafter can withdraw before signing; the reviewer then has nothing to decide', async () => {
    const drafter = await as('drafter');
    const id = (
      await drafter
        .post('/api/directives', {
          model: MODEL,
          chain: { reviewers: [people.reviewer1.id], signerId: people.secretary.id },
          distribution: { mode: 'KINDS', kinds: ['SCHOOL'] },
        })
        .expect(201)
    ).body.id;
    await drafter.post(`/api/directives/${id}/submit`).expect(200);
    const stepId = await pendingStep('reviewer1', id);
    expect((await (await as('reviewer1')).post(`/api/directives/${id}/withdraw`, { reason: '不是我的' })).status).toBe(409);
    expect((await drafter.post(`/api/directives/${id}/withdraw`, { reason: '内容需要重新研究' })).status).toBe(200);
    expect((await drafter.get(`/api/directives/${id}`)).body.status).toBe('WITHDRAWN');
    const late = await (await as('reviewer1')).post(`/api/directives/${id}/decisions`, { stepId, decision: 'APPROVE', comment: '', version: 1 });
    expect(late.status).toBe(409);
    expect((await (await as('reviewer1')).get(`/api/inbox?kind=APPROVAL&directiveId=${id}`)).body.items).toHaveLength(0);
  });

  it('receipts are reminded and become overdue; the secretary revokes and open tasks close with a notice to the branches', async () => {
    const drafter = await as('drafter');
    const picked = branches.slice(0, 3).map((b) => b.id);
    const id = (
      await drafter
        .post('/api/directives', {
          model: MODEL,
          chain: { reviewers: [people.reviewer1.id], signerId: people.secretary.id },
          distribution: { mode: 'LIST', orgIds: picked },
        })
        .expect(201)
    ).body.id;
    Drills.set(id, 2);
    await drafter.post(`/api/directives/${id}/submit`).expect(200);
    await decide('reviewer1', id, 'APPROVE', 1);
    expect((await (await as('drafter')).post(`/api/directives/${id}/revoke`, { reason: 'x' })).status).toBe(403);
    await decide('secretary', id, 'APPROVE', 1);
    // The branches see their tasks with the distribution plan; acting before the task's workflow has started starts it.
    await eventually(
      async () => (await drafter.get(`/api/directives/${id}/receipts`)).body.distributed,
      (n) => n === 3,
      60_000,
      '分发',
    );
    const first = (await branchSessions[0].get(`/api/inbox?kind=RECEIPT&directiveId=${id}`)).body.items[0];
    expect((await branchSessions[0].post(`/api/inbox/${first.id}/acknowledge`)).status).toBe(200);
    await eventually(
      async () => (await drafter.get(`/api/directives/${id}`)).body.status,
      (st) => st === 'ISSUED',
      60_000,
      '印发',
    );

    // Branch 2 does not acknowledge: two reminders, then overdue at the deadline, and the committee is told.
    const overdue = await eventually(
      async () => (await branchSessions[1].get(`/api/inbox?tab=overdue&directiveId=${id}`)).body.items,
      (i) => i.length === 1,
      20_000,
      '逾期',
    );
    expect(overdue[0].remindedCount).toBe(2);
    expect(
      (await branchSessions[1].get('/api/inbox/notifications')).body.filter(
        (n: { kind: string; taskId: string }) => n.kind === 'REMINDER' && n.taskId === overdue[0].id,
      ),
    ).toHaveLength(2);
    expect((await branchSessions[0].get(`/api/inbox?tab=overdue&directiveId=${id}`)).body.items).toHaveLength(0);
    const committeeNotices = await prisma.notification.findMany({ where: { orgId: committeeId, kind: 'OVERDUE', taskId: overdue[0].id } });
    expect(committeeNotices).toHaveLength(1);

    const revoked = await (await as('secretary')).post(`/api/directives/${id}/revoke`, { reason: '已被新文件取代' }).expect(200);
    expect(revoked.body).toEqual({ revoked: true, closedTasks: 2 });
    expect((await drafter.get(`/api/directives/${id}/receipts`)).body).toMatchObject({ acknowledged: 1, open: 0, closed: 2 });
    const notice = (await branchSessions[2].get('/api/inbox/notifications')).body.find((n: { kind: string }) => n.kind === 'REVOKED');
    expect(notice.message).toBe(`《${MODEL.title}》已废止：已被新文件取代`);
    const closedTask = (await branchSessions[2].get(`/api/inbox?tab=done&directiveId=${id}`)).body.items[0];
    expect(closedTask.status).toBe('CANCELLED');
    expect((await branchSessions[2].post(`/api/inbox/${closedTask.id}/acknowledge`)).body.message).toBe('该发文已废止，无需签收');
    expect((await (await as('secretary')).post(`/api/directives/${id}/revoke`, { reason: '再次' })).status).toBe(409);
  });

  it('refuses an unknown branch, an empty title or body, and a chain with no signer before saving anything', async () => {
    const drafter = await as('drafter');
    const before = await prisma.directive.count();
    const unknown = await drafter.post('/api/directives', {
      model: MODEL,
      chain: chain(),
      distribution: { mode: 'LIST', orgIds: [branches[0].id, '00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toEqual([
      { field: 'distribution.orgIds[1]', message: '支部第2项不是本党委下属的在用支部（00000000-0000-4000-8000-000000000000）' },
    ]);
    const empty = await drafter.post('/api/directives', { model: { ...MODEL, title: '', body: [] }, chain: chain(), distribution: { mode: 'ALL' } });
    expect(empty.status).toBe(400);
    expect(empty.body.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['model.title', 'model.body']));
    const noSigner = await drafter.post('/api/directives', { model: MODEL, chain: { reviewers: [people.reviewer1.id] }, distribution: { mode: 'ALL' } });
    expect(noSigner.status).toBe(400);
    expect(noSigner.body.fields[0].message).toBe('签发人必须填写，且须为人员编号');
    const notSecretary = await drafter.post('/api/directives', {
      model: MODEL,
      chain: { reviewers: [people.reviewer1.id], signerId: people.reviewer2.id },
      distribution: { mode: 'ALL' },
    });
    expect(notSecretary.body.fields[0].message).toBe('签发人必须是本党委书记');
    expect(await prisma.directive.count()).toBe(before);
  });
});
