/**
 * A directive's attachment files and its 成文日期, through the real API, Temporal workflow, PostgreSQL and Chromium:
 * the files are named in the PDF's 附件说明 in the order given (no near-empty 附件 page), linked to the issued
 * document at signing and never changeable after it, downloadable by the branches it was sent to; the 成文日期
 * printed is the one the drafter typed, not the day it was signed.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { SEED_MODEL } from '../support/filing-world';
import { ApiSession, startApp, startWorker, submitUntilIssued, withOwner } from '../support/test-app';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PLAN = Buffer.from('%PDF-1.4\n% 七大行动任务分解表\n');
const LIST = Buffer.from('%PDF-1.4\n% 联系人名单\n');
/** A 成文日期 that is not today (the day it is signed). */
const TYPED_DATE = '2026-01-05';

describe('directive attachments and 成文日期', () => {
  let app: NestExpressApplication;
  let worker: INestApplicationContext;
  let prisma: PrismaService;
  let drafter: ApiSession;
  let reviewer: ApiSession;
  let secretary: ApiSession;
  let branch: ApiSession;
  let outsider: ApiSession;
  let reviewerId: string;
  let secretaryId: string;

  const login = async (orgId: string, role: Role, name: string) => {
    const p = await makePerson(prisma, [{ orgId, role }], name);
    const s = new ApiSession(app);
    expect((await s.login(p.username, PASSWORD)).status).toBe(200);
    return { id: p.id, s };
  };
  const upload = async (s: ApiSession, bytes: Buffer, filename: string) => {
    const res = await s.agent.post('/api/files').set('x-csrf-token', s.csrfToken).attach('file', bytes, { filename, contentType: 'application/pdf' });
    expect(res.status).toBe(201);
    return res.body as { name: string; sha256: string; size: number; mimeType: string };
  };
  const draft = (attachments: unknown[], date = TYPED_DATE) =>
    drafter.post('/api/directives', {
      model: { ...SEED_MODEL, title: '关于报送年度工作计划的通知', date, attachments },
      chain: { reviewers: [reviewerId], signerId: secretaryId },
      distribution: { mode: 'ALL' },
    });

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    worker = await startWorker();
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `附${Date.now() % 100000}发` });
    drafter = (await login(committee.id, Role.COMMITTEE_STAFF, '张党建')).s;
    ({ id: reviewerId, s: reviewer } = await login(committee.id, Role.COMMITTEE_STAFF, '李审核'));
    ({ id: secretaryId, s: secretary } = await login(committee.id, Role.COMMITTEE_SECRETARY, '王书记'));
    const b = await makeBranch(prisma, committee.id);
    branch = (await login(b.id, Role.BRANCH_SECRETARY, '村书记')).s;
    const other = await makeCommittee(prisma, { name: '中共别的乡委员会', organCode: `别${Date.now() % 100000}发` });
    outsider = (await login((await makeBranch(prisma, other.id)).id, Role.BRANCH_SECRETARY, '别村书记')).s;
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await app?.close();
  });

  it('refuses a file that was never uploaded, or that someone outside the committee uploaded, naming the attachment', async () => {
    const forged = { name: '表.pdf', sha256: 'e'.repeat(64), size: 10, mimeType: 'application/pdf' };
    const refused = await draft([{ title: '任务分解表', file: forged }]);
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([{ field: 'model.attachments[0].file', message: '附件“任务分解表”的文件“表.pdf”尚未上传或内容不符，请重新上传' }]);
    const theirs = await upload(branch, Buffer.from('%PDF-1.4\n% 支部的文件\n'), '支部.pdf');
    expect((await draft([{ title: '支部的文件', file: theirs }])).status).toBe(400);
  });

  it('prints the typed 成文日期 and the 附件说明 in the order given, archives the files with the issued document, and lets the branch download them', async () => {
    const plan = await upload(drafter, PLAN, '任务分解表.pdf');
    const list = await upload(drafter, LIST, '名单.pdf');
    const created = await draft([
      { title: '“党建扶贫攻坚年”七大行动任务分解表', file: plan },
      { title: '各村联系人名单', file: list },
    ]);
    expect(created.status).toBe(201);
    const directiveId = created.body.id as string;
    await submitUntilIssued(drafter, directiveId, [reviewer, secretary]);

    const d = await prisma.directive.findUniqueOrThrow({ where: { id: directiveId }, include: { document: { include: { attachments: true } } } });
    expect((d.document.model as { date: string }).date).toBe(TYPED_DATE);
    expect(d.document.attachments.sort((a, b) => a.seq - b.seq).map((a) => [a.seq, a.title, a.name, a.sha256])).toEqual([
      [1, '“党建扶贫攻坚年”七大行动任务分解表', '任务分解表.pdf', sha(PLAN)],
      [2, '各村联系人名单', '名单.pdf', sha(LIST)],
    ]);

    const pdf = await drafter.get(`/api/documents/${d.documentId}/pdf`).buffer(true).parse(binary).expect(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-attach-')), 'd.pdf');
    fs.writeFileSync(file, pdf.body as Buffer);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    const lines = text.split('\n').map((l) => l.replace(/\s+/g, ''));
    expect(lines).toContain('2026年1月5日');
    const notes = lines.findIndex((l) => l.startsWith('附件：'));
    expect(lines[notes]).toBe('附件：1.“党建扶贫攻坚年”七大行动任务分解表');
    expect(lines[notes + 1]).toBe('2.各村联系人名单');
    // The files are carried beside the PDF: no page that holds nothing but “附件1” and a name.
    expect(lines.filter((l) => /^附件\d$/.test(l))).toEqual([]);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())?.[1]);
    expect(text.split('\f').filter((p) => p.trim()).length).toBe(pages);

    // The branch it was sent to downloads each file under its uploaded name; the opening is audited.
    const got = await branch.get(`/api/documents/${d.documentId}/attachments/2`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(got.body as Buffer, LIST)).toBe(0);
    expect(got.headers['content-disposition']).toContain(encodeURIComponent('名单.pdf'));
    expect(await prisma.auditLog.count({ where: { action: 'document.attachment.read', entityId: d.documentId } })).toBe(1);
    await branch.get(`/api/documents/${d.documentId}/attachments/3`).expect(404);
    await branch.get(`/api/documents/${d.documentId}/attachments/x`).expect(404);
    await outsider.get(`/api/documents/${d.documentId}/attachments/1`).expect(404);

    // After issue nothing about them changes: not through the API, not in the database (as the app or as the owner).
    expect((await drafter.put(`/api/directives/${directiveId}`, { model: { ...(d.document.model as object), attachments: [] } })).status).toBe(409);
    await expect(prisma.documentAttachment.updateMany({ where: { documentId: d.documentId }, data: { sha256: sha(LIST) } })).rejects.toThrow();
    await expect(prisma.documentAttachment.deleteMany({ where: { documentId: d.documentId } })).rejects.toThrow();
    await withOwner(async (owner) => {
      await expect(owner.query(`UPDATE document_attachment SET title = 'x' WHERE document_id = $1`, [d.documentId])).rejects.toThrow(/不能修改或删除/);
      await expect(owner.query(`DELETE FROM document_attachment WHERE document_id = $1`, [d.documentId])).rejects.toThrow(/不能修改或删除/);
      await expect(
        owner.query(
          `INSERT INTO document_attachment (document_id, seq, title, name, sha256, mime_type, size) VALUES ($1, 3, 'x', 'x.pdf', $2, 'application/pdf', 1)`,
          [d.documentId, sha(PLAN)],
        ),
      ).rejects.toThrow(/不能再增加/);
    });
    expect(await prisma.documentAttachment.count({ where: { documentId: d.documentId } })).toBe(2);
  }, 120_000);
});

function binary(res: import('superagent').Response, done: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
