import type { NestExpressApplication } from '@nestjs/platform-express';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { verifyCommand } from '../../apps/server/src/cli/documents.commands';
import { SigningIdentityService } from '../../apps/server/src/documents/signing-identity.service';
import { loadPkcs12, selfSignedPkcs12, verifyPdf } from '../../apps/server/src/documents/signing/pdf-signature';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { inkRows, linesOf, rasterize, readPdfText } from './documents/support/pdf-probe';
import { png } from './documents/support/render-fixture';
import { standardNotice } from './documents/sample-documents';
import { cli } from '../support/cli';
import { makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

jest.setTimeout(120_000);

const LINE = 225 / 22;
const mm = (px: number, dpi: number) => (px / dpi) * 25.4;

/** pdfsig (poppler) on a file: its report and exit status. */
function pdfsig(file: string): { out: string; status: number | null } {
  const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
  return { out: `${r.stdout}${r.stderr}`, status: r.status };
}

describe('signed 公文: PAdES signature by the organ certificate, the 电子印章 over the signature, verification', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let staff: ApiSession;
  let secretary: ApiSession;
  let docId: string;
  let docNumber: string;
  let pdf: Buffer;
  let file: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-signed-'));

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区签章乡委员会', organCode: `签${Date.now() % 100000}发` });
    await app.get(SigningIdentityService).ensureDemo(committee.id); // what seed-demo does for the demo township
    const s = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }]);
    const k = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }]);
    staff = new ApiSession(app);
    await staff.login(s.username, PASSWORD);
    secretary = new ApiSession(app);
    await secretary.login(k.username, PASSWORD);
    const model = {
      ...standardNotice(3),
      attachments: undefined,
      note: undefined,
      issuers: [{ name: committee.name, markName: '中共签章乡委员会' }],
      signingOrgans: [committee.name],
    };
    const draft = await staff.post('/api/documents', { model: JSON.parse(JSON.stringify(model)) }).expect(201);
    docId = draft.body.id;
    const signed = await secretary.post(`/api/documents/${docId}/sign`).expect(200);
    docNumber = signed.body.docNumber;
    pdf = (await staff.get(`/api/documents/${docId}/pdf`).buffer(true).parse(binary).expect(200)).body;
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(signed.body.pdfSha256);
    file = path.join(dir, 'signed.pdf');
    fs.writeFileSync(file, pdf);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('GET /api/documents/:id/verify names the organ, the time, and finds the archived bytes intact and signed by the registered certificate', async () => {
    const before = Date.now();
    const v = (await staff.get(`/api/documents/${docId}/verify`).expect(200)).body;
    expect(v).toMatchObject({ signed: true, intact: true, registered: true, selfSigned: true, docNumber, organ: '中共签章乡委员会' });
    expect(v.signer).toContain('CN=中共签章乡委员会电子印章');
    expect(Math.abs(new Date(v.signedAt).getTime() - before)).toBeLessThan(5 * 60_000);
    expect(v.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
  });

  it('pdfsig accepts the signature: ETSI.CAdES.detached, SHA-256, the whole document signed and valid', () => {
    const { out } = pdfsig(file);
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signing Hash Algorithm: SHA-256');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('CN=中共签章乡委员会电子印章');
  });

  it('one changed byte fails the verification (ours, the CLI and pdfsig)', () => {
    const text = pdf.toString('latin1');
    const at = text.indexOf('stream', text.indexOf('/Length')) + 20; // inside page content, well within the signed range
    const bad = Buffer.from(pdf);
    bad[at] ^= 0x01;
    const badFile = path.join(dir, 'changed.pdf');
    fs.writeFileSync(badFile, bad);
    const v = verifyPdf(bad);
    expect(v).toMatchObject({ signed: true, intact: false, problem: '文件内容与签名不符：签名后被改动过' });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(verifyCommand(file)).toBe(0);
      expect(String(write.mock.calls.at(-1)?.[0])).toContain('结果：签名有效，文件自签名后未被改动');
      expect(verifyCommand(badFile)).toBe(1);
      expect(String(write.mock.calls.at(-1)?.[0])).toContain('结果：验证失败——文件内容与签名不符');
    } finally {
      write.mockRestore();
    }
    expect(pdfsig(badFile).out).not.toContain('Signature is Valid.');
  });

  it('npm run cli -- verify names the signer and the Beijing signing time, exit 0; after one changed byte, exit 1 and says the bytes changed', () => {
    const ok = cli('verify', file);
    expect([ok.code, ok.err]).toEqual([0, '']);
    expect(ok.out).toContain(`文件：${file}（SHA-256 ${createHash('sha256').update(pdf).digest('hex')}）`);
    expect(ok.out).toContain('签名机关：中共签章乡委员会\n');
    expect(ok.out).toMatch(/签名证书：.*CN=中共签章乡委员会电子印章.*（自签名证书，未经第三方认证机构签发）\n/);
    const time = /签名时间：(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})（北京时间）\n/.exec(ok.out);
    expect(time).not.toBeNull();
    // the same instant as the signature's /M (UTC), read in Asia/Shanghai: 8 hours ahead, and minutes ago
    const shown = DateTime.fromFormat(time![1], 'yyyy-MM-dd HH:mm:ss', { zone: 'Asia/Shanghai' });
    expect(shown.toMillis()).toBe(new Date(verifyPdf(pdf).signedAt!).getTime());
    expect(Math.abs(shown.toMillis() - Date.now())).toBeLessThan(10 * 60_000);
    expect(ok.out).toMatch(/结果：签名有效，文件自签名后未被改动\n$/);

    const bad = Buffer.from(pdf);
    const text = pdf.toString('latin1');
    bad[text.indexOf('stream', text.indexOf('/Length')) + 20] ^= 0x01;
    const badFile = path.join(dir, 'changed-cli.pdf');
    fs.writeFileSync(badFile, bad);
    const changed = cli('verify', badFile);
    expect(changed.code).toBe(1);
    expect(changed.out).toContain('签名机关：中共签章乡委员会');
    expect(changed.out).toMatch(/结果：验证失败——文件内容与签名不符：签名后被改动过\n$/);
    expect(changed.out).not.toContain('签名有效');
  });

  it('content appended after signing is reported, not passed', () => {
    const appended = Buffer.concat([pdf, Buffer.from('\n% appended\n')]);
    expect(verifyPdf(appended)).toMatchObject({ intact: false, problem: '签名之后文件又被追加了内容' });
  });

  it('places the 42 mm seal over the organ and date: their middle below the seal centre, its top within one line below the text', () => {
    const pages = readPdfText(file);
    const n = pages.findIndex((p) => linesOf(p).some((l) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(l.text))) + 1;
    const lines = linesOf(pages[n - 1], (i) => i.size === 16); // the demo seal's own lettering is smaller or larger
    const dateIdx = lines.findIndex((l) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(l.text));
    const date = lines[dateIdx];
    const organ = lines[dateIdx - 1];
    expect(organ.text).toBe('中共达州市达川区签章乡委员会');
    expect(date.right).toBeCloseTo(184 - 4 * 16 * 0.3528, 0); // 右空四字
    const lastText = lines[dateIdx - 2];
    const r = rasterize(file, n, 150, png('signed-seal', n));
    const red = inkRows(r, 'red', lastText.baseline + 1, date.baseline + 30);
    const top = mm(red[0].y, 150);
    const bottom = mm(red[red.length - 1].y + 1, 150);
    const left = mm(Math.min(...red.map((x) => x.left)), 150);
    const right = mm(Math.max(...red.map((x) => x.right + 1)), 150);
    expect(Math.abs(bottom - top - 42)).toBeLessThan(1);
    expect(Math.abs(right - left - 42)).toBeLessThan(1);
    const centreY = (top + bottom) / 2;
    const textMiddle = (organ.baseline - 5.6 + date.baseline) / 2; // organ ink top to date baseline
    expect(textMiddle).toBeGreaterThan(centreY); // 居印章中心偏下
    expect(textMiddle - centreY).toBeLessThan(8);
    expect(Math.abs((left + right) / 2 - (date.x + date.right) / 2)).toBeLessThan(1); // centred on the date
    expect(top).toBeGreaterThan(lastText.baseline); // does not cover the text
    expect(top - lastText.baseline).toBeLessThan(LINE + 2); // 印章顶端上距正文一行之内
  });

  it('an administrator sets a certificate and a seal: a wrong password or a non-image is refused in plain words', async () => {
    const service = app.get(SigningIdentityService);
    const org = await makeCommittee(prisma, { organCode: `证${Date.now() % 100000}发` });
    const p12 = selfSignedPkcs12('中共测试乡委员会', 'right');
    const seal = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="red"/></svg>');
    await expect(service.configure(null, org.id, { p12, password: 'wrong', seal })).rejects.toMatchObject({
      fields: [{ field: 'password', message: '证书密码不对，打不开证书文件' }],
    });
    await expect(service.configure(null, org.id, { p12, password: 'right', seal: Buffer.from('not an image') })).rejects.toMatchObject({
      fields: [{ field: 'seal', message: '印章图片必须是透明背景的 PNG（或 SVG）' }],
    });
    const r = await service.configure(null, org.id, { p12, password: 'right', seal });
    expect(r.subject).toBe(loadPkcs12(p12, 'right').subject);
    const identity = await service.forOrg(org.id);
    expect(identity?.sealDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    // pdfsig's own view of the certificate in the PDF it accepted above
    expect(execFileSync('pdfsig', [file]).toString()).toContain('Signer Certificate Common Name: 中共签章乡委员会电子印章');
  });
});

// supertest hands the raw response to a custom parser; collect the PDF bytes.
function binary(res: import('superagent').Response, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
