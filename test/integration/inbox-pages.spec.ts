/**
 * The inbox's keyset pages: walking 加载更多 from the first page to the last gives every task of the tab exactly once,
 * in deadline order with the tasks without a deadline last, whatever the page size; a bad cursor is a Chinese 400.
 * The inbox and its counts are answered before Nest's pipeline for a logged-in capacity (inbox-fast-path.ts): what
 * that path leaves to Nest still gets Nest's Chinese 401, 403 and 400.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../apps/server/src/audit/actor';
import { Role } from '../../apps/server/src/prisma/client';
import { parseInboxQuery } from '../../apps/server/src/tasks/inbox-query';
import { TasksService } from '../../apps/server/src/tasks/tasks.service';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makeCommittee, makePerson, PASSWORD, unlinked } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

describe('inbox pages', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let branch: ApiSession;
  let committee: ApiSession;
  /** The branch's open, not overdue tasks in the order the inbox must give them. */
  let expected: string[];
  let committeeId: string;
  let branchId: string;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    committeeId = (await makeCommittee(prisma)).id;
    branchId = (await makeBranch(prisma, committeeId)).id;
    const otherId = (await makeBranch(prisma, committeeId)).id;
    const secretary = await makePerson(prisma, [{ orgId: branchId, role: Role.BRANCH_SECRETARY }], '支部书记');
    const staff = await makePerson(prisma, [{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '党建办');
    const base = Date.UTC(2018, 5, 1);
    const stamp = Date.now();
    const day = (n: number) => new Date(base + n * 86_400_000);
    // Deadlines with ties (three tasks on day 2), tasks without a deadline, and tasks the branch must not see.
    const rows = [
      ...[5, 2, 2, 9, 2, 1, 7].map((d, i) => ({ title: `签收：第${i}项`, dueAt: day(d) })),
      ...[0, 1, 2].map((i) => ({ title: `签收：无期限${i}`, dueAt: null })),
    ];
    await prisma.task.createMany({
      data: [
        ...rows.map((r, i) => ({
          key: `inbox-pages:${stamp}:${i}`,
          kind: 'RECEIPT' as const,
          ...unlinked(),
          orgId: branchId,
          // What a task's data holds (ids, numbers, nested lists, Chinese text, quotes), to be sent as it is.
          data: { requirementId: `r${i}`, step: i, share: i / 4, notes: ['“一”', { x: null, y: 'a\\b\n' }] },
          ...r,
        })),
        { key: `inbox-pages:${stamp}:late`, kind: 'RECEIPT', ...unlinked(), orgId: branchId, title: '签收：已逾期', dueAt: day(0), overdue: true },
        { key: `inbox-pages:${stamp}:done`, kind: 'RECEIPT', ...unlinked(), orgId: branchId, title: '签收：已办', dueAt: day(3), status: 'DONE' },
        { key: `inbox-pages:${stamp}:other`, kind: 'RECEIPT', ...unlinked(), orgId: otherId, title: '签收：别的支部', dueAt: day(3) },
        { key: `inbox-pages:${stamp}:mine`, kind: 'APPROVAL', ...unlinked(), orgId: committeeId, assigneeId: staff.id, title: '核稿：党建办', dueAt: day(4) },
        { key: `inbox-pages:${stamp}:theirs`, kind: 'APPROVAL', ...unlinked(), orgId: committeeId, assigneeId: secretary.id, title: '核稿：别人' },
      ],
    });
    const open = await prisma.task.findMany({ where: { orgId: branchId, status: 'OPEN', overdue: false }, select: { id: true, dueAt: true } });
    expected = open
      .sort((a, b) => (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((t) => t.id);
    branch = new ApiSession(app);
    expect((await branch.login(secretary.username, PASSWORD)).status).toBe(200);
    committee = new ApiSession(app);
    expect((await committee.login(staff.username, PASSWORD)).status).toBe(200);
  });

  afterAll(async () => {
    await app.close();
  });

  async function walk(s: ApiSession, limit: number, query = ''): Promise<string[]> {
    const seen: string[] = [];
    let next: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const res = await s.get(`/api/inbox?limit=${limit}${query}${next ? `&after=${encodeURIComponent(next)}` : ''}`).expect(200);
      const page = res.body as { items: { id: string }[]; next: string | null };
      seen.push(...page.items.map((t) => t.id));
      next = page.next;
      if (!next) return seen;
    }
    throw new Error('翻页没有结束');
  }

  it.each([1, 2, 3, 4, 20])('pages of %i give every task once, by deadline, those without one last', async (limit) => {
    expect(expected).toHaveLength(10);
    expect(await walk(branch, limit)).toEqual(expected);
  });

  it('each item carries the task and its directive as the inbox shows them', async () => {
    const [first] = (await branch.get('/api/inbox?limit=1').expect(200)).body.items;
    expect(first).toMatchObject({ id: expected[0], kind: 'RECEIPT', title: '签收：第5项', status: 'OPEN', overdue: false, remindedCount: 0, directive: null });
    expect(first.dueAt).toBe('2018-06-02T00:00:00.000Z');
    expect(Object.keys(first)).not.toEqual(expect.arrayContaining(['workflowId']));
    const late = (await branch.get('/api/inbox?tab=overdue').expect(200)).body.items;
    expect(late.map((t: { title: string }) => t.title)).toEqual(['签收：已逾期']);
    const done = (await branch.get('/api/inbox?tab=done').expect(200)).body.items;
    expect(done.map((t: { title: string }) => t.title)).toEqual(['签收：已办']);
  });

  it("a committee member's inbox is what is assigned to them", async () => {
    const items = (await committee.get('/api/inbox').expect(200)).body.items;
    expect(items.map((t: { title: string }) => t.title)).toEqual(['核稿：党建办']);
    expect((await committee.get('/api/inbox/counts').expect(200)).body).toEqual({ todo: 1, overdue: 0, done: 0 });
    expect((await branch.get('/api/inbox/counts').expect(200)).body).toEqual({ todo: 10, overdue: 1, done: 0 });
  });

  it('a cursor that is not one is refused in Chinese, not a 500', async () => {
    for (const after of ['x', '1_00000000-0000-0000-0000-00000000000g', '99999999999999999_' + expected[0], `inf_${'-'.repeat(36)}`]) {
      const res = await branch.get(`/api/inbox?after=${encodeURIComponent(after)}`);
      expect([res.status, res.body.message]).toEqual([400, '提交的数据有误：翻页位置无效']);
    }
  });

  it('each page, as sent, is exactly the JSON of what the inbox service gives for that capacity, cursors included', async () => {
    const me = (await branch.get('/api/auth/me').expect(200)).body as { actor: Actor };
    const tasks = app.get(TasksService);
    const second = (await branch.get('/api/inbox?limit=2').expect(200)).body.next as string;
    const undated = (await branch.get('/api/inbox?limit=8').expect(200)).body.next as string;
    expect(undated).toMatch(/^inf_/);
    for (const query of [
      {},
      { tab: 'overdue' },
      { tab: 'done' },
      { limit: '3', kind: 'RECEIPT' },
      { limit: '2', after: second },
      { limit: '1', after: undated },
    ]) {
      const res = await branch.get('/api/inbox').query(query).expect(200).expect('content-type', 'application/json; charset=utf-8');
      expect(res.body).toStrictEqual(JSON.parse(JSON.stringify(await tasks.inbox(me.actor, parseInboxQuery(query)))));
    }
  });

  it('what the fast path leaves to Nest gets Nest’s answers: 400 naming every bad field, 403 before a capacity is chosen, 401 after logout', async () => {
    const bad = await branch.get('/api/inbox?tab=later&kind=MEETING&limit=x');
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['tab', 'kind', 'limit']);
    expect(bad.body.message).toContain('列表必须是待办、逾期或已办');

    const twoHats = await makePerson(prisma, [
      { orgId: branchId, role: Role.BRANCH_SECRETARY },
      { orgId: committeeId, role: Role.COMMITTEE_STAFF },
    ]);
    const s = new ApiSession(app);
    expect((await s.login(twoHats.username, PASSWORD)).status).toBe(200);
    for (const path of ['/api/inbox', '/api/inbox/counts']) {
      const res = await s.get(path);
      expect([res.status, res.body.code, res.body.message]).toEqual([403, 'CAPACITY_REQUIRED', '请先选择以何种身份办理（/capacity）']);
    }
    // A page opened before choosing (a bookmark, a link in a message) goes to the choice and comes back after it.
    const page = await s.get('/inbox?tab=overdue').set('accept', 'text/html');
    expect([page.status, page.headers.location]).toEqual([303, '/capacity?next=%2Finbox%3Ftab%3Doverdue']);
    expect((await s.choose(twoHats.memberships[0].id)).status).toBe(200);
    expect((await s.get('/api/inbox/counts').expect(200)).body).toEqual({ todo: 10, overdue: 1, done: 0 });
    const out = await s.post('/api/auth/logout');
    expect([out.status, out.headers['clear-site-data']]).toEqual([200, '"cache", "storage"']);
    for (const path of ['/api/inbox', '/api/inbox/counts']) {
      const res = await s.get(path);
      expect([res.status, res.body.message]).toEqual([401, '请先登录']);
    }
  });

  it('问责 tasks: the kind filter takes ACCOUNTABILITY; the page names each step and opens its case at the task', async () => {
    const orgId = (await makeBranch(prisma, committeeId)).id;
    const person = await makePerson(prisma, [{ orgId, role: Role.BRANCH_SECRETARY }], '被问责人');
    const caseId = randomUUID();
    const steps = [
      { step: 'DEFENCE', title: '陈述申辩：逾期未报送年度计划', asked: '陈述申辩', action: '去申辩' },
      { step: 'SERVICE', title: '问责决定书签收（本人）：测委发〔2026〕3号', asked: '签收问责决定', action: '去签收' },
      { step: 'EXECUTION', title: '问责执行：提交书面检查（逾期未报送年度计划）', asked: '问责执行', action: '去办理' },
      { step: 'TALK', title: '谈话承诺事项：三个工作日内补报年度计划', asked: '谈话承诺事项', action: '去办理' },
    ];
    const ids: string[] = [];
    for (const [i, x] of steps.entries()) {
      const t = await prisma.task.create({
        data: {
          key: `inbox-pages:acc:${caseId}:${i}`,
          kind: 'ACCOUNTABILITY',
          subjectType: 'accountability_case',
          subjectId: caseId,
          originType: 'accountability_case',
          originId: caseId,
          orgId,
          title: x.title,
          dueAt: new Date(Date.now() + (i + 1) * 86_400_000),
          data: { caseId, step: x.step, personId: person.id },
        },
      });
      ids.push(t.id);
    }
    await prisma.task.create({ data: { key: `inbox-pages:acc:${caseId}:receipt`, kind: 'RECEIPT', ...unlinked(), orgId, title: '签收：别的发文' } });
    const s = new ApiSession(app);
    expect((await s.login(person.username, PASSWORD)).status).toBe(200);
    const api = (await s.get('/api/inbox?kind=ACCOUNTABILITY').expect(200)).body.items as { id: string; kind: string }[];
    expect(api.map((t) => t.id)).toEqual(ids);
    const bad = await s.get('/api/inbox?kind=CASE');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('或问责');

    const page = await s.get('/inbox?kind=ACCOUNTABILITY').set('accept', 'text/html').expect(200);
    expect(page.text).toContain('class="active" aria-pressed="true" data-kind="ACCOUNTABILITY">问责</a>');
    expect(page.text).not.toContain('签收：别的发文');
    for (const [i, x] of steps.entries()) {
      const item = page.text.slice(page.text.indexOf(`data-task-id="${ids[i]}"`)).split('</li>')[0];
      expect(item).toContain(`<span class="asked case">${x.asked}</span>`);
      // The link carries the inbox as it was (tab and filter), for the case page's 返回待办.
      const from = encodeURIComponent('/inbox?tab=todo&kind=ACCOUNTABILITY');
      expect(item).toContain(
        `<a class="button primary" href="/accountability/cases/${caseId}?from&#x3D;${from}#task-${ids[i]}" data-case-link>${x.action}</a>`,
      );
    }
  });
});
