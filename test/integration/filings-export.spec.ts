/** The committee's exports of a requirement on the real Temporal dev server: the table and all submissions as Excel, and a PDF 通报 through the documents renderer. */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from '../support/eventually';
import { issueAnnualPlan } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';
import { linesOf, readPdfText } from './documents/support/pdf-probe';

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
  let branch: ApiSession[];
  let branchIds: string[];

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    // Drill timing: the deadline is 4 × 30 s after issue, long enough for this suite to submit and review in time.
    ({ requirementId, drafter, reviewer, branch, branchIds } = await issueAnnualPlan(app, prisma, {
      organCode: `导${Date.now() % 100000}发`,
      drillSeconds: 30,
      branchNames: BRANCH_NAMES,
    }));

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
