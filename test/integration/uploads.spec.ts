/**
 * Uploads (issue 15): checked by their content, streamed to the store (a 20 MB file is really stored, and memory stays
 * flat while it is), counted against daily quotas per person and per organisation, and removed when no saved record
 * referred to them within the grace period.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import JSZip from 'jszip';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AuditService } from '../../apps/server/src/audit/audit.service';
import { AppConfig } from '../../apps/server/src/config/app-config';
import { FilesService } from '../../apps/server/src/files/files.service';
import { UploadCleanupService } from '../../apps/server/src/files/upload-cleanup.service';
import { MAX_UPLOAD_BYTES } from '../../apps/server/src/files/upload-interceptor';
import { OrgKind, Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeBranch, makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { minimalPdf, tinyPng } from '../support/files';
import { ApiSession, startApp } from '../support/test-app';

const ROOT = join(__dirname, '../..');
const JPEG = readFileSync(join(ROOT, 'test/fixtures/site-photo.jpg'));
const MB = 1024 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A PDF of exactly `size` bytes (a PDF header, then random bytes), written to a temporary file piece by piece. */
function bigPdfFile(size: number): { path: string; sha256: string } {
  const path = join(tmpdir(), `dangjian-test-big-${randomUUID()}.pdf`);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  const head = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  writeSync(fd, head);
  hash.update(head);
  for (let left = size - head.length; left > 0;) {
    const piece = randomBytes(Math.min(left, MB));
    writeSync(fd, piece);
    hash.update(piece);
    left -= piece.length;
  }
  closeSync(fd);
  return { path, sha256: hash.digest('hex') };
}

describe('uploads', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let branchId: string;
  let otherBranchId: string;
  const as: Record<string, ApiSession> = {};
  const ids: Record<string, string> = {};
  const temp: string[] = [];

  const session = async (orgId: string, role: Role, name: string) => {
    const p = await makePerson(prisma, [{ orgId, role }], name);
    const s = new ApiSession(app);
    expect((await s.login(p.username, PASSWORD)).status).toBe(200);
    ids[name] = p.id;
    return s;
  };
  const upload = (s: ApiSession, file: Buffer | string, filename: string, contentType: string, path = '/api/files') =>
    s.agent.post(path).set('x-csrf-token', s.csrfToken).attach('file', file, { filename, contentType });
  /** Downloads and hashes the body as it arrives (the test does not hold 20 MB either). */
  const downloadHash = (s: ApiSession, path: string) =>
    s
      .get(path)
      .buffer(true)
      .parse((res, done) => {
        const hash = createHash('sha256');
        let size = 0;
        res.on('data', (c: Buffer) => {
          hash.update(c);
          size += c.length;
        });
        res.on('end', () => done(null, { sha256: hash.digest('hex'), size }));
      });

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    const committee = await makeCommittee(prisma, { name: '中共上传乡委员会', organCode: `传${Date.now() % 100000}发` });
    branchId = (await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共上传乡东村支部委员会')).id;
    otherBranchId = (await makeBranch(prisma, committee.id, OrgKind.VILLAGE, '中共上传乡西村支部委员会')).id;
    as.branch = await session(branchId, Role.BRANCH_STAFF, '东村支部');
    as.quota = await session(branchId, Role.BRANCH_SECRETARY, '东村书记');
    as.west = await session(otherBranchId, Role.BRANCH_STAFF, '西村支部');
    as.inspector = await session(committee.id, Role.INSPECTOR, '督查员');
  });

  afterAll(async () => {
    for (const p of temp) rmSync(p, { force: true });
    await app.close();
  });

  describe('checked by content', () => {
    it('text bytes declared as a PNG are refused, naming the file and what it is; nothing is stored', async () => {
      const fake = Buffer.from(`这不是图片 ${randomUUID()}`);
      const res = await upload(as.branch, fake, '活动照片.png', 'image/png').expect(400);
      expect(res.body.fields).toEqual([
        { field: 'file', message: '附件“活动照片.png”的内容不是图片（看起来是文本），请上传真正的JPG、PNG、WebP、HEIC、GIF 图片' },
      ]);
      expect(res.body.message).toContain('附件“活动照片.png”的内容不是图片');
      expect(await prisma.storedFile.findUnique({ where: { sha256: sha256(fake) } })).toBeNull();
    });

    it('a real JPEG, PNG, PDF, Word document and CSV are accepted and stored under their own type', async () => {
      const png = tinyPng(1);
      const docx = await new JSZip()
        .file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        .file('word/document.xml', `<w:document>${randomUUID()}</w:document>`)
        .generateAsync({ type: 'nodebuffer' });
      const csv = Buffer.from(`支部,人数\n东村,${Date.now()}\n`);
      const cases: [Buffer, string, string, string][] = [
        [JPEG, '现场.jpg', 'image/jpeg', 'image/jpeg'],
        [png, '截图.png', 'image/png', 'image/png'],
        [minimalPdf(randomUUID()), '计划.pdf', 'application/pdf', 'application/pdf'],
        [docx, '总结.docx', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
        [csv, '名单.csv', 'application/vnd.ms-excel', 'text/csv'],
      ];
      for (const [bytes, name, declared, stored] of cases) {
        const res = await upload(as.branch, bytes, name, declared);
        expect(`${name} → ${res.status}`).toBe(`${name} → 201`);
        expect(res.body).toEqual({ name, mimeType: stored, size: bytes.length, sha256: sha256(bytes) });
      }
    });

    it('a name that says one type and a declared type that says another, a page, and a PDF sent as a photo are refused', async () => {
      const pdf = minimalPdf(randomUUID());
      const mismatch = await upload(as.branch, pdf, '照片.png', 'application/pdf').expect(400);
      expect(mismatch.body.fields[0].message).toBe('附件“照片.png”的文件名表明是PNG 图片，但浏览器报告的类型与之不符，请确认文件后重新上传');
      const exe = await upload(as.branch, Buffer.from('MZ\x90\x00'), 'setup.exe', 'application/x-msdownload').expect(400);
      expect(exe.body.fields[0].message).toMatch(/^附件“setup\.exe”的类型不能上传，只接受PDF 文件、Word 文档、Excel 表格/);
      const photo = await upload(as.inspector, pdf, '现场.pdf', 'application/pdf', '/api/files?for=photo').expect(400);
      expect(photo.body.fields[0].message).toBe('照片“现场.pdf”的类型不能上传，只接受JPG、PNG、WebP、HEIC、GIF 图片');
      await upload(as.inspector, JPEG, '现场.jpg', 'image/jpeg', '/api/files?for=photo').expect(201);
    });

    it('a saved record may not claim another type for a stored file', async () => {
      const pdf = minimalPdf(randomUUID());
      const up = (await upload(as.branch, pdf, '计划.pdf', 'application/pdf').expect(201)).body;
      const files = app.get(FilesService);
      await expect(
        files.assertStored([{ field: 'attachments[0]', ref: { ...up, name: '计划.png', mimeType: 'image/png' }, label: '附件' }]),
      ).rejects.toMatchObject({
        fields: [{ field: 'attachments[0]', message: '“附件”中的文件“计划.png”尚未上传或内容不符，请重新上传' }],
      });
      await expect(files.assertStored([{ field: 'attachments[0]', ref: up, label: '附件' }])).resolves.toBeUndefined();
    });
  });

  describe('streamed', () => {
    it('a 20 MB file is stored and downloaded back with the same SHA-256; one byte more is refused naming the limit', async () => {
      const big = bigPdfFile(MAX_UPLOAD_BYTES);
      temp.push(big.path);
      const up = await upload(as.branch, big.path, '二十兆.pdf', 'application/pdf');
      expect(up.status).toBe(201);
      expect(up.body).toEqual({ name: '二十兆.pdf', mimeType: 'application/pdf', size: MAX_UPLOAD_BYTES, sha256: big.sha256 });
      const row = await prisma.storedFile.findUniqueOrThrow({ where: { sha256: big.sha256 }, select: { bytes: true, loOid: true, size: true } });
      expect(row).toMatchObject({ bytes: null, size: MAX_UPLOAD_BYTES });
      expect(row.loOid).not.toBeNull();
      const down = await downloadHash(as.branch, `/api/files/${big.sha256}`);
      expect(down.status).toBe(200);
      expect(down.headers['content-length']).toBe(String(MAX_UPLOAD_BYTES));
      expect(down.body).toEqual({ sha256: big.sha256, size: MAX_UPLOAD_BYTES });

      const over = bigPdfFile(MAX_UPLOAD_BYTES + 1);
      temp.push(over.path);
      const refused = await upload(as.west, over.path, '超大.pdf', 'application/pdf');
      expect(refused.status).toBe(413);
      expect(refused.body.message).toBe('附件“超大.pdf”超过 20 MB 的上限，请压缩或拆分后再上传');
      expect(await prisma.storedFile.findUnique({ where: { sha256: over.sha256 } })).toBeNull();
    });

    it('memory stays flat around a 20 MB upload: what the process keeps afterwards is a small part of the file', async () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      // Array buffers are swept after a collection, concurrently: collect until their count has settled.
      const settled = async () => {
        for (let i = 0; i < 4; i++) {
          gc();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return process.memoryUsage();
      };
      const big = bigPdfFile(MAX_UPLOAD_BYTES);
      temp.push(big.path);
      // One upload first, so what any first use allocates once (pools, compiled code) is not counted.
      await upload(as.west, minimalPdf(randomUUID()), '预热.pdf', 'application/pdf').expect(201);
      const before = await settled();
      await upload(as.west, big.path, '内存.pdf', 'application/pdf').expect(201);
      const after = await settled();
      // The old upload held the file whole and sent it as one query parameter: the process grew by ~200 MB and kept it.
      expect((after.arrayBuffers - before.arrayBuffers) / MB).toBeLessThan(4);
      expect((after.rss - before.rss) / MB).toBeLessThan(10);
    });
  });

  describe('quotas', () => {
    it('over the person’s daily quota an upload is refused saying the quota and what is used; under it, it is stored and audited', async () => {
      const first = tinyPng(2);
      const up = (await upload(as.quota, first, '第一张.png', 'image/png').expect(201)).body;
      const audit = await prisma.auditLog.findFirst({ where: { action: 'file.upload', entityId: up.sha256, actorId: ids['东村书记'] } });
      expect(audit?.data).toEqual({ name: '第一张.png', size: first.length, mimeType: 'image/png' });
      // Earlier today this person uploaded almost all of the default 200 MB.
      await prisma.fileUpload.create({ data: { sha256: up.sha256, personId: ids['东村书记'], orgId: otherBranchId, size: 200 * MB - first.length - 10 } });
      const second = tinyPng(3);
      const refused = await upload(as.quota, second, '第二张.png', 'image/png');
      expect(refused.status).toBe(413);
      expect(refused.body.message).toBe(`附件“第二张.png”（0.0 MB）超出上传额度：您每天最多上传 200 MB，今天已上传 200.0 MB，请明天再传或请管理员调整额度`);
      expect(await prisma.storedFile.findUnique({ where: { sha256: sha256(second) } })).toBeNull();
    });

    it('over the organisation’s daily quota anyone of it is refused', async () => {
      const up = (await upload(as.west, tinyPng(4), '西村.png', 'image/png').expect(201)).body;
      await prisma.fileUpload.create({ data: { sha256: up.sha256, personId: randomUUID(), orgId: otherBranchId, size: 1000 * MB } });
      const refused = await upload(as.west, tinyPng(5), '又一张.png', 'image/png');
      expect(refused.status).toBe(413);
      expect(refused.body.message).toMatch(
        /^附件“又一张\.png”（0\.0 MB）超出上传额度：本组织（中共上传乡西村支部委员会）每天最多上传 1000 MB，今天已上传 \d+\.\d MB，/,
      );
    });
  });

  describe('cleanup of unattached uploads', () => {
    it('removes an upload no record referred to after the grace period, keeps a referenced one and a recent one', async () => {
      const files = app.get(FilesService);
      const cleanup = new UploadCleanupService(prisma, app.get(AuditService), app.get(AppConfig));
      const orphan = (await upload(as.branch, tinyPng(10), '没用上.png', 'image/png').expect(201)).body;
      const kept = (await upload(as.branch, tinyPng(11), '用上了.png', 'image/png').expect(201)).body;
      const recent = (await upload(as.branch, tinyPng(12), '刚传的.png', 'image/png').expect(201)).body;
      await files.assertStored([{ field: 'attachments[0]', ref: kept, label: '附件' }]);
      const long = new Date(Date.now() - (72 + 1) * 3600_000);
      await prisma.storedFile.updateMany({ where: { sha256: { in: [orphan.sha256, kept.sha256] } }, data: { uploadedAt: long } });
      const { loOid } = await prisma.storedFile.findUniqueOrThrow({ where: { sha256: orphan.sha256 } });

      // Content a crash left without its row (written, then the process died before the row's transaction).
      const [{ stray }] = await prisma.$queryRaw<{ stray: string }[]>`SELECT lo_create(0)::text AS stray`;
      await prisma.$executeRawUnsafe(`COMMENT ON LARGE OBJECT ${Number(stray)} IS 'upload ${new Date(Date.now() - 2 * 3600_000).toISOString()}'`);

      const swept = await cleanup.sweep();
      expect(swept.strays).toBeGreaterThanOrEqual(1);
      const [{ left }] = await prisma.$queryRaw<{ left: number }[]>`SELECT count(*)::int AS left FROM pg_largeobject_metadata WHERE oid = ${stray}::oid`;
      expect(left).toBe(0);

      expect(await prisma.storedFile.findUnique({ where: { sha256: orphan.sha256 } })).toBeNull();
      const [{ n }] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_largeobject_metadata WHERE oid = ${loOid}::oid`;
      expect(n).toBe(0);
      const removed = await prisma.auditLog.findFirst({ where: { action: 'file.remove', entityId: orphan.sha256 } });
      expect(removed).toMatchObject({ actorId: null, data: expect.objectContaining({ size: orphan.size }) });
      for (const f of [kept, recent]) {
        const down = await downloadHash(as.branch, `/api/files/${f.sha256}`);
        expect(down.body).toEqual({ sha256: f.sha256, size: f.size });
      }
      // A form saved afterwards with the removed file is told to upload it again.
      await expect(files.assertStored([{ field: 'attachments[0]', ref: orphan, label: '附件' }])).rejects.toMatchObject({
        fields: [{ field: 'attachments[0]', message: '“附件”中的文件“没用上.png”尚未上传或内容不符，请重新上传' }],
      });
      // The database itself refuses to delete a file a record referred to.
      await expect(prisma.storedFile.delete({ where: { sha256: kept.sha256 } })).rejects.toThrow(/归档文件不可删除/);
    });
  });
});
