/**
 * 收文 (issue 17, point 1): a branch's list of the directives sent to it, through the real API and workflows — newest
 * first, its own 签收 (已签收 with the time / 待签收 / 逾期) and 填报, 已废止 once revoked, searched by 文号, 年度 and
 * 关键词; each row opens the directive (which leads back to 收文) and its PDF. A branch never sees another branch's.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { Drills } from '../../apps/server/src/tasks/drills';
import { eventually } from '../support/eventually';
import { FilingWorld, issueAnnualPlan, SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker, submitUntilIssued } from '../support/test-app';

const decode = (v: string) =>
  v
    .replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');
const plain = (html: string) =>
  decode(html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The rows of 收文 as shown, in order: the directive, the row's text, the links to the directive and to the PDF. */
function rowsOf(html: string) {
  return [...html.matchAll(/<tr data-directive="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => ({
    id: m[1],
    text: plain(m[2]),
    href: decode(/<a href="([^"]+)" class="doc-title" data-received-link>/.exec(m[2])?.[1] ?? ''),
    pdf: decode(/<a href="([^"]+)" data-received-pdf>/.exec(m[2])?.[1] ?? ''),
  }));
}

describe('收文: the directives sent to a branch', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let w: FilingWorld;
  /** 1: the annual plan to both branches (with a 填报); 2: to 西河村 only; 3: to both, then revoked. */
  const d = { plan: '', west: '', revoked: '' };
  const doc = { plan: '', west: '' };
  let planNumber = '';
  let planSerial = 0;
  let staff: ApiSession;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    // Drill timing (seconds per step): the plan's 签收 is due 15 s after issue, its 填报 20 s.
    w = await issueAnnualPlan(app, prisma, { organCode: `收${Date.now() % 100000}发`, drillSeconds: 5, branchNames: ['东岭村', '西河村'] });
    d.plan = w.directiveId;
    // 东岭村 signs for it at once; 西河村 does not (its 签收 goes overdue).
    const receipt = await eventually(
      async () => (await w.branch[0].get(`/api/inbox?kind=RECEIPT&directiveId=${d.plan}`).expect(200)).body.items[0],
      (t) => !!t,
      30_000,
      '签收待办',
    );
    await w.branch[0].post(`/api/inbox/${receipt.id}/acknowledge`).expect(200);

    const secretaryId = (await prisma.membership.findFirstOrThrow({ where: { orgId: w.committeeId, role: Role.COMMITTEE_SECRETARY } })).personId;
    const issue = async (title: string, distribution: Record<string, unknown>) => {
      const created = await w.drafter
        .post('/api/directives', { model: { ...SEED_MODEL, title }, chain: { reviewers: [w.reviewerId], signerId: secretaryId }, distribution })
        .expect(201);
      await submitUntilIssued(w.drafter, created.body.id, [w.reviewer, w.secretary]);
      await eventually(
        async () => prisma.task.count({ where: { kind: 'RECEIPT', originType: 'directive', originId: created.body.id } }),
        (n) => n === (distribution.mode === 'ALL' ? 2 : 1),
        30_000,
        '分发',
      );
      return created.body.id as string;
    };
    d.west = await issue('关于西河村开展专项整治的通知', { mode: 'LIST', orgIds: [w.branchIds[1]] });
    d.revoked = await issue('关于开展党员冬训工作的通知', { mode: 'ALL' });
    await w.secretary.post(`/api/directives/${d.revoked}/revoke`, { reason: '已被新文件取代' }).expect(200);

    const plan = await prisma.directive.findUniqueOrThrow({ where: { id: d.plan }, include: { document: true } });
    planNumber = plan.document.docNumber as string;
    planSerial = plan.document.serial as number;
    doc.plan = plan.documentId;
    doc.west = (await prisma.directive.findUniqueOrThrow({ where: { id: d.west } })).documentId;
    // The plan's deadlines pass: 西河村's 签收 and 东岭村's 填报 are overdue.
    await eventually(
      async () => prisma.task.findFirst({ where: { kind: 'RECEIPT', originId: d.plan, orgId: w.branchIds[1] }, select: { overdue: true } }),
      (t) => !!t?.overdue,
      60_000,
      '签收逾期',
    );
    await eventually(
      async () => prisma.filing.findFirst({ where: { requirement: { directiveId: d.plan }, orgId: w.branchIds[0] }, select: { overdue: true } }),
      (f) => !!f?.overdue,
      60_000,
      '填报逾期',
    );
    staff = w.drafter;
  }, 240_000);

  afterAll(async () => {
    Drills.clear();
    await worker?.close();
    await app?.close();
  });

  const open = async (s: ApiSession, path: string, status = 200) => (await s.get(path).set('accept', 'text/html').expect(status)).text;

  it('东岭村 sees what was sent to it, newest first: 已废止, and the plan it signed for with its overdue 填报', async () => {
    const rows = rowsOf(await open(w.branch[0], '/received'));
    expect(rows.map((r) => r.id)).toEqual([d.revoked, d.plan]);
    expect(rows[0].text).toContain('关于开展党员冬训工作的通知');
    expect(rows[0].text).toContain('已废止');
    expect(rows[0].text).toContain('无需签收');
    expect(rows[1].text).toContain(planNumber);
    expect(rows[1].text).toContain('关于报送2018年度工作计划的通知');
    expect(rows[1].text).toMatch(/已签收 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(rows[1].text).toContain('2018年度工作计划 待填报（逾期）');
    expect(rows[1].text).not.toContain('已废止');
    // Each row opens the directive, which leads back to 收文, and its PDF.
    expect(rows[1].href).toBe(`/directives/${d.plan}?from=%2Freceived`);
    expect(rows[1].pdf).toBe(`/api/documents/${doc.plan}/pdf`);
    const page = await open(w.branch[0], rows[1].href);
    expect(decode(/<a href="([^"]+)" data-back-received>← 返回收文<\/a>/.exec(page)?.[1] ?? '')).toBe('/received');
    const pdf = await w.branch[0].get(rows[1].pdf).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
  });

  it('西河村 sees its own: the one sent only to it 待签收, the plan 逾期', async () => {
    const rows = rowsOf(await open(w.branch[1], '/received'));
    expect(rows.map((r) => r.id)).toEqual([d.revoked, d.west, d.plan]);
    expect(rows[1].text).toContain('关于西河村开展专项整治的通知');
    expect(rows[1].text).toContain('待签收');
    expect(rows[2].text).toContain('逾期');
    expect(rows[2].text).not.toContain('已签收');
  });

  it('a branch never sees another branch’s directive: not in 收文, not its page, not its PDF', async () => {
    const html = await open(w.branch[0], '/received?q=专项整治');
    expect(rowsOf(html)).toEqual([]);
    expect(html).toContain('没有符合条件的收文。');
    expect(html).not.toContain('西河村开展专项整治');
    await w.branch[0].get(`/directives/${d.west}`).set('accept', 'text/html').expect(404);
    await w.branch[0].get(`/api/documents/${doc.west}/pdf`).expect(404);
    // The committee has its own register; 收文 is the branches'.
    expect((await staff.get('/received').set('accept', 'text/html')).status).toBe(403);
    expect(await open(staff, '/inbox')).not.toContain('href="/received"');
    expect(await open(w.branch[0], '/inbox')).toContain('<a href="/received"');
  });

  it('is searched by 文号, 年度 and 关键词, kept in the address; the way back keeps the search', async () => {
    const ids = async (query: string) => rowsOf(await open(w.branch[1], `/received?${query}`)).map((r) => r.id);
    expect(await ids(`no=${planSerial}`)).toEqual([d.plan]);
    expect(await ids(`no=${encodeURIComponent(planNumber.replace('〔', '[').replace('〕', ']'))}`)).toEqual([d.plan]);
    expect(await ids(`q=${encodeURIComponent('冬训')}`)).toEqual([d.revoked]);
    expect(await ids(`year=${planNumber.match(/〔(\d{4})〕/)?.[1]}`)).toEqual([d.revoked, d.west, d.plan]);
    expect(await ids('year=2001')).toEqual([]);
    const bad = await open(w.branch[1], '/received?year=26', 400);
    expect(bad).toContain('年度须在 2000 至 2100 之间');
    const year = planNumber.match(/〔(\d{4})〕/)?.[1];
    const rows = rowsOf(await open(w.branch[1], `/received?q=${encodeURIComponent('整治')}&year=${year}`));
    expect(rows.map((r) => r.id)).toEqual([d.west]);
    const back = `/received?year=${year}&q=${encodeURIComponent('整治')}`;
    expect(rows[0].href).toBe(`/directives/${d.west}?from=${encodeURIComponent(back)}`);
    const page = await open(w.branch[1], rows[0].href);
    expect(decode(/<a href="([^"]+)" data-back-received>/.exec(page)?.[1] ?? '')).toBe(back);
  });
});
