import request from 'supertest';
/**
 * Access rules found from outside ("Security and reliability", item 1), on the real app and Temporal dev server:
 * unannounced rounds are seen only by the staff who run them and their named inspectors; nobody reviews, verifies or
 * records a finding about an organisation they belong to; drafts stay with those who write them; a password reset or
 * a deactivation ends the person's sessions.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { filingKey } from '../../apps/server/src/filings/filing-flow.service';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { filingWorkflowId } from '../../workflows/filing/filing.definitions';
import { ROOT } from '../support/cli';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';

const PHOTO = fs.readFileSync(path.join(ROOT, 'test/fixtures/site-photo.jpg'));
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const CHECKLIST = [
  { text: '“三会一课”记录完整', kind: 'PASS_FAIL', evidence: 'NOTE' },
  { text: '党员活动室规范', kind: 'PASS_FAIL', evidence: 'NONE' },
];
const FORM = { title: '情况报告', fields: [{ key: 'note', label: '情况', type: 'longText', required: true, maxLength: 500 }] };

describe('access rules', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let committeeId: string;
  let branchIds: string[];
  let staff: ApiSession;
  let secretary: ApiSession;
  let admin: ApiSession;
  let evaluator: ApiSession;
  /** Named on the rounds below. */
  let inspectorX: ApiSession;
  let inspectorXId: string;
  /** Not named on the unannounced round; also staff of branch 0 (logged in twice: as inspector and as branch staff). */
  let inspectorY: ApiSession;
  let inspectorYAsBranch: ApiSession;
  let branch: ApiSession[];

  const login = async (username: string, membershipId?: string) => {
    const s = new ApiSession(app);
    expect((await s.login(username, PASSWORD)).status).toBe(200);
    if (membershipId) expect((await s.choose(membershipId)).status).toBe(200);
    return s;
  };
  const person = async (memberships: { orgId: string; role: Role }[], name: string, choose = 0) => {
    const p = await makePerson(prisma, memberships, name);
    return {
      id: p.id,
      username: p.username,
      memberships: p.memberships,
      session: await login(p.username, memberships.length > 1 ? p.memberships[choose].id : undefined),
    };
  };
  const round = (over: Record<string, unknown> = {}) => ({
    title: '暗访测试轮次',
    scopeOrgId: committeeId,
    mode: 'UNANNOUNCED',
    target: 'BRANCH',
    checklist: CHECKLIST,
    rule: { levels: [{ level: 0, all: true }] },
    inspectorIds: [inspectorXId],
    windowStart: inSeconds(-60),
    windowEnd: inSeconds(3600),
    ...over,
  });
  const createAndDraw = async (over: Record<string, unknown> = {}) => {
    const id = (await staff.post('/api/spot-checks', round(over)).expect(201)).body.id as string;
    await staff.post(`/api/spot-checks/${id}/draw`, { seed: `seed-${randomUUID()}` }).expect(200);
    return id;
  };
  const upload = async (s: ApiSession, name = '现场.jpg') =>
    (await s.agent.post('/api/files').set('x-csrf-token', s.csrfToken).attach('file', PHOTO, { filename: name, contentType: 'image/jpeg' }).expect(201)).body;
  /** A plain requirement of the committee (reviewed by any 党建办 staff or the secretary) with an OPEN filing for a branch. */
  const openFiling = async (orgId: string) => {
    const req = await prisma.requirement.create({
      data: { directiveId: null, orgId: committeeId, title: '情况报告', form: FORM, deadlineKind: 'FIXED', deadlineAt: new Date(Date.now() + 86400_000) },
    });
    const key = filingKey(req.id, orgId);
    const task = await prisma.task.create({
      data: { key, kind: 'FILING', orgId, subjectType: 'filing', subjectId: randomUUID(), title: '填报：情况报告', workflowId: filingWorkflowId(key) },
    });
    const filing = await prisma.filing.create({ data: { requirementId: req.id, orgId, taskId: task.id, deadlineAt: new Date(Date.now() + 86400_000) } });
    await prisma.task.update({ where: { id: task.id }, data: { subjectId: filing.id } });
    return filing.id;
  };

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    const committee = await makeCommittee(prisma, { name: '中共访问规则测试乡委员会', organCode: `访${Date.now() % 100000}发` });
    committeeId = committee.id;
    branchIds = [];
    for (let i = 1; i <= 3; i++) branchIds.push((await makeBranch(prisma, committeeId, OrgKind.VILLAGE, `规则测试${i}村支部`)).id);
    staff = (await person([{ orgId: committeeId, role: Role.COMMITTEE_STAFF }], '张党建')).session;
    secretary = (await person([{ orgId: committeeId, role: Role.COMMITTEE_SECRETARY }], '王书记')).session;
    admin = (await person([{ orgId: committeeId, role: Role.ADMIN }], '赵管理')).session;
    evaluator = (await person([{ orgId: committeeId, role: Role.EVALUATOR }], '钱评议')).session;
    const x = await person([{ orgId: committeeId, role: Role.INSPECTOR }], '甲督查');
    inspectorX = x.session;
    inspectorXId = x.id;
    const y = await person(
      [
        { orgId: committeeId, role: Role.INSPECTOR },
        { orgId: branchIds[0], role: Role.BRANCH_STAFF },
      ],
      '乙督查',
    );
    inspectorY = y.session;
    inspectorYAsBranch = await login(y.username, y.memberships[1].id);
    branch = [];
    for (const [i, orgId] of branchIds.entries()) branch.push((await person([{ orgId, role: Role.BRANCH_SECRETARY }], `书记${i + 1}`)).session);
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  describe('unannounced rounds (暗访)', () => {
    it('are seen by their named inspectors and the committee staff, not by other inspectors, the admin or the branches', async () => {
      const id = await createAndDraw();
      const ids = async (s: ApiSession) => (await s.get('/api/spot-checks').expect(200)).body.map((r: { id: string }) => r.id);

      for (const s of [staff, secretary, inspectorX]) {
        const detail = (await s.get(`/api/spot-checks/${id}`).expect(200)).body;
        expect(detail.units).toHaveLength(3);
        expect(await ids(s)).toContain(id);
      }
      expect((await inspectorX.get(`/api/spot-checks/${id}/sample`).expect(200)).body.seed).toEqual(expect.any(String));

      // Another inspector of the committee — staff of a checked branch — and the administrator: not found, anywhere.
      for (const s of [inspectorY, admin]) {
        const detail = await s.get(`/api/spot-checks/${id}`);
        expect(detail.status).toBe(404);
        expect(JSON.stringify(detail.body)).not.toContain('seed-');
        expect(await ids(s)).not.toContain(id);
        expect((await s.get(`/api/spot-checks/${id}/sample`)).status).toBe(404);
        expect((await s.get(`/api/spot-checks/${id}/report`)).status).toBe(404);
        for (const page of ['', '/rule.json', '/orgs.json']) expect((await s.get(`/spot-checks/${id}${page}`)).status).toBe(404);
        expect((await s.get('/spot-checks').expect(200)).text).not.toContain(id);
      }
      expect((await inspectorY.get(`/spot-checks/${id}/inspect`)).status).toBe(404);
      expect((await inspectorX.get(`/spot-checks/${id}`)).status).toBe(200);
      expect((await inspectorX.get(`/spot-checks/${id}/rule.json`)).status).toBe(200);

      // The checked branches still see nothing before a finding on them (also the inspector acting as branch staff).
      for (const s of [inspectorYAsBranch, branch[0], branch[1]]) {
        expect((await s.get(`/api/spot-checks/${id}`)).status).toBe(404);
        expect(await ids(s)).not.toContain(id);
      }
    });

    it('an announced round is still seen by every inspector and the admin of the committee', async () => {
      const id = await createAndDraw({ mode: 'ANNOUNCED', title: '明查测试轮次' });
      for (const s of [inspectorY, admin, inspectorX]) {
        await s.get(`/api/spot-checks/${id}`).expect(200);
        expect((await s.get('/api/spot-checks').expect(200)).body.map((r: { id: string }) => r.id)).toContain(id);
      }
    });
  });

  describe('nobody judges their own organisation', () => {
    it('a person with a branch capacity and a committee capacity cannot accept their own branch filing', async () => {
      const filingId = await openFiling(branchIds[1]);
      // 孙 is secretary of branch 1 and 党建办 staff (a reviewer of the requirement).
      const sun = await person(
        [
          { orgId: branchIds[1], role: Role.BRANCH_SECRETARY },
          { orgId: committeeId, role: Role.COMMITTEE_STAFF },
        ],
        '孙兼职',
      );
      await eventually(
        async () => (await sun.session.post(`/api/filings/${filingId}/submit`, { values: { note: '本支部情况' } })).status,
        (s) => s === 200,
        15_000,
        '提交',
      );
      await eventually(
        async () => (await prisma.filing.findUniqueOrThrow({ where: { id: filingId } })).status,
        (s) => s === 'SUBMITTED',
      );
      await sun.session.choose(sun.memberships[1].id).then((r) => expect(r.status).toBe(200));
      const res = await sun.session.post(`/api/filings/${filingId}/review`, { decision: 'ACCEPT', comment: '' });
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('不能审核本人所在组织的填报');
      const ext = await sun.session.post(`/api/filings/${filingId}/extension/decision`, { grant: true });
      expect(ext.status).toBe(403);
      expect(ext.body.message).toBe('不能审核本人所在组织的填报');
      // The page offers no review buttons to them, and refuses the form post the same way.
      const page = await sun.session.get(`/filings/${filingId}`).expect(200);
      expect(page.text).not.toContain('name="decision"');
      expect((await sun.session.post(`/filings/${filingId}/review`, { decision: 'ACCEPT' })).status).toBe(403);
      expect((await prisma.filing.findUniqueOrThrow({ where: { id: filingId } })).status).toBe('SUBMITTED');

      // Someone of the committee who does not belong to the branch accepts it.
      await staff.post(`/api/filings/${filingId}/review`, { decision: 'ACCEPT', comment: '' }).expect(200);
      expect((await prisma.filing.findUniqueOrThrow({ where: { id: filingId } })).status).toBe('ACCEPTED');
    });

    it('an inspector who has since joined the checked branch records no finding there, opens no rectification and verifies none', async () => {
      const id = await createAndDraw({ mode: 'ANNOUNCED', title: '本组织规则轮次' });
      const unit = await prisma.spotCheckUnit.findFirstOrThrow({ where: { roundId: id, orgId: branchIds[2] } });
      expect(unit.inspectorId).toBe(inspectorXId);
      const failed = (
        await inspectorX
          .post(`/api/spot-checks/${id}/findings`, {
            clientId: randomUUID(),
            unitId: unit.id,
            itemKey: 'i1',
            passed: false,
            notes: '记录缺失',
            recordedAt: new Date().toISOString(),
          })
          .expect(200)
      ).body;
      const other = (
        await inspectorX
          .post(`/api/spot-checks/${id}/findings`, {
            clientId: randomUUID(),
            unitId: unit.id,
            itemKey: 'i2',
            passed: false,
            recordedAt: new Date().toISOString(),
          })
          .expect(200)
      ).body;
      // 党建办 opens the rectification of the first; the inspector who recorded it is its verifier.
      const rect = (await staff.post(`/api/spot-checks/findings/${failed.id}/rectification`, { deadlineWorkdays: 5 }).expect(201)).body;

      // Now 甲 joins branch 2 as its staff.
      await prisma.membership.create({ data: { personId: inspectorXId, orgId: branchIds[2], role: Role.BRANCH_STAFF } });

      const again = await inspectorX.post(`/api/spot-checks/${id}/findings`, {
        clientId: randomUUID(),
        unitId: unit.id,
        itemKey: 'i2',
        passed: true,
        recordedAt: new Date().toISOString(),
      });
      expect(again.status).toBe(403);
      expect(again.body.message).toBe('不能记录本人所在组织的检查结果');
      const open = await inspectorX.post(`/api/spot-checks/findings/${other.id}/rectification`, {});
      expect(open.status).toBe(403);
      expect(open.body.message).toBe('不能为本人所在组织开具整改');

      const filing = (await branch[2].get(`/api/filings/${rect.filingId}`).expect(200)).body;
      const evidence = await upload(branch[2], '整改后.jpg');
      const values = { problem: filing.draft.problem, measures: '补记记录', status: 'done', completedOn: '2026-11-21', evidence: [evidence] };
      await eventually(
        async () => (await branch[2].post(`/api/filings/${rect.filingId}/submit`, { values })).status,
        (s) => s === 200,
        15_000,
        '整改报告提交',
      );
      const verify = await inspectorX.post(`/api/filings/${rect.filingId}/review`, { decision: 'ACCEPT', comment: '' });
      expect(verify.status).toBe(403);
      expect(verify.body.message).toBe('不能验收本人所在组织的整改');
      expect((await prisma.filing.findUniqueOrThrow({ where: { id: rect.filingId } })).status).toBe('SUBMITTED');
    });
  });

  describe('drafts', () => {
    it('a branch draft is the branch’s own: the committee gets the filing without it, in the API and on the page', async () => {
      const filingId = await openFiling(branchIds[0]);
      await branch[0].put(`/api/filings/${filingId}/draft`, { values: { note: '尚未定稿的内部情况' } }).expect(200);
      const own = (await branch[0].get(`/api/filings/${filingId}`).expect(200)).body;
      expect(own.draft).toEqual({ note: '尚未定稿的内部情况' });
      expect(own.draftSavedAt).toEqual(expect.any(String));

      for (const s of [evaluator, staff, secretary, inspectorX, admin]) {
        const res = await s.get(`/api/filings/${filingId}`).expect(200);
        expect(res.body).not.toHaveProperty('draft');
        expect(res.body).not.toHaveProperty('draftSavedAt');
        expect(res.body).not.toHaveProperty('draftSavedById');
        expect(res.text).not.toContain('尚未定稿');
        const page = await s.get(`/filings/${filingId}`).expect(200);
        expect(page.text).not.toContain('尚未定稿');
        expect(page.text).not.toContain('已自动保存');
      }
    });

    it('a draft document is read by its drafters and the approvers named on its directive, not by other committee capacities', async () => {
      const evalNamed = await person([{ orgId: committeeId, role: Role.EVALUATOR }], '李会签');
      const secretaryId = (await prisma.person.findFirstOrThrow({ where: { name: '王书记', memberships: { some: { orgId: committeeId } } } })).id;
      const directive = (
        await staff
          .post('/api/directives', {
            model: SEED_MODEL,
            chain: { reviewers: [inspectorXId], countersigners: [evalNamed.id], signerId: secretaryId },
            distribution: { mode: 'ALL' },
          })
          .expect(201)
      ).body;
      const plain = (await staff.post('/api/documents', { model: SEED_MODEL }).expect(201)).body;

      for (const docId of [directive.documentId, plain.id]) {
        for (const s of [staff, secretary]) expect((await s.get(`/api/documents/${docId}`)).status).toBe(200);
        for (const s of [evaluator, inspectorY, admin, branch[0]]) expect((await s.get(`/api/documents/${docId}`)).status).toBe(404);
      }
      // Named on the chain (核稿 / 会签): they read the directive's draft, not other drafts.
      for (const s of [inspectorX, evalNamed.session]) {
        expect((await s.get(`/api/documents/${directive.documentId}`)).status).toBe(200);
        expect((await s.get(`/api/documents/${plain.id}`)).status).toBe(404);
      }
      // The directive itself: every committee capacity sees it and where it stands, only those above read its text.
      const bodyText = '2017年是全乡脱贫攻坚承上启下';
      for (const s of [staff, secretary, inspectorX, evalNamed.session]) {
        const d = (await s.get(`/api/directives/${directive.id}`).expect(200)).body;
        expect(d.textHidden).toBe(false);
        expect(JSON.stringify(d)).toContain(bodyText);
      }
      for (const s of [evaluator, inspectorY, admin]) {
        const d = (await s.get(`/api/directives/${directive.id}`).expect(200)).body;
        expect(d).toMatchObject({ textHidden: true, document: { model: null } });
        expect(JSON.stringify(d)).not.toContain(bodyText);
        const page = await s.get(`/directives/${directive.id}`).set('accept', 'text/html').expect(200);
        expect(page.text).toContain('文稿签发前，只有起草人、党建办和审批人可以阅读正文');
        expect(page.text).not.toContain(bodyText);
      }
    });
  });

  describe('sessions', () => {
    const inboxStatus = async (s: ApiSession) => (await s.get('/api/inbox')).status;
    const sessionsOf = async (personId: string) =>
      (await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "session" WHERE sess->>'personId' = ${personId}`)[0].n;

    it('a password reset by the administrator ends the person’s sessions at once', async () => {
      const adminRow = await makePerson(prisma, [{ orgId: committeeId, role: Role.ADMIN }], '周管理');
      const adminSession = await login(adminRow.username);
      const p = await makePerson(prisma, [{ orgId: branchIds[1], role: Role.BRANCH_STAFF }], '吴干事');
      const phone = await login(p.username);
      const laptop = await login(p.username);
      // Both sessions used (and so cached in this process) before the reset.
      expect(await inboxStatus(phone)).toBe(200);
      expect(await inboxStatus(laptop)).toBe(200);
      expect(await sessionsOf(p.id)).toBe(2);

      await adminSession.patch(`/api/people/${p.id}`, { password: 'New-password-2' }).expect(200);
      expect(await inboxStatus(phone)).toBe(401);
      expect(await inboxStatus(laptop)).toBe(401);
      expect(await sessionsOf(p.id)).toBe(0);
      const audit = await prisma.auditLog.findFirst({ where: { action: 'person.sessions.end', entityId: p.id } });
      expect(audit?.data).toEqual({ count: 2, reason: 'password' });
      // The new password works; the old one does not.
      expect((await new ApiSession(app).login(p.username, PASSWORD)).status).toBe(401);
      const fresh = new ApiSession(app);
      expect((await fresh.login(p.username, 'New-password-2')).status).toBe(200);
      expect(await inboxStatus(fresh)).toBe(200);

      // A change of name or phone only leaves the sessions alone.
      await adminSession.patch(`/api/people/${p.id}`, { phone: '13800000001' }).expect(200);
      expect(await inboxStatus(fresh)).toBe(200);
    });

    it('a session is stored only from login on: the login page and the CSRF endpoint store nothing for anonymous callers', async () => {
      const all = async () => (await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "session"`)[0].n;
      const p = await makePerson(prisma, [{ orgId: branchIds[1], role: Role.BRANCH_STAFF }], '褚干事');
      const before = await all();
      for (let i = 0; i < 5; i++) {
        await request(app.getHttpServer()).get('/login').set('accept', 'text/html').expect(200);
        await request(app.getHttpServer()).get('/api/auth/csrf').expect(200);
      }
      expect(await all()).toBe(before);

      // The login form, as a browser posts it: the token from the page, bound to the pre-login cookie, is accepted.
      const browser = request.agent(app.getHttpServer());
      const page = await browser.get('/login').set('accept', 'text/html').expect(200);
      expect(await all()).toBe(before);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
      expect(token).toBeTruthy();
      await browser.post('/login').type('form').send({ _csrf: token, username: p.username, password: PASSWORD }).expect(303);
      expect(await sessionsOf(p.id)).toBe(1);
      expect((await browser.get('/api/inbox')).status).toBe(200);
      // A token minted for another browser's pre-login cookie is refused.
      const other = request.agent(app.getHttpServer());
      await other.get('/login').set('accept', 'text/html').expect(200);
      expect((await other.post('/login').type('form').send({ _csrf: token, username: p.username, password: PASSWORD })).status).toBe(403);
    });

    it('deactivation ends the sessions; administrators changing their own password keep the session they do it from', async () => {
      const adminRow = await makePerson(prisma, [{ orgId: committeeId, role: Role.ADMIN }], '郑管理');
      const here = await login(adminRow.username);
      const elsewhere = await login(adminRow.username);
      const p = await makePerson(prisma, [{ orgId: branchIds[2], role: Role.BRANCH_STAFF }], '冯干事');
      const s = await login(p.username);
      expect(await inboxStatus(s)).toBe(200);
      await here.post(`/api/people/${p.id}/deactivate`).expect(200);
      expect(await inboxStatus(s)).toBe(401);
      expect(await sessionsOf(p.id)).toBe(0);

      expect(await inboxStatus(elsewhere)).toBe(200);
      await here.patch(`/api/people/${adminRow.id}`, { password: 'Own-new-password-3' }).expect(200);
      expect(await inboxStatus(here)).toBe(200);
      expect(await inboxStatus(elsewhere)).toBe(401);
      expect(await sessionsOf(adminRow.id)).toBe(1);
    });
  });
});
