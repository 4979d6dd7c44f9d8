/**
 * 签名证书与印章 set by the administrator: the list page, an upload of a PKCS#12 with its password and a transparent
 * PNG seal (API and page), a generated self-signed certificate, refusals in plain words, the audit trail, and the key
 * material encrypted at rest (rows written in clear before are encrypted when read). Real PostgreSQL and Chromium.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { SigningIdentityService } from '../../apps/server/src/documents/signing-identity.service';
import { loadPkcs12, selfSignedPkcs12 } from '../../apps/server/src/documents/signing/pdf-signature';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');
const colonHex = (hex: string) => hex.toUpperCase().match(/../g)!.join(':');
/** As Handlebars writes text into the page. */
const html = (s: string) => s.replace(/=/g, '&#x3D;');

/** A 200×200 PNG: a red ring on a transparent background, or (opaque) on white. */
function sealPng(opaque = false): Buffer {
  const png = new PNG({ width: 200, height: 200 });
  for (let y = 0; y < 200; y++)
    for (let x = 0; x < 200; x++) {
      const i = (y * 200 + x) * 4;
      const r = Math.hypot(x - 100, y - 100);
      const ink = r > 85 && r < 95;
      png.data[i] = ink ? 220 : 255;
      png.data[i + 1] = ink ? 0 : 255;
      png.data[i + 2] = ink ? 0 : 255;
      png.data[i + 3] = ink || opaque ? 255 : 0;
    }
  return PNG.sync.write(png);
}

describe('signing certificates and seals, set by the administrator', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let admin: ApiSession;
  let staff: ApiSession;
  let otherAdmin: ApiSession;
  let orgId: string;
  let orgName: string;
  const password = '证书密码-2026';
  const p12 = selfSignedPkcs12('中共证书乡委员会', password);
  const seal = sealPng();

  const upload = (session: ApiSession, id: string, parts: { p12?: Buffer; password?: string; seal?: Buffer }) => {
    let req = session.agent.put(`/api/admin/signing-identities/${id}`).set('x-csrf-token', session.csrfToken);
    if (parts.p12) req = req.attach('p12', parts.p12, 'organ.p12');
    if (parts.password !== undefined) req = req.field('password', parts.password);
    if (parts.seal) req = req.attach('seal', parts.seal, 'seal.png');
    return req;
  };
  const signingAudits = () =>
    prisma.auditLog
      .findMany({ where: { action: 'org.update', entityId: orgId }, orderBy: { seq: 'asc' } })
      .then((rows) => rows.map((r) => (r.data as { after: Record<string, unknown> }).after));

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    const committee = await makeCommittee(prisma, { name: '中共证书乡委员会', organCode: `证${Date.now() % 100000}发` });
    orgId = committee.id;
    orgName = committee.name;
    const login = async (role: Role, org: string) => {
      const p = await makePerson(prisma, [{ orgId: org, role }], '李管理');
      const s = new ApiSession(app);
      expect((await s.login(p.username, PASSWORD)).status).toBe(200);
      return s;
    };
    admin = await login(Role.ADMIN, orgId);
    staff = await login(Role.COMMITTEE_STAFF, orgId);
    otherAdmin = await login(Role.ADMIN, (await makeCommittee(prisma, { name: '中共别的乡委员会', organCode: `别${Date.now() % 100000}发` })).id);
  });

  afterAll(async () => {
    await app.close();
  });

  it('lists the organ as not set, on the page (menu 签名证书) and in the API', async () => {
    const page = await admin.get('/admin/signing').set('accept', 'text/html').expect(200);
    expect(page.text).toContain('<a href="/admin/signing" class="active">签名证书</a>');
    expect(page.text).toContain(orgName);
    expect(page.text).toContain('未设置：本机关印发的公文不加盖电子印章、不作电子签名');
    const list = await admin.get('/api/admin/signing-identities').expect(200);
    expect(list.body).toEqual([expect.objectContaining({ orgId, name: orgName, identity: null })]);
  });

  it('refuses a wrong password, an expired certificate and a seal that is not a transparent PNG, naming the field; nothing is saved', async () => {
    const wrong = await upload(admin, orgId, { p12, password: 'wrong', seal }).expect(400);
    expect(wrong.body.fields).toEqual([{ field: 'password', message: '证书密码不对，打不开证书文件' }]);

    const expired = selfSignedPkcs12('中共证书乡委员会', password, new Date(Date.now() - 11 * 365 * 86_400_000));
    const notAfter = loadPkcs12(expired, password).notAfter.toISOString().slice(0, 10);
    const old = await upload(admin, orgId, { p12: expired, password, seal }).expect(400);
    expect(old.body.fields).toEqual([{ field: 'p12', message: `证书已于 ${notAfter} 过期，不能用于签名` }]);

    const notP12 = await upload(admin, orgId, { p12: Buffer.from('not a certificate'), password, seal }).expect(400);
    expect(notP12.body.fields).toEqual([{ field: 'p12', message: '证书文件无法读取：不是 PKCS#12（.p12/.pfx）文件' }]);

    const opaque = await upload(admin, orgId, { p12, password, seal: sealPng(true) }).expect(400);
    expect(opaque.body.fields).toEqual([{ field: 'seal', message: '印章图片没有透明背景：请使用背景透明的 PNG，否则会遮住落款和日期' }]);
    const jpeg = await upload(admin, orgId, { p12, password, seal: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]) }).expect(400);
    expect(jpeg.body.fields[0]).toEqual({ field: 'seal', message: expect.stringContaining('印章图片须为透明背景的 PNG') });
    // a PNG named so but cut short: checked by content, not by its name
    const broken = await upload(admin, orgId, { p12, password, seal: seal.subarray(0, 100) }).expect(400);
    expect(broken.body.fields).toEqual([{ field: 'seal', message: '印章图片已损坏，无法读取（PNG）' }]);

    const sealOnly = await upload(admin, orgId, { password, seal }).expect(400);
    expect(sealOnly.body.fields).toEqual([{ field: 'p12', message: '请选择签名证书文件（.p12/.pfx）' }]);
    const nothing = await upload(admin, orgId, { password }).expect(400);
    expect(nothing.body.fields).toEqual([{ field: 'p12', message: '请选择签名证书文件（.p12/.pfx）或印章图片，至少一项' }]);
    expect(await prisma.organSigningIdentity.count({ where: { orgId } })).toBe(0);
    expect(await signingAudits()).toEqual([]);
  });

  it('an upload is saved encrypted at rest, shown with subject, issuer, validity, fingerprint and seal, and audited', async () => {
    const res = await upload(admin, orgId, { p12, password, seal }).expect(200);
    const key = loadPkcs12(p12, password);
    const fingerprint = colonHex(sha256(key.certificates[0]));
    expect(res.body.identity).toMatchObject({
      subject: key.subject,
      issuer: key.subject,
      selfSigned: true,
      expired: false,
      fingerprint,
      sealSha256: sha256(seal),
      sealDataUrl: `data:image/png;base64,${seal.toString('base64')}`,
    });

    const row = await prisma.organSigningIdentity.findUniqueOrThrow({ where: { orgId } });
    expect(row.p12Password).toMatch(/^enc:v1:/);
    expect(row.p12Password).not.toContain(password);
    expect(Buffer.from(row.p12).equals(p12)).toBe(false);
    expect(Buffer.from(row.p12).includes(p12.subarray(40, 120))).toBe(false);
    expect(Buffer.from(row.seal).equals(seal)).toBe(true);
    const audits = await signingAudits();
    expect(audits).toEqual([expect.objectContaining({ signingCertificate: key.subject, fingerprint, sealSha256: sha256(seal), source: 'upload' })]);
    expect(JSON.stringify(audits)).not.toContain(password);

    const page = await admin.get(`/admin/signing/${orgId}`).set('accept', 'text/html').expect(200);
    expect(page.text).toContain(`<dt>证书主题</dt><dd>${html(key.subject)}</dd>`);
    expect(page.text).toContain(fingerprint);
    expect(page.text).toContain(html(`src="data:image/png;base64,${seal.toString('base64')}"`).replace('src&#x3D;', 'src='));
    expect(page.text).not.toContain(password);
    // the signing service opens what was stored
    const identity = await app.get(SigningIdentityService).forOrg(orgId);
    expect(identity?.certificates[0].equals(key.certificates[0])).toBe(true);
  });

  it('the page form: a wrong password re-renders in Chinese beside the field; a new seal alone keeps the certificate', async () => {
    const wrong = await admin
      .post(`/admin/signing/${orgId}`, { p12: p12.toString('base64'), password: 'wrong', seal: '' })
      .set('accept', 'text/html')
      .expect(400);
    expect(wrong.text).toContain('<p class="field-error" role="alert">证书密码不对，打不开证书文件</p>');

    const ring = new PNG({ width: 120, height: 120 });
    ring.data.fill(0);
    for (let i = 0; i < 120 * 4; i += 4) ring.data.set([200, 0, 0, 255], i); // a red top row on transparent
    const other = PNG.sync.write(ring);
    const saved = await admin.post(`/admin/signing/${orgId}`, { p12: '', password: '', seal: other.toString('base64') });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/admin/signing/${orgId}?saved=1`);
    const after = (await admin.get(`/api/admin/signing-identities/${orgId}`).expect(200)).body.identity;
    expect(after.sealSha256).toBe(sha256(other));
    expect(after.subject).toBe(loadPkcs12(p12, password).subject);
    expect((await signingAudits()).at(-1)).toMatchObject({ sealSha256: sha256(other), source: 'upload' });
  });

  it('a self-signed certificate generated for the organ replaces the certificate and keeps the seal', async () => {
    const before = (await admin.get(`/api/admin/signing-identities/${orgId}`).expect(200)).body.identity;
    const res = await admin.post(`/admin/signing/${orgId}/self-signed`);
    expect(res.status).toBe(303);
    const after = (await admin.get(`/api/admin/signing-identities/${orgId}`).expect(200)).body.identity;
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.selfSigned).toBe(true);
    expect(after.subject).toContain('中共证书乡委员会电子印章');
    expect(after.sealSha256).toBe(before.sealSha256);
    expect(new Date(after.validTo).getTime() - Date.now()).toBeGreaterThan(9 * 365 * 86_400_000);
    expect((await signingAudits()).at(-1)).toMatchObject({ fingerprint: after.fingerprint, source: 'self-signed' });
    const page = await admin.get(`/admin/signing/${orgId}?generated=1`).set('accept', 'text/html').expect(200);
    expect(page.text).toContain('已生成自签名证书');
  });

  it('only an administrator, and only for organs in scope', async () => {
    await staff.get('/api/admin/signing-identities').expect(403);
    await upload(staff, orgId, { p12, password, seal }).expect(403);
    await staff.get('/admin/signing').set('accept', 'text/html').expect(403);
    const list = await otherAdmin.get('/api/admin/signing-identities').expect(200);
    expect(list.body.map((r: { orgId: string }) => r.orgId)).not.toContain(orgId);
    await otherAdmin.get(`/api/admin/signing-identities/${orgId}`).expect(404);
    await upload(otherAdmin, orgId, { p12, password, seal }).expect(404);
    await otherAdmin.post(`/api/admin/signing-identities/${orgId}/self-signed`).expect(404);
  });

  it('a row stored in clear (before encryption) is encrypted when read, and by the start-up pass; the service still opens it', async () => {
    const service = app.get(SigningIdentityService);
    const clearOrg = await makeCommittee(prisma, { name: '中共明文乡委员会', organCode: `明${Date.now() % 100000}发` });
    const clear = selfSignedPkcs12('中共明文乡委员会', 'clear-pw');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="red"/></svg>');
    const clearRow = {
      p12: new Uint8Array(clear),
      p12Password: 'clear-pw',
      subject: 's',
      notAfter: new Date(Date.now() + 86_400_000),
      seal: new Uint8Array(svg),
    };
    await prisma.organSigningIdentity.create({ data: { orgId: clearOrg.id, ...clearRow } });

    const identity = await service.forOrg(clearOrg.id);
    expect(identity?.subject).toBe(loadPkcs12(clear, 'clear-pw').subject);
    let row = await prisma.organSigningIdentity.findUniqueOrThrow({ where: { orgId: clearOrg.id } });
    expect(row.p12Password).toMatch(/^enc:v1:/);
    expect(Buffer.from(row.p12).equals(clear)).toBe(false);
    expect((await service.forOrg(clearOrg.id))?.certificates[0].equals(identity!.certificates[0])).toBe(true);

    // the pass run at start-up: every clear row, once
    await prisma.organSigningIdentity.update({ where: { orgId: clearOrg.id }, data: clearRow });
    expect(await service.encryptClearRows()).toBe(1);
    expect(await service.encryptClearRows()).toBe(0);
    row = await prisma.organSigningIdentity.findUniqueOrThrow({ where: { orgId: clearOrg.id } });
    expect(row.p12Password).toMatch(/^enc:v1:/);
    const audits = await prisma.auditLog.findMany({ where: { action: 'org.update', entityId: clearOrg.id } });
    expect(audits.map((a) => (a.data as { after: unknown }).after)).toEqual([{ signingKeyAtRest: 'AES-256-GCM' }, { signingKeyAtRest: 'AES-256-GCM' }]);
    expect((await service.forOrg(clearOrg.id))?.subject).toBe(identity?.subject);
  });
});
