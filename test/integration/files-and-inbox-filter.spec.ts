/**
 * Attachments are opened by SHA-256 (GET /api/files/:id) by the uploader's branch and the committee's readers above it;
 * everyone else is told the file does not exist. The inbox's directive filter lists only the caller's directives.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHash } from 'node:crypto';
import { DirectivesService } from '../../apps/server/src/directives/directives.service';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makeCommittee, makePerson, ofDirective, PASSWORD } from '../support/factories';
import { SEED_MODEL } from '../support/filing-world';
import { minimalPdf } from '../support/files';
import { ApiSession, startApp } from '../support/test-app';

const NOT_FOUND = '文件不存在或无权查看';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('attachments and the inbox directive filter', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  const as: Record<string, ApiSession> = {};
  const ids: Record<string, string> = {};

  const session = async (orgId: string, role: Role, name: string) => {
    const p = await makePerson(prisma, [{ orgId, role }], name);
    const s = new ApiSession(app);
    expect((await s.login(p.username, PASSWORD)).status).toBe(200);
    ids[name] = p.id;
    return s;
  };
  const upload = (s: ApiSession, bytes: Buffer, filename: string, contentType: string) =>
    s.agent.post('/api/files').set('x-csrf-token', s.csrfToken).attach('file', bytes, { filename, contentType });
  /** Downloads as bytes whatever the type (supertest only buffers text and JSON by itself). */
  const download = (s: ApiSession, path: string) =>
    s
      .get(path)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    const committee = await makeCommittee(prisma, { name: '中共大滩乡委员会', organCode: `附${Date.now() % 100000}发` });
    // A general branch between the committee and the uploading branch: the committee's readers see two levels down.
    const general = await makeBranch(prisma, committee.id, OrgKind.OFFICE, '中共大滩乡机关总支部委员会');
    const branchA = await makeBranch(prisma, general.id, OrgKind.OFFICE, '中共大滩乡财政所支部委员会');
    const branchB = await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共大滩乡新风村支部委员会');
    const otherCommittee = await makeCommittee(prisma, { name: '中共邻乡委员会', organCode: `邻${Date.now() % 100000}发` });
    Object.assign(ids, { committee: committee.id, branchA: branchA.id, branchB: branchB.id });
    as.uploader = await session(branchA.id, Role.BRANCH_STAFF, '上传人');
    as.colleague = await session(branchA.id, Role.BRANCH_SECRETARY, '同支部书记');
    as.sibling = await session(branchB.id, Role.BRANCH_SECRETARY, '邻村书记');
    as.staff = await session(committee.id, Role.COMMITTEE_STAFF, '党建办');
    as.secretary = await session(committee.id, Role.COMMITTEE_SECRETARY, '党委书记');
    as.inspector = await session(committee.id, Role.INSPECTOR, '督查员');
    as.evaluator = await session(committee.id, Role.EVALUATOR, '评议人');
    as.admin = await session(committee.id, Role.ADMIN, '管理员');
    as.otherStaff = await session(otherCommittee.id, Role.COMMITTEE_STAFF, '邻乡党建办');
  });

  afterAll(async () => {
    await app.close();
  });

  describe('GET /api/files/:id', () => {
    const pdf = minimalPdf(`财政所2018年度计划 ${Date.now()}`);
    const NAME = "财政所2018年度计划(终稿)'s.pdf";
    let id: string;

    beforeAll(async () => {
      const up = await upload(as.uploader, pdf, NAME, 'application/pdf');
      expect(up.status).toBe(201);
      id = up.body.sha256;
      expect(id).toBe(sha256(pdf));
    });

    it('the uploader gets the bytes, the type, and the Chinese name in RFC 5987 form', async () => {
      const res = await download(as.uploader, `/api/files/${id}`);
      expect(res.status).toBe(200);
      expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-length']).toBe(String(pdf.length));
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const disposition = res.headers['content-disposition'];
      expect(disposition).toMatch(/^inline; filename="[\x20-\x7e]+\.pdf"; filename\*=UTF-8''/);
      const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? '';
      expect(encoded).not.toMatch(/['()]/);
      expect(decodeURIComponent(encoded)).toBe(NAME);
    });

    it('people of the uploader’s branch and the committee’s staff, secretary and inspector above it may open it', async () => {
      for (const who of ['colleague', 'staff', 'secretary', 'inspector']) {
        const res = await download(as[who], `/api/files/${id}`);
        expect(`${who} → ${res.status}`).toBe(`${who} → 200`);
        expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
      }
    });

    it('another branch, an evaluator, the administrator and another township get 404 with the same words as a missing file', async () => {
      for (const who of ['sibling', 'evaluator', 'admin', 'otherStaff']) {
        const res = await as[who].get(`/api/files/${id}`);
        expect(`${who} → ${res.status}`).toBe(`${who} → 404`);
        expect(res.body.message).toBe(NOT_FOUND);
        expect(res.headers['content-disposition']).toBeUndefined();
      }
      const missing = await as.uploader.get(`/api/files/${'0'.repeat(64)}`);
      expect([missing.status, missing.body.message]).toEqual([404, NOT_FOUND]);
      const malformed = await as.uploader.get('/api/files/not-a-hash');
      expect([malformed.status, malformed.body.message]).toEqual([404, NOT_FOUND]);
      expect((await new ApiSession(app).get(`/api/files/${id}`)).status).toBe(401);
    });

    it('the same bytes uploaded by another branch open there under that branch’s name; the first branch keeps its own', async () => {
      await upload(as.sibling, pdf, '新风村计划.pdf', 'application/pdf').expect(201);
      const sibling = await download(as.sibling, `/api/files/${id}`);
      expect(sibling.status).toBe(200);
      expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(sibling.headers['content-disposition'])?.[1] ?? '')).toBe('新风村计划.pdf');
      const mine = await download(as.uploader, `/api/files/${id}`);
      expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(mine.headers['content-disposition'])?.[1] ?? '')).toBe(NAME);
    });

    it('a page (HTML) cannot be uploaded; a script in a text file is downloaded, never shown in place; opening a file is audited once, with the reader', async () => {
      const html = Buffer.from(`<script>alert(1)</script>${Date.now()}`);
      const refused = await upload(as.uploader, html, '说明.html', 'text/html').expect(400);
      expect(refused.body.fields).toEqual([{ field: 'file', message: expect.stringMatching(/^附件“说明\.html”的类型不能上传，只接受PDF 文件、Word 文档/) }]);
      const up = await upload(as.uploader, html, '说明.txt', 'text/plain').expect(201);
      const before = (await prisma.auditLog.aggregate({ _max: { seq: true } }))._max.seq ?? 0n;
      const res = await download(as.staff, `/api/files/${up.body.sha256}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toMatch(/^attachment; /);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const after = await prisma.auditLog.findMany({ where: { seq: { gt: before } } });
      expect(after.map((r) => [r.action, r.entityId, r.data])).toEqual([['file.read', up.body.sha256, { name: '说明.txt' }]]);
    });
  });

  describe('GET /api/inbox/directives', () => {
    const directive: Record<'plan' | 'report', string> = {} as never;

    beforeAll(async () => {
      const directives = app.get(DirectivesService);
      const drafter = { personId: ids['党建办'], name: '党建办', membershipId: 'x', role: Role.COMMITTEE_STAFF, orgId: ids.committee, orgName: '' };
      const create = async (title: string) =>
        (
          await directives.create(drafter, {
            model: { ...SEED_MODEL, title },
            chain: { reviewers: [ids['党建办']], signerId: ids['党委书记'] },
            distribution: { mode: 'ALL' },
          } as never)
        ).id;
      directive.plan = await create('关于报送2018年度工作计划的通知');
      directive.report = await create('关于报送上半年党建工作总结的通知');
      const plan = await prisma.directive.findUniqueOrThrow({ where: { id: directive.plan } });
      await prisma.document.update({ where: { id: plan.documentId }, data: { docNumber: `附委发〔2018〕${Date.now() % 100000}号` } });
      const task = (key: string, data: { kind: 'RECEIPT' | 'APPROVAL'; orgId: string; directiveId: string; assigneeId?: string; status?: 'DONE' }) =>
        prisma.task.create({
          data: {
            key: `${key}:${Date.now()}`,
            title: key,
            kind: data.kind,
            orgId: data.orgId,
            assigneeId: data.assigneeId,
            status: data.status,
            ...ofDirective(data.directiveId),
          },
        });
      // Branch A: the plan (already acknowledged) then the report; branch B: the report only; the staff member: an approval of the plan.
      await task('签收：计划（甲）', { kind: 'RECEIPT', orgId: ids.branchA, directiveId: directive.plan, status: 'DONE' });
      await task('签收：总结（甲）', { kind: 'RECEIPT', orgId: ids.branchA, directiveId: directive.report });
      await task('签收：总结（乙）', { kind: 'RECEIPT', orgId: ids.branchB, directiveId: directive.report });
      await task('核稿：计划', { kind: 'APPROVAL', orgId: ids.committee, directiveId: directive.plan, assigneeId: ids['党建办'] });
    });

    it('lists the directives the caller has tasks for, newest task first, with title and 发文字号', async () => {
      const a = (await as.uploader.get('/api/inbox/directives').expect(200)).body;
      expect(a.map((d: { id: string }) => d.id)).toEqual([directive.report, directive.plan]);
      expect(a[0]).toEqual({ id: directive.report, title: '关于报送上半年党建工作总结的通知', docNumber: null });
      expect(a[1].title).toBe('关于报送2018年度工作计划的通知');
      expect(a[1].docNumber).toMatch(/^附委发〔2018〕\d+号$/);
      // Another person of the same branch sees the branch's tasks.
      expect((await as.colleague.get('/api/inbox/directives').expect(200)).body).toEqual(a);
    });

    it('another branch sees only its own; a committee capacity sees what is assigned to that person', async () => {
      const b = (await as.sibling.get('/api/inbox/directives').expect(200)).body;
      expect(b.map((d: { id: string }) => d.id)).toEqual([directive.report]);
      const staff = (await as.staff.get('/api/inbox/directives').expect(200)).body;
      expect(staff.map((d: { id: string }) => d.id)).toEqual([directive.plan]);
      expect((await as.secretary.get('/api/inbox/directives').expect(200)).body).toEqual([]);
      expect((await as.otherStaff.get('/api/inbox/directives').expect(200)).body).toEqual([]);
    });

    it('a directive chosen from the list filters the inbox to its tasks; a bad filter is named in Chinese', async () => {
      const done = (await as.uploader.get(`/api/inbox?tab=done&directiveId=${directive.plan}`).expect(200)).body.items;
      expect(done.map((t: { title: string }) => t.title)).toEqual([expect.stringMatching(/^签收：计划（甲）/)]);
      expect(done[0].directive).toEqual({
        id: directive.plan,
        document: { id: expect.any(String), title: '关于报送2018年度工作计划的通知', docNumber: expect.stringMatching(/^附委发〔2018〕\d+号$/) },
      });
      expect((await as.uploader.get(`/api/inbox?directiveId=${directive.plan}`).expect(200)).body.items).toEqual([]);
      const todo = (await as.uploader.get(`/api/inbox?directiveId=${directive.report}&kind=RECEIPT`).expect(200)).body.items;
      expect(todo.map((t: { orgId: string }) => t.orgId)).toEqual([ids.branchA]);
      expect(todo[0].directive).toEqual({
        id: directive.report,
        document: { id: expect.any(String), title: '关于报送上半年党建工作总结的通知', docNumber: null },
      });
      const bad = await as.uploader.get('/api/inbox?kind=FOO&directiveId=x');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('类别必须是');
    });
  });
});
