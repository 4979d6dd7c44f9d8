/**
 * No lost edits (UX issue 17): an autosaved filing draft keeps every valid field and names what it could not keep;
 * two sessions of one branch (and two windows of one drafter) never overwrite each other's draft unseen — the second
 * save is refused with 409 and both versions, and saving over is a choice.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { formFromBody, modelToForm } from '../../apps/server/src/pages/directives/directives-form';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makePerson, PASSWORD } from '../support/factories';
import { issueAnnualPlan, SEED_MODEL, type FilingWorld } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const PLAN = {
  year: 2018,
  goals: '全面完成七大行动各项任务',
  actions: ['leadership'],
  tasks: [{ task: '优化班子结构', owner: '刘大滩', dueDate: '2018-06-30', outcome: '班子配齐配强' }],
  contactName: '刘大滩',
  contactPhone: '13800000001',
};
const PAGE_A = 'a'.repeat(32);
const PAGE_B = 'b'.repeat(32);

describe('no lost edits', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let world: FilingWorld;
  let second: ApiSession;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    world = await issueAnnualPlan(app, prisma, {
      organCode: `编${Date.now() % 100000}发`,
      drillSeconds: 3600,
      branchNames: ['中共大滩村支部委员会', '中共柏林村支部委员会'],
    });
    // A second person of the first branch: another session of the same branch.
    const staff = await makePerson(prisma, [{ orgId: world.branchIds[0], role: Role.BRANCH_STAFF }], '陈会计');
    second = new ApiSession(app);
    await second.login(staff.username, PASSWORD);
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await app?.close();
  });

  const filingOf = async (i: number) => (await prisma.filing.findFirstOrThrow({ where: { requirementId: world.requirementId, orgId: world.branchIds[i] } })).id;
  const stored = (id: string) => prisma.filing.findUniqueOrThrow({ where: { id }, select: { draft: true, draftVersion: true, version: true } });

  describe('filing drafts', () => {
    it('an invalid field is left out and named by its label; every valid field, and the valid cells of a row, are stored', async () => {
      const id = await filingOf(1);
      const branch = world.branch[1];
      const r = await branch.put(`/api/filings/${id}/draft`, {
        values: {
          year: 2018,
          goals: '年内脱贫 12 户',
          budget: '三万',
          tasks: [{ task: '发展村集体经济', dueDate: '2018-02-30' }],
          contactPhone: '12',
        },
      });
      expect(r.status).toBe(200);
      expect(r.body.skipped.map((s: { field: string }) => s.field).sort()).toEqual(['budget', 'contactPhone', 'tasks[0].dueDate']);
      const byField = Object.fromEntries(r.body.skipped.map((s: { field: string; label: string; message: string }) => [s.field, s]));
      expect(byField.budget).toEqual({ field: 'budget', label: '经费预算', message: '“经费预算”应为数字，而不是文本“三万”' });
      expect(byField['tasks[0].dueDate'].label).toBe('重点任务第1行的“完成时限”');
      expect(byField.contactPhone.label).toBe('联系电话');
      // In the users' words: the label, never the field's English key.
      for (const s of r.body.skipped) expect(s.message).not.toMatch(/[A-Za-z]/);
      const after = await stored(id);
      expect(after.draft).toEqual({ year: 2018, goals: '年内脱贫 12 户', tasks: [{ task: '发展村集体经济' }] });
      expect(after.draftVersion).toBe(r.body.draftVersion);
      const audit = await prisma.auditLog.findFirst({ where: { entityId: id, action: 'filing.draft' }, orderBy: { seq: 'desc' } });
      expect(audit?.data).toEqual({ draftVersion: r.body.draftVersion, skipped: expect.arrayContaining(['budget', 'contactPhone', 'tasks[0].dueDate']) });

      // A draft with nothing wrong says nothing was left out.
      const fine = await branch.put(`/api/filings/${id}/draft`, { values: { year: 2018, goals: '年内脱贫 12 户', budget: 3 } }).expect(200);
      expect(fine.body.skipped).toEqual([]);
      expect((await stored(id)).draft).toEqual({ year: 2018, goals: '年内脱贫 12 户', budget: 3 });
    });

    it('a save from another session of the branch since the page opened is refused with 409 and both versions; keeping mine is a choice', async () => {
      const id = await filingOf(0);
      const first = world.branch[0];
      const opened = (await first.get(`/api/filings/${id}`).expect(200)).body.draftVersion as number;
      expect((await second.get(`/api/filings/${id}`).expect(200)).body.draftVersion).toBe(opened);

      // Page A saves twice, the second before it heard the first's answer (both from the version it opened): no conflict.
      const a1 = await first.put(`/api/filings/${id}/draft`, { values: { year: 2018, goals: '甲页的目标' }, baseVersion: opened, editor: PAGE_A }).expect(200);
      expect(a1.body.draftVersion).toBe(opened + 1);
      const a2 = await first
        .put(`/api/filings/${id}/draft`, { values: { year: 2018, goals: '甲页的目标，又补了一句' }, baseVersion: opened, editor: PAGE_A })
        .expect(200);
      expect(a2.body.draftVersion).toBe(opened + 2);

      // Page B, opened at the same version by another person of the branch: refused, A's draft stands.
      const b = await second.put(`/api/filings/${id}/draft`, { values: { year: 2019, goals: '乙页的目标' }, baseVersion: opened, editor: PAGE_B });
      expect(b.status).toBe(409);
      expect(b.body.message).toMatch(/^这份草稿已由书记0在另一处于 .+ 保存过，与本页打开时不同。/);
      expect(b.body.detail.draftVersion).toBe(opened + 2);
      expect(b.body.detail.savedBy).toBe('书记0');
      expect(b.body.detail.values).toEqual({ year: 2018, goals: '甲页的目标，又补了一句' });
      expect(b.body.detail.fields).toEqual([
        { key: 'year', label: '计划年度', mine: '2019 年', theirs: '2018 年' },
        { key: 'goals', label: '年度目标', mine: '乙页的目标', theirs: '甲页的目标，又补了一句' },
      ]);
      expect(await stored(id)).toMatchObject({ draft: { year: 2018, goals: '甲页的目标，又补了一句' }, draftVersion: opened + 2 });

      // B keeps its own: saved over the version it was shown.
      const keep = await second
        .put(`/api/filings/${id}/draft`, { values: { year: 2019, goals: '乙页的目标' }, baseVersion: b.body.detail.draftVersion, editor: PAGE_B })
        .expect(200);
      expect((await stored(id)).draft).toEqual({ year: 2019, goals: '乙页的目标' });
      // Now A is the one behind: its next save is refused in turn, and so is a submission from it.
      const a3 = await first.put(`/api/filings/${id}/draft`, { values: { ...PLAN, goals: '甲页的目标' }, baseVersion: a2.body.draftVersion, editor: PAGE_A });
      expect(a3.status).toBe(409);
      expect(a3.body.detail.draftVersion).toBe(keep.body.draftVersion);
      const submit = await first.post(`/api/filings/${id}/submit`, { values: PLAN, baseVersion: a2.body.draftVersion, editor: PAGE_A });
      expect(submit.status).toBe(409);
      expect(submit.body.detail.values).toEqual({ year: 2019, goals: '乙页的目标' });
      expect((await stored(id)).version).toBe(0);
      // From the version it was shown, A submits.
      await first.post(`/api/filings/${id}/submit`, { values: PLAN, baseVersion: keep.body.draftVersion, editor: PAGE_A }).expect(200);
      expect((await stored(id)).version).toBe(1);
    });

    it('a save whose version is not a number is refused in words', async () => {
      const id = await filingOf(1);
      const r = await world.branch[1].put(`/api/filings/${id}/draft`, { values: {}, baseVersion: 'x' });
      expect(r.status).toBe(400);
      expect(r.body.message).toContain('草稿版本必须是整数');
    });
  });

  describe('directive drafts', () => {
    let directiveId: string;
    let reviewerId: string;
    let signerId: string;

    beforeAll(async () => {
      reviewerId = world.reviewerId;
      signerId = ((await prisma.directive.findUniqueOrThrow({ where: { id: world.directiveId } })).chain as { signerId: string }).signerId;
      const d = await world.drafter
        .post('/api/directives', {
          model: { ...SEED_MODEL, title: '关于开展冬训的通知' },
          chain: { reviewers: [reviewerId], signerId },
          distribution: { mode: 'ALL' },
        })
        .expect(201);
      directiveId = d.body.id;
    });

    const version = async () => (await prisma.directive.findUniqueOrThrow({ where: { id: directiveId } })).version;
    const title = async () => (await prisma.directive.findUniqueOrThrow({ where: { id: directiveId }, include: { document: true } })).document.title;

    it('the API: a save from an older version is refused with 409, the newer version named, and kept', async () => {
      expect(await version()).toBe(1);
      await world.drafter.put(`/api/directives/${directiveId}`, { model: { ...SEED_MODEL, title: '关于开展冬训的通知（一）' }, baseVersion: 1 }).expect(200);
      const stale = await world.drafter.put(`/api/directives/${directiveId}`, {
        model: { ...SEED_MODEL, title: '关于开展冬训的通知（旧窗口）' },
        baseVersion: 1,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.message).toMatch(/^文稿已由张党建于 .+ 在另一处保存为第 2 版/);
      expect(stale.body.detail).toMatchObject({ version: 2, changedBy: '张党建', model: { title: '关于开展冬训的通知（一）' } });
      expect([await version(), await title()]).toEqual([2, '关于开展冬训的通知（一）']);
      await world.drafter.put(`/api/directives/${directiveId}`, { model: { ...SEED_MODEL, title: '关于开展冬训的通知（二）' }, baseVersion: 2 }).expect(200);
      expect(await version()).toBe(3);
    });

    it('the editor page (no script): both versions side by side, and 保留我的 saves over the version it names', async () => {
      // The editor's fields as a browser posts them (one reviewer, no countersigners, every branch).
      const {
        reviewers: _r,
        countersigners: _c,
        kinds: _k,
        orgIds: _o,
        ...fields
      } = {
        ...formFromBody({}),
        ...modelToForm({ ...SEED_MODEL, title: '关于开展冬训的通知（另一个窗口）' } as Record<string, unknown>),
      };
      const form = { ...fields, reviewers: reviewerId, signerId, mode: 'ALL', receiptWorkdays: '3' };
      const body = { ...form, action: 'save', baseVersion: '2' };
      const page = await world.drafter.agent
        .post(`/directives/${directiveId}`)
        .type('form')
        .set('accept', 'text/html')
        .send({ ...body, _csrf: world.drafter.csrfToken });
      expect(page.status).toBe(409);
      expect(page.text).toContain('data-conflict');
      expect(page.text).toContain('在另一处保存为第 3 版');
      expect(page.text).toMatch(/<td>标题<\/td><td data-mine>关于开展冬训的通知（另一个窗口）<\/td><td data-theirs>关于开展冬训的通知（二）<\/td>/);
      expect(page.text).toContain('name="overwrite" value="3"');
      // The form keeps the version it was opened on: 保存草稿 again is refused again, only 保留我的 saves over.
      expect(page.text).toContain('name="baseVersion" value="2"');
      expect([await version(), await title()]).toEqual([3, '关于开展冬训的通知（二）']);

      const keep = await world.drafter.agent
        .post(`/directives/${directiveId}`)
        .type('form')
        .set('accept', 'text/html')
        .send({ ...form, baseVersion: '2', overwrite: '3', _csrf: world.drafter.csrfToken });
      expect(keep.status).toBe(303);
      expect([await version(), await title()]).toEqual([4, '关于开展冬训的通知（另一个窗口）']);
      // The editor opened now carries the newest version.
      const edit = await world.drafter.get(`/directives/${directiveId}/edit`).set('accept', 'text/html').expect(200);
      expect(edit.text).toContain('name="baseVersion" value="4"');
    });
  });
});
