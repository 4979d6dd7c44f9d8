import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditService } from '../../apps/server/src/audit/audit.service';
import { DocNumberService } from '../../apps/server/src/documents/doc-number.service';
import { DocumentsService } from '../../apps/server/src/documents/documents.service';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { linesOf, readPdfText } from './documents/support/pdf-probe';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

const SEED_000 = fs.readFileSync(path.resolve(__dirname, '../fixtures/seeds/000_7e15f116e830c2af.txt'), 'utf8');

describe('official documents: numbers, signing, archive', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let committee: { id: string; organCode: string | null };
  let staff: ApiSession;
  let secretary: ApiSession;
  let secretaryPerson: { id: string; name: string };
  let staffId: string;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    committee = await makeCommittee(prisma, { name: '中共达州市达川区大滩乡委员会', organCode: `滩${Date.now() % 1000}委发` });
    const staffPerson = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }], '张党建');
    staffId = staffPerson.id;
    secretaryPerson = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }], '王书记');
    staff = new ApiSession(app);
    await staff.login(staffPerson.username, PASSWORD);
    secretary = new ApiSession(app);
    await secretary.login((secretaryPerson as unknown as { username: string }).username, PASSWORD);
  });

  afterAll(async () => app.close());

  it('100 concurrent allocations give exactly 1..100, no gap and no duplicate', async () => {
    const numbers = app.get(DocNumberService);
    const serials = await Promise.all(
      Array.from({ length: 100 }, () => prisma.$transaction((tx) => numbers.allocate(tx, '测并发发', 2017), { timeout: 60_000, maxWait: 60_000 })),
    );
    expect(serials.map((s) => s.serial).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(serials.find((s) => s.serial === 58)?.docNumber).toBe('测并发发〔2017〕58号');
  });

  it('a signing that rolls back gives its number back', async () => {
    const numbers = app.get(DocNumberService);
    await expect(
      prisma.$transaction(async (tx) => {
        await numbers.allocate(tx, '测回滚发', 2017);
        throw new Error('签发失败');
      }),
    ).rejects.toThrow('签发失败');
    const next = await prisma.$transaction((tx) => numbers.allocate(tx, '测回滚发', 2017));
    expect(next.serial).toBe(1);
  });

  it('100 concurrent signings of 100 drafts number them 1..100', async () => {
    const documents = app.get(DocumentsService);
    const own = await makeCommittee(prisma, { organCode: `并${Date.now() % 100000}发` });
    const signer = await makePerson(prisma, [{ orgId: own.id, role: Role.COMMITTEE_SECRETARY }]);
    const actor = { personId: signer.id, name: '书记', membershipId: 'x', role: Role.COMMITTEE_SECRETARY, orgId: own.id, orgName: '' };
    const model = (await staff.post('/api/documents/import-text', { text: SEED_000 }).expect(200)).body.model;
    const code = `并${Date.now() % 1000}发`;
    const drafts = await Promise.all(
      Array.from({ length: 100 }, () => documents.create(actor, { ...model, docNumber: { organCode: code, year: 2017, serial: 1 } })),
    );
    const signed = await Promise.all(drafts.map((d) => documents.sign(actor, d.id)));
    expect(signed.map((d) => d.serial).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(signed.map((d) => d.docNumber)).size).toBe(100);
  });

  it('imports seed 000, signs it, archives the PDF once and serves the same bytes to those allowed', async () => {
    const imported = await staff.post('/api/documents/import-text', { text: SEED_000 }).expect(200);
    expect(imported.body.model.addressee).toBe('各村（社区）党支部，机关、学校党支部');
    const model = {
      ...imported.body.model,
      title: '关于开展“党建扶贫攻坚年”七大行动的实施方案',
      docNumber: { organCode: committee.organCode, year: 2017, serial: 1 },
    };
    const draft = await staff.post('/api/documents', { model }).expect(201);
    expect(draft.body.status).toBe('DRAFT');
    expect((await staff.post(`/api/documents/${draft.body.id}/sign`)).status).toBe(403); // staff cannot sign

    const signed = await secretary.post(`/api/documents/${draft.body.id}/sign`).expect(200);
    expect(signed.body.docNumber).toMatch(new RegExp(`^${committee.organCode}〔\\d{4}〕1号$`));
    expect(signed.body.status).toBe('ISSUED');
    expect((await secretary.post(`/api/documents/${draft.body.id}/sign`)).status).toBe(409);

    const first = await staff.get(`/api/documents/${draft.body.id}/pdf`).buffer(true).parse(binary).expect(200);
    const second = await secretary.get(`/api/documents/${draft.body.id}/pdf`).buffer(true).parse(binary).expect(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    expect(first.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(first.body, second.body)).toBe(0);
    const sha = createHash('sha256').update(first.body).digest('hex');
    expect(first.headers.etag).toBe(`"${sha}"`);
    expect(signed.body.pdfSha256).toBe(sha);
    // the download is the archived file byte for byte, not a new rendering
    const row = await prisma.document.findUniqueOrThrow({ where: { id: draft.body.id }, include: { pdf: true } });
    expect(row.pdfSha256).toBe(sha);
    // A generated PDF is kept in the row itself (uploads go to large objects), written with its document.
    expect(Buffer.compare(Buffer.from(row.pdf!.bytes as Uint8Array), first.body)).toBe(0);
    expect(
      createHash('sha256')
        .update(row.pdf!.bytes as Uint8Array)
        .digest('hex'),
    ).toBe(sha);
    const third = await staff.get(`/api/documents/${draft.body.id}/pdf`).buffer(true).parse(binary).expect(200);
    expect(createHash('sha256').update(third.body).digest('hex')).toBe(sha);
    expect(decodeURIComponent(first.headers['content-disposition'].split("''")[1])).toBe(
      `${signed.body.docNumber} 关于开展“党建扶贫攻坚年”七大行动的实施方案.pdf`,
    );

    // Each download of the issued document is audited: who read it, and in which format.
    const trail = await app.get(AuditService).list({ entityType: 'document', entityId: draft.body.id });
    expect(trail.map((r) => r.action)).toEqual(['document.read', 'document.read', 'document.read', 'document.issue', 'document.sign', 'document.create']);
    expect(trail.slice(0, 3).map((r) => r.actorId)).toEqual([staffId, secretaryPerson.id, staffId]);
    expect(trail[0].data).toEqual({ docNumber: signed.body.docNumber, format: 'pdf' });
    expect(trail[3].actorId).toBe(secretaryPerson.id);
    expect(trail[3].data).toMatchObject({ sha256: sha, docNumber: signed.body.docNumber });

    // Issued means immutable, even to direct SQL.
    await expect(prisma.$executeRawUnsafe(`UPDATE document SET title = '改' WHERE id = '${draft.body.id}'`)).rejects.toThrow('已印发');
    await expect(prisma.$executeRawUnsafe(`UPDATE stored_file SET size = 1 WHERE sha256 = '${sha}'`)).rejects.toThrow('归档文件不可修改');
    expect((await staff.put(`/api/documents/${draft.body.id}`, { model }).expect(409)).body.message).toBe('公文已签发，不能再修改');

    // A branch account, and another township, cannot reach it.
    const branch = await makeBranch(prisma, committee.id);
    const branchPerson = await makePerson(prisma, [{ orgId: branch.id, role: Role.BRANCH_SECRETARY }]);
    const b = new ApiSession(app);
    await b.login(branchPerson.username, PASSWORD);
    expect((await b.get(`/api/documents/${draft.body.id}/pdf`)).status).toBe(404);
  });

  it('signing takes the 印发机关 of the 版记 and the 机关性质 of the separator from the organisation settings', async () => {
    const documents = app.get(DocumentsService);
    const model = (await staff.post('/api/documents/import-text', { text: SEED_000 }).expect(200)).body.model;
    const issued = async (issuerKind: 'PARTY' | 'GOVERNMENT', printingOrgan: string | null) => {
      const org = await makeCommittee(prisma, { organCode: `印${Date.now() % 100000}发` });
      await prisma.organization.update({ where: { id: org.id }, data: { issuerKind, printingOrgan } });
      const signer = await makePerson(prisma, [{ orgId: org.id, role: Role.COMMITTEE_SECRETARY }]);
      const actor = { personId: signer.id, name: '书记', membershipId: 'x', role: Role.COMMITTEE_SECRETARY, orgId: org.id, orgName: org.name };
      const draft = await documents.create(actor, { ...model, issuers: [{ name: org.name }] });
      const signed = await documents.sign(actor, draft.id);
      const { bytes } = await documents.issuePdf(actor, draft.id);
      const file = path.join(os.tmpdir(), `gw-issued-${draft.id}.pdf`);
      fs.writeFileSync(file, bytes);
      const text = readPdfText(file).flatMap((p) => linesOf(p).map((l) => l.text.replace(/\s/g, '')));
      fs.rmSync(file);
      return { org, signed, model: signed.model as { issuers: { kind?: string }[]; printing?: { organ: string; date: string } }, text };
    };
    const party = await issued('PARTY', '中共测试乡委员会办公室');
    const date = party.model.printing!.date;
    expect(party.model.issuers[0].kind).toBe('party');
    expect(party.model.printing).toEqual({ organ: '中共测试乡委员会办公室', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const [y, m, d] = date.split('-').map(Number);
    expect(party.text).toContain(`中共测试乡委员会办公室${y}年${m}月${d}日印发`);
    const government = await issued('GOVERNMENT', null);
    expect(government.model.issuers[0].kind).toBe('government');
    expect(government.model.printing?.organ).toBe(government.org.name); // no 印发机关 set: the organisation's name
  });

  it('a model that fails validation is a 400 listing every bad field in Chinese, and nothing is saved', async () => {
    const before = await prisma.document.count();
    const res = await staff.post('/api/documents', {
      model: { kind: '公告', issuers: [], title: '', body: [{ type: 'paragraph' }], signingOrgans: [], date: '2017-02-30' },
    });
    expect(res.status).toBe(400);
    const fields = res.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['model.kind', 'model.issuers', 'model.title', 'model.date']));
    expect(res.body.fields.every((f: { message: string }) => /[\u4e00-\u9fff]/.test(f.message))).toBe(true);
    expect(await prisma.document.count()).toBe(before);
  });

  it('an empty text is a clear error', async () => {
    const res = await staff.post('/api/documents/import-text', { text: '' });
    expect(res.status).toBe(400);
    expect(res.body.fields[0]).toEqual({ field: 'text', message: '公文文本不能为空' });
  });
});

// supertest hands the raw response to a custom parser; collect the PDF bytes.
function binary(res: import('superagent').Response, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
