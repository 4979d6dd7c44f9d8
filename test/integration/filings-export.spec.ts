/** The committee's exports of a requirement on the real Temporal dev server: the table and all submissions as Excel, and a PDF 通报 through the documents renderer. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';
import { importText } from '../../apps/server/src/documents/import';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from '../support/eventually';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp, startWorker } from '../support/test-app';
import { linesOf, readPdfText } from './documents/support/pdf-probe';

const MODEL = {
  ...importText(fs.readFileSync(path.resolve(__dirname, '../../../shared/seeds/000_7e15f116e830c2af.txt'), 'utf8')).model,
  title: '关于报送2018年度工作计划的通知',
};
const GOALS = '全面完成“党建扶贫攻坚年”七大行动各项任务。';
const PLAN = {
  year: 2018,
  goals: GOALS,
  actions: ['leadership', 'industry'],
  tasks: [
    { task: '优化班子结构', owner: '刘大滩', dueDate: '2018-06-30', outcome: '班子配齐配强' },
    { task: '发展核桃产业', owner: '陈支书', dueDate: '2018-10-31', outcome: '新增种植200亩' },
  ],
  budget: 3.5,
  contactName: '刘大滩',
  contactPhone: '13800000001',
};
const BRANCH_NAMES = ['中共大滩村支部委员会', '中共柏林村支部委员会', '中共新华社区支部委员会'];

/** supertest: collect a binary body into a Buffer. */
const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('committee exports of a requirement', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let requirementId: string;
  let drafter: ApiSession;
  let reviewer: ApiSession;
  const branch: ApiSession[] = [];
  const branchIds: string[] = [];

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `导${Date.now() % 100000}发` });
    const staff = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    const rev = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '李审核');
    const sec = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记');
    const secretary = new ApiSession(app);
    for (const [s, p] of [
      [(drafter = new ApiSession(app)), staff],
      [(reviewer = new ApiSession(app)), rev],
      [secretary, sec],
    ] as const)
      await s.login(p.username, PASSWORD);
    for (let i = 0; i < 3; i++) {
      const b = await makeBranch(prisma, committee.id, undefined, BRANCH_NAMES[i]);
      await prisma.organization.update({ where: { id: b.id }, data: { sortOrder: i + 1 } });
      branchIds.push(b.id);
      const p = await makePerson(prisma, [{ orgId: b.id, role: Role.BRANCH_SECRETARY }], `书记${i}`);
      const s = new ApiSession(app);
      await s.login(p.username, PASSWORD);
      branch.push(s);
    }

    // Drill timing: the deadline is 4 × 30 s after issue, long enough for this suite to submit and review in time.
    const created = await drafter
      .post('/api/directives', {
        model: MODEL,
        chain: { reviewers: [rev.id], signerId: sec.id },
        distribution: { mode: 'ALL' },
        reminderAfterSeconds: 30,
        requirements: [{ title: '2018年度工作计划', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 }],
      })
      .expect(201);
    const id = created.body.id;
    await drafter.post(`/api/directives/${id}/submit`).expect(200);
    const step = async (s: ApiSession) =>
      (
        await eventually(
          async () => (await s.get(`/api/inbox?kind=APPROVAL&directiveId=${id}`)).body.items,
          (i) => i.length > 0,
        )
      )[0].data.stepId;
    await reviewer.post(`/api/directives/${id}/decisions`, { stepId: await step(reviewer), decision: 'APPROVE', comment: '', version: 1 }).expect(200);
    await secretary.post(`/api/directives/${id}/decisions`, { stepId: await step(secretary), decision: 'APPROVE', comment: '', version: 1 }).expect(200);
    await eventually(
      async () => (await drafter.get(`/api/directives/${id}`)).body.status,
      (s) => s === 'ISSUED',
      60_000,
      '印发',
    );
    requirementId = (await prisma.requirement.findFirstOrThrow({ where: { directiveId: id } })).id;

    // The first branch submits and is accepted; the others have not filed yet.
    const filing = await eventually(
      () => prisma.filing.findFirst({ where: { requirementId, orgId: branchIds[0] } }),
      (f) => !!f,
      30_000,
      '填报任务',
    );
    await branch[0].post(`/api/filings/${filing!.id}/submit`, { values: PLAN }).expect(200);
    await reviewer.post(`/api/filings/${filing!.id}/review`, { decision: 'ACCEPT', comment: '同意' }).expect(200);
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  it('the xlsx has the committee table (汇总) and every submission by field label (填报内容)', async () => {
    const res = await drafter.get(`/api/requirements/${requirementId}/filings.xlsx`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="filings.xlsx"; filename*=UTF-8''${encodeURIComponent('2018年度工作计划-填报汇总.xlsx')}`,
    );

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '填报内容']);
    const rows = (name: string) => {
      const out: string[][] = [];
      wb.getWorksheet(name)!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === undefined || v === null ? '' : String(v)))));
      return out;
    };

    const summary = rows('汇总');
    expect(summary[0]).toEqual(['序号', '支部', '状态', '期限', '提交时间', '提交次数', '审核人', '逾期', '逾期工作日']);
    expect(summary.slice(1, 4).map((r) => [r[1], r[2], r[6]])).toEqual([
      [BRANCH_NAMES[0], '已通过', '李审核'],
      [BRANCH_NAMES[1], '待填报', ''],
      [BRANCH_NAMES[2], '待填报', ''],
    ]);
    // Times in Asia/Shanghai, as the committee reads them.
    const f0 = await prisma.filing.findFirstOrThrow({ where: { requirementId, orgId: branchIds[0] } });
    const sh = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(summary[1][3]).toBe(sh(f0.deadlineAt));
    expect(summary[1][4]).toBe(sh(f0.submittedAt!));
    expect(summary[summary.length - 1][1]).toContain('合计 3 个支部：已通过 1');

    const content = rows('填报内容');
    expect(content[0]).toEqual([
      '支部',
      '状态',
      '版本',
      '提交时间',
      '计划年度（年）',
      '年度目标',
      '对应行动',
      '计划脱贫户数（户）',
      '经费预算（万元）',
      '填报人',
      '联系电话',
      '附件',
      '重点任务·序号',
      '重点任务·任务',
      '重点任务·责任人',
      '重点任务·完成时限',
      '重点任务·预期成效',
    ]);
    // One row per row of the branch's task table; only the branch that submitted appears.
    expect(content).toHaveLength(3);
    const byHeader = (r: string[]) => Object.fromEntries(content[0].map((h, i) => [h, r[i] ?? '']));
    expect(byHeader(content[1])).toMatchObject({
      支部: BRANCH_NAMES[0],
      状态: '已通过',
      版本: '1',
      '计划年度（年）': '2018',
      年度目标: GOALS,
      对应行动: '班子引领行动、产业惠民行动',
      '经费预算（万元）': '3.5',
      填报人: '刘大滩',
      '重点任务·序号': '1',
      '重点任务·任务': '优化班子结构',
      '重点任务·完成时限': '2018-06-30',
    });
    expect(byHeader(content[2])).toMatchObject({ 支部: BRANCH_NAMES[0], '重点任务·序号': '2', '重点任务·任务': '发展核桃产业', '重点任务·责任人': '陈支书' });
  });

  it('the PDF 通报 is rendered by the documents service with the title, the counts and each branch', async () => {
    const res = await drafter.get(`/api/requirements/${requirementId}/filings.pdf`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('2018年度工作计划-填报情况通报.pdf')}`);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'filings-export-')), 'summary.pdf');
    fs.writeFileSync(file, pdf);
    const text = readPdfText(file)
      .flatMap((p) => linesOf(p).map((l) => l.text))
      .join('\n')
      .replace(/\s+/g, '');
    expect(text).toContain('关于《2018年度工作计划》填报情况的通报');
    expect(text).toContain('应报支部3个，已通过1个');
    for (const name of BRANCH_NAMES) expect(text).toContain(name);
    expect(text).toContain('已通过');
    expect(text).toContain('待填报');
    // A live summary: nothing archived for it.
    expect(await prisma.document.count({ where: { title: { contains: '填报情况的通报' } } })).toBe(0);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('a branch secretary gets 404 for both exports', async () => {
    for (const ext of ['xlsx', 'pdf']) {
      const res = await branch[0].get(`/api/requirements/${requirementId}/filings.${ext}`);
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('填报要求');
    }
  });
});
