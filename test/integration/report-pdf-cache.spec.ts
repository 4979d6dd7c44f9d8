/**
 * The filings 通报 (a report rendered from records) is rendered once per state of the records and then served from
 * the archive: two downloads are the same bytes with one render, a change to a filing gives a new PDF. Real
 * PostgreSQL, Temporal dev server and Chromium.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';
import { RendererService } from '../../apps/server/src/documents/renderer.service';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { eventually } from '../support/eventually';
import { issueAnnualPlan } from '../support/filing-world';
import { ApiSession, startApp, startWorker } from '../support/test-app';
import { linesOf, readPdfText } from './documents/support/pdf-probe';

const PLAN = {
  year: 2018,
  goals: '全面完成“党建扶贫攻坚年”七大行动各项任务。',
  actions: ['leadership'],
  tasks: [{ task: '优化班子结构', owner: '刘大滩', dueDate: '2018-06-30', outcome: '班子配齐配强' }],
  budget: 3.5,
  contactName: '刘大滩',
  contactPhone: '13800000001',
};

const binary = (res: request.Response, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function pdfText(bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-pdf-'));
  const file = path.join(dir, 'r.pdf');
  fs.writeFileSync(file, bytes);
  const text = readPdfText(file)
    .flatMap((p) => linesOf(p).map((l) => l.text))
    .join('')
    .replace(/\s+/g, '');
  fs.rmSync(dir, { recursive: true, force: true });
  return text;
}

describe('report PDFs rendered once per state', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let requirementId: string;
  let drafter: ApiSession;
  let reviewer: ApiSession;
  let branch: ApiSession[];
  let branchIds: string[];
  let renders = 0;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    // A deadline far off (4 × 10 min), so no branch becomes overdue (a change of state) during the suite.
    ({ requirementId, drafter, reviewer, branch, branchIds } = await issueAnnualPlan(app, prisma, {
      organCode: `缓${Date.now() % 100000}发`,
      drillSeconds: 600,
      branchNames: ['中共大滩村支部委员会', '中共柏林村支部委员会'],
    }));
    // Count the server's real renders (Chromium still renders; this only counts the calls).
    const renderer = app.get(RendererService);
    const pdf = renderer.pdf.bind(renderer);
    renderer.pdf = async (...args: Parameters<RendererService['pdf']>) => {
      renders++;
      return pdf(...args);
    };
  });

  afterAll(async () => {
    await worker.close();
    await app.close();
  });

  const download = async () => {
    const res = await drafter.get(`/api/requirements/${requirementId}/filings.pdf`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    return res.body as Buffer;
  };
  const archived = () => prisma.reportPdf.findMany({ where: { kind: 'filings.summary', subjectId: requirementId }, orderBy: { createdAt: 'asc' } });

  it('two downloads of the same state are the same bytes, rendered once and kept in the archive', async () => {
    const first = await download();
    const second = await download();
    expect(sha256(second)).toBe(sha256(first));
    expect(second.equals(first)).toBe(true);
    expect(renders).toBe(1);
    const rows = await archived();
    expect(rows).toHaveLength(1);
    expect(rows[0].pdfSha256).toBe(sha256(first));
    const stored = await prisma.storedFile.findUniqueOrThrow({ where: { sha256: rows[0].pdfSha256 } });
    expect(Buffer.from(stored.bytes as Uint8Array).equals(first)).toBe(true);
    expect(stored.mimeType).toBe('application/pdf');
    expect(pdfText(first)).toContain('应报支部2个，已通过0个，已提交待审核0个');
  });

  it('a filing submitted and then accepted gives a new 通报 each time; the earlier ones stay archived', async () => {
    const before = await download();
    const filing = await eventually(
      () => prisma.filing.findFirst({ where: { requirementId, orgId: branchIds[0] } }),
      (f) => !!f,
      30_000,
      '填报任务',
    );
    await branch[0].post(`/api/filings/${filing!.id}/submit`, { values: PLAN }).expect(200);
    const submitted = await download();
    expect(submitted.equals(before)).toBe(false);
    expect(pdfText(submitted)).toContain('已通过0个，已提交待审核1个');
    expect((await download()).equals(submitted)).toBe(true);
    expect(renders).toBe(2);

    await reviewer.post(`/api/filings/${filing!.id}/review`, { decision: 'ACCEPT', comment: '同意' }).expect(200);
    const accepted = await download();
    expect(accepted.equals(submitted)).toBe(false);
    expect(pdfText(accepted)).toContain('已通过1个，已提交待审核0个');
    expect(renders).toBe(3);

    const rows = await archived();
    expect(rows.map((r) => r.pdfSha256)).toEqual([sha256(before), sha256(submitted), sha256(accepted)]);
    expect(new Set(rows.map((r) => r.stateSha256)).size).toBe(3);
  });

  it('simultaneous first downloads of a new state render it once', async () => {
    await prisma.reportPdf.deleteMany({ where: { kind: 'filings.summary', subjectId: requirementId } });
    const start = renders;
    const [a, b, c] = await Promise.all([download(), download(), download()]);
    expect(b.equals(a) && c.equals(a)).toBe(true);
    expect(renders - start).toBe(1);
    expect(await archived()).toHaveLength(1);
  });
});
